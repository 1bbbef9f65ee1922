package org.edapipeline.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The optional SASL_SSL listener: SCRAM-SHA-512 users created at start, TLS with a certificate made
 * at run time, a wrong password refused fast, the listener back after a restart.
 */
class EmbeddedKafkaBrokerSaslSslITCase {

  private static final String USER = "pipeline";
  private static final String PASSWORD = "s3cret-pipeline";

  @RegisterExtension
  static final KafkaExtension KAFKA =
      new KafkaExtension(
          EmbeddedKafkaBroker.builder()
              .scramUser(USER, PASSWORD)
              .scramUser("operator", "another-secret"));

  @Test
  void shouldProduceAndConsumeAsScramUserOverTls() throws Exception {
    KAFKA.createTopic("secure.topic", 1);
    SaslSslListener listener = KAFKA.saslSsl();
    assertThat(listener.bootstrapServers()).isNotEqualTo(KAFKA.bootstrapServers());
    assertThat(listener.users()).containsExactlyInAnyOrder(USER, "operator");
    assertThat(Files.exists(listener.truststore())).isTrue();

    writeAndRead(listener, "secure.topic", "v1");

    KAFKA.broker().restart();
    writeAndRead(listener, "secure.topic", "v2");
  }

  @Test
  void shouldRefuseAWrongPasswordWithinSeconds() {
    Map<String, Object> config = KAFKA.saslSsl().clientConfig(USER, "wrong-password");
    long start = System.nanoTime();
    try (Admin admin = Admin.create(config)) {
      assertThatThrownBy(() -> admin.describeCluster().nodes().get(60, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SaslAuthenticationException.class)
          .hasMessageContaining("Authentication failed")
          .hasMessageNotContaining("wrong-password");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void shouldRefuseAClientThatDoesNotTrustTheCertificate() {
    Map<String, Object> config = KAFKA.saslSsl().clientConfig(USER, PASSWORD);
    config.remove("ssl.truststore.location");
    config.remove("ssl.truststore.password");
    config.remove("ssl.truststore.type");
    try (Admin admin = Admin.create(config)) {
      assertThatThrownBy(() -> admin.describeCluster().nodes().get(60, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SslAuthenticationException.class);
    }
  }

  @Test
  void shouldRefuseAPasswordThatCannotGoIntoJaas() {
    assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().scramUser("u", "a\"b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void writeAndRead(SaslSslListener listener, String topic, String value)
      throws Exception {
    Map<String, Object> producerConfig = listener.clientConfig(USER, PASSWORD);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", value)).get(30, TimeUnit.SECONDS);
    }
    Map<String, Object> consumerConfig = listener.clientConfig(USER, PASSWORD);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      List<String> values = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + KafkaClients.READ_TIMEOUT.toNanos();
      while (!values.contains(value) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(record -> values.add(record.value()));
      }
      assertThat(values).contains(value);
    }
  }
}
