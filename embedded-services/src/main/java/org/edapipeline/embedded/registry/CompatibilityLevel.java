package org.edapipeline.embedded.registry;

/**
 * Schema compatibility levels with Confluent Schema Registry's names and semantics.
 *
 * <p>{@code BACKWARD}: consumers using the new schema can read data written with the previous one.
 * {@code FORWARD}: consumers using the previous schema can read data written with the new one.
 * {@code FULL}: both. The {@code _TRANSITIVE} variants check against every registered version
 * instead of only the latest one.
 */
public enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /** Whether the new schema must be able to read data written with older schemas. */
  boolean backward() {
    return backward;
  }

  /** Whether older schemas must be able to read data written with the new schema. */
  boolean forward() {
    return forward;
  }

  /** Whether every registered version is checked, not only the latest. */
  boolean transitive() {
    return transitive;
  }

  /**
   * Parses a level name case-insensitively.
   *
   * @throws IllegalArgumentException if {@code name} is not a level
   */
  static CompatibilityLevel parse(String name) {
    if (name == null) {
      throw new IllegalArgumentException("Compatibility level is missing");
    }
    try {
      return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid compatibility level: " + name, e);
    }
  }
}
