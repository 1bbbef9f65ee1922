package org.edapipeline.embedded.junit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Base of the JUnit 5 extensions that run one embedded service for a whole test class: register a
 * subclass as a {@code static} field, and the service starts before the first test and stops after
 * the last.
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
 * }</pre>
 *
 * <p>The extension belongs to the class that started it: {@code @Nested} classes share the service,
 * and a field in a common base class starts a fresh service for each test class.
 *
 * <p>An extension for a service that depends on another (a schema registry on Kafka) subclasses
 * this one, takes the other extension in its constructor and reads it in {@link #startService()};
 * the test class orders them with {@code @Order}, because JUnit does not otherwise promise the
 * order in which it calls registered extensions:
 *
 * <pre>{@code
 * @RegisterExtension @Order(1) static final KafkaExtension KAFKA = new KafkaExtension();
 * @RegisterExtension @Order(2) static final SchemaRegistryExtension REGISTRY =
 *     new SchemaRegistryExtension(KAFKA);
 * }</pre>
 *
 * <p>JUnit calls {@code afterAll} in the reverse order, so dependents stop first.
 *
 * @param <S> the service
 */
public abstract class EmbeddedServiceExtension<S extends AutoCloseable>
    implements BeforeAllCallback, AfterAllCallback {

  private S service; // guarded by this
  private String owner; // guarded by this: unique id of the test class that started the service

  /** Starts the service; called once per test class, before its first test. */
  protected abstract S startService() throws Exception;

  /**
   * The running service.
   *
   * @throws IllegalStateException outside the test class lifecycle, for example when the field is
   *     not static, or when a dependent extension is not ordered after this one
   */
  public final synchronized S service() {
    if (service == null) {
      throw new IllegalStateException(
          getClass().getSimpleName()
              + " has not started: register it on a static field with @RegisterExtension, and"
              + " give extensions that use it a higher @Order");
    }
    return service;
  }

  @Override
  public final synchronized void beforeAll(ExtensionContext context) throws Exception {
    if (service == null) {
      service = startService();
      owner = context.getUniqueId();
    }
  }

  @Override
  public final synchronized void afterAll(ExtensionContext context) throws Exception {
    if (service != null && context.getUniqueId().equals(owner)) {
      S stopping = service;
      service = null;
      owner = null;
      stopping.close();
    }
  }
}
