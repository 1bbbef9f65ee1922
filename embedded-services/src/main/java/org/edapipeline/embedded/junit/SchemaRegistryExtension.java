package org.edapipeline.embedded.junit;

import java.util.Objects;
import org.edapipeline.embedded.registry.EmbeddedSchemaRegistry;

/**
 * Runs one {@link EmbeddedSchemaRegistry} per test class, storing its schemas in the broker of a
 * {@link KafkaExtension}, which must be ordered before it.
 *
 * <pre>{@code
 * @RegisterExtension @Order(1) static final KafkaExtension KAFKA = new KafkaExtension();
 * @RegisterExtension @Order(2) static final SchemaRegistryExtension REGISTRY =
 *     new SchemaRegistryExtension(KAFKA);
 *
 * @Test
 * void shouldRegister() {
 *   var client = new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(REGISTRY.url()).build());
 * }
 * }</pre>
 */
public class SchemaRegistryExtension extends EmbeddedServiceExtension<EmbeddedSchemaRegistry> {
  private final KafkaExtension kafka;
  private final EmbeddedSchemaRegistry.Builder builder;

  /** A registry with the defaults of {@link EmbeddedSchemaRegistry#builder()} on this broker. */
  public SchemaRegistryExtension(KafkaExtension kafka) {
    this(kafka, EmbeddedSchemaRegistry.builder());
  }

  /**
   * A registry started from this builder (basic auth, topic name...) on this broker; the broker's
   * client config replaces any Kafka setting of the builder.
   */
  public SchemaRegistryExtension(KafkaExtension kafka, EmbeddedSchemaRegistry.Builder builder) {
    this.kafka = Objects.requireNonNull(kafka, "kafka");
    this.builder = Objects.requireNonNull(builder, "builder");
  }

  @Override
  protected EmbeddedSchemaRegistry startService() {
    return builder.kafkaClientConfig(kafka.clientConfig()).start();
  }

  /** The running registry. */
  public EmbeddedSchemaRegistry registry() {
    return service();
  }

  /** See {@link EmbeddedSchemaRegistry#url()}. */
  public String url() {
    return registry().url();
  }
}
