package org.edapipeline.embedded.registry;

/**
 * One change to the registry's state, as appended to the {@link SchemaLog}. Replaying every event
 * in order rebuilds the state; the latest event per key (see {@link StoreEventCodec}) is all that
 * compaction keeps, and all that replay needs.
 */
sealed interface StoreEvent {

  /** A schema version of a subject was registered, or soft-deleted ({@code deleted}). */
  record SchemaVersion(String subject, int version, int id, String schema, boolean deleted)
      implements StoreEvent {}

  /** A schema version was permanently deleted (a tombstone). */
  record SchemaVersionErased(String subject, int version) implements StoreEvent {}

  /**
   * The compatibility level of a subject, or the global one when {@code subject} is null, was set;
   * a null {@code level} removes a subject-level setting.
   */
  record CompatibilityConfig(String subject, CompatibilityLevel level) implements StoreEvent {}
}
