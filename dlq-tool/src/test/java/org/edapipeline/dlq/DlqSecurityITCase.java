package org.edapipeline.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.edapipeline.dlq.DlqFixture.CliResult;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.embedded.kafka.EmbeddedKafkaBroker;
import org.edapipeline.embedded.kafka.SaslSslListener;
import org.edapipeline.embedded.registry.EmbeddedSchemaRegistry;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dlq} against a SASL_SSL (SCRAM-SHA-512) listener and a registry with basic auth, by
 * configuration alone: a {@code --kafka-config} file without secrets plus {@code -X} for them.
 */
class DlqSecurityITCase {

  private static final String USER = "ops";
  private static final String PASSWORD = "ops-Kafka-Secret-61";
  private static final String REGISTRY_USER = "ops";
  private static final String REGISTRY_PASSWORD = "ops-Registry-Secret-67";
  private static final Topic<?, ?> SOURCE = Topics.PAYMENT_EVENTS;

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA =
      new KafkaExtension(EmbeddedKafkaBroker.builder().scramUser(USER, PASSWORD));

  @RegisterExtension
  @Order(2)
  static final SchemaRegistryExtension REGISTRY =
      new SchemaRegistryExtension(
          KAFKA, EmbeddedSchemaRegistry.builder().basicAuth(REGISTRY_USER, REGISTRY_PASSWORD));

  @TempDir static Path directory;
  private static Path clientProperties;

  @BeforeAll
  static void writeTwoDeadLettersAndTheClientFile() throws Exception {
    KAFKA.createTopic(SOURCE.name(), SOURCE.partitions());
    Topic<?, ?> dlq = Topics.dlqOf(SOURCE);
    KAFKA.createTopic(dlq.name(), dlq.partitions(), dlq.config());
    try (SchemaRegistryClient registry =
            new RestSchemaRegistryClient(
                SchemaRegistryClientConfig.builder(REGISTRY.url())
                    .basicAuth(REGISTRY_USER, REGISTRY_PASSWORD)
                    .build());
        AvroWireSerializer<Object> serializer = AvroWireSerializer.builder(registry).build();
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                KAFKA.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int offset = 0; offset < 2; offset++) {
        DeadLetter letter = DlqFixture.letter(SOURCE, 0, offset).build();
        producer
            .send(
                new ProducerRecord<>(dlq.name(), 0, null, serializer.serialize(dlq.name(), letter)))
            .get();
      }
    }
    SaslSslListener secure = KAFKA.saslSsl();
    clientProperties = directory.resolve("client.properties");
    Files.writeString(
        clientProperties,
        String.join(
            "\n",
            "bootstrap.servers=" + secure.bootstrapServers(),
            "security.protocol=SASL_SSL",
            "sasl.mechanism=SCRAM-SHA-512",
            "ssl.truststore.type=" + secure.truststoreType(),
            "ssl.truststore.location=" + secure.truststore(),
            "schema.registry.url=" + REGISTRY.url()));
  }

  @Test
  void shouldCountTheQueueOverSaslSslWithRegistryBasicAuth() {
    CliResult result = depth(PASSWORD);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).containsPattern(Topics.dlqOf(SOURCE).name() + "\\s+2\\s+2");
    assertThat(result.out() + result.err())
        .doesNotContain(PASSWORD, REGISTRY_PASSWORD, KAFKA.saslSsl().truststorePassword());
  }

  @Test
  void shouldFailFastWithAClearMessageOnAWrongPassword() {
    long start = System.nanoTime();
    CliResult result = depth("wrong-Ops-Password");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err())
        .contains("Authentication failed")
        .doesNotContain("wrong-Ops-Password", REGISTRY_PASSWORD);
  }

  private static CliResult depth(String kafkaPassword) {
    List<String> args =
        List.of(
            "depth",
            "--kafka-config",
            clientProperties.toString(),
            "-X",
            "sasl.jaas.config=" + SaslSslListener.jaasConfig(USER, kafkaPassword),
            "-X",
            "ssl.truststore.password=" + KAFKA.saslSsl().truststorePassword(),
            "-X",
            "basic.auth.user.info=" + REGISTRY_USER + ":" + REGISTRY_PASSWORD,
            "-s",
            SOURCE.name());
    return DlqFixture.run(args.toArray(String[]::new));
  }
}
