package org.edapipeline.embedded.registry;

import java.util.function.Consumer;

/** Where the registry's changes are made durable, and replayed from on start. */
interface SchemaLog extends AutoCloseable {

  /** Feeds every stored event to {@code sink}, oldest first. Called once, before any append. */
  void replay(Consumer<StoreEvent> sink);

  /**
   * Appends an event and returns once it is durable.
   *
   * @throws RegistryError with code 50001 if it could not be stored
   */
  void append(StoreEvent event);

  @Override
  void close();

  /** A log that keeps nothing: the registry's state lives and dies with the process. */
  static SchemaLog inMemory() {
    return new SchemaLog() {
      @Override
      public void replay(Consumer<StoreEvent> sink) {}

      @Override
      public void append(StoreEvent event) {}

      @Override
      public void close() {}

      @Override
      public String toString() {
        return "in-memory (not durable)";
      }
    };
  }
}
