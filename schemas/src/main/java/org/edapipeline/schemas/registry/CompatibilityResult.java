package org.edapipeline.schemas.registry;

import java.util.List;

/**
 * The answer of a compatibility test.
 *
 * @param compatible whether the schema may be registered
 * @param messages the registry's explanation when not compatible (may be empty if the registry
 *     gives none)
 */
public record CompatibilityResult(boolean compatible, List<String> messages) {
  public CompatibilityResult {
    messages = List.copyOf(messages);
  }
}
