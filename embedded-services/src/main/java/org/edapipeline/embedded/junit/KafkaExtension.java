package org.edapipeline.embedded.junit;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.edapipeline.embedded.kafka.EmbeddedKafkaBroker;
import org.edapipeline.embedded.kafka.SaslSslListener;

/**
 * Runs one {@link EmbeddedKafkaBroker} per test class.
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
 *
 * @Test
 * void shouldPublish() {
 *   KAFKA.createTopic("orders.events", 3);
 *   try (var producer = new KafkaProducer<>(KAFKA.clientConfig(), ...)) { ... }
 * }
 * }</pre>
 */
public class KafkaExtension extends EmbeddedServiceExtension<EmbeddedKafkaBroker> {
  private final EmbeddedKafkaBroker.Builder builder;

  /** A broker with the defaults of {@link EmbeddedKafkaBroker#builder()}. */
  public KafkaExtension() {
    this(EmbeddedKafkaBroker.builder());
  }

  /** A broker started from this builder, for example with extra broker configs. */
  public KafkaExtension(EmbeddedKafkaBroker.Builder builder) {
    this.builder = Objects.requireNonNull(builder, "builder");
  }

  @Override
  protected EmbeddedKafkaBroker startService() {
    return builder.start();
  }

  /** The running broker, for {@code stop()}, {@code restart()} and its other methods. */
  public EmbeddedKafkaBroker broker() {
    return service();
  }

  /** See {@link EmbeddedKafkaBroker#bootstrapServers()}. */
  public String bootstrapServers() {
    return broker().bootstrapServers();
  }

  /** See {@link EmbeddedKafkaBroker#clientConfig()}. */
  public Map<String, Object> clientConfig() {
    return broker().clientConfig();
  }

  /** See {@link EmbeddedKafkaBroker#saslSsl()}: the SCRAM-over-TLS listener, if configured. */
  public SaslSslListener saslSsl() {
    return broker().saslSsl();
  }

  /** See {@link EmbeddedKafkaBroker#admin()}; the caller closes it. */
  public Admin admin() {
    return broker().admin();
  }

  /** See {@link EmbeddedKafkaBroker#createTopic(String, int)}. */
  public void createTopic(String name, int partitions) {
    broker().createTopic(name, partitions);
  }

  /** See {@link EmbeddedKafkaBroker#createTopic(String, int, Map)}. */
  public void createTopic(String name, int partitions, Map<String, String> topicConfigs) {
    broker().createTopic(name, partitions, topicConfigs);
  }

  /** See {@link EmbeddedKafkaBroker#recreateTopics(Collection)}. */
  public void recreateTopics(Collection<NewTopic> topics) {
    broker().recreateTopics(topics);
  }
}
