package org.edapipeline.schemas.registry;

import java.util.List;

/**
 * The schema breaks the subject's compatibility level (HTTP 409). {@link #messages()} holds what
 * the registry said about why.
 */
public final class IncompatibleSchemaException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  private final List<String> messages;

  public IncompatibleSchemaException(
      String message, int httpStatus, int errorCode, List<String> messages) {
    super(message, httpStatus, errorCode, null);
    this.messages = List.copyOf(messages);
  }

  /** The registry's explanation(s), never empty. */
  public List<String> messages() {
    return messages;
  }
}
