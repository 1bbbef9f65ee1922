package org.edapipeline.schemas.registry;

/**
 * Confluent's compatibility levels. {@code BACKWARD}: the new schema reads data of the previous
 * one; {@code FORWARD}: the previous schema reads data of the new one; {@code FULL}: both; {@code
 * _TRANSITIVE}: against every version, not only the latest.
 */
public enum CompatibilityLevel {
  NONE,
  BACKWARD,
  BACKWARD_TRANSITIVE,
  FORWARD,
  FORWARD_TRANSITIVE,
  FULL,
  FULL_TRANSITIVE
}
