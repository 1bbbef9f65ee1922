package org.edapipeline.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** String producers and consumers for the tests, and a bounded way to read what they expect. */
final class KafkaClients {
  static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(100);

  private KafkaClients() {}

  static KafkaProducer<String, String> producer(EmbeddedKafkaBroker kafka) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  static KafkaProducer<String, String> transactionalProducer(
      EmbeddedKafkaBroker kafka, String transactionalId) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /** A consumer without a group, to {@code assign()}; {@code isolation} is the isolation level. */
  static KafkaConsumer<String, String> consumer(EmbeddedKafkaBroker kafka, String isolation) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  /** A read_committed consumer in a group, reading from the earliest offset without commits. */
  static KafkaConsumer<String, String> groupConsumer(EmbeddedKafkaBroker kafka, String groupId) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  /**
   * Polls until the values read so far are exactly {@code expected}, in order; fails if they are
   * not after {@link #READ_TIMEOUT} or if more arrive.
   */
  static List<String> readExactly(KafkaConsumer<String, String> consumer, List<String> expected) {
    List<String> values = new ArrayList<>();
    await()
        .atMost(READ_TIMEOUT)
        .pollInterval(Duration.ZERO)
        .untilAsserted(
            () -> {
              for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                values.add(record.value());
              }
              assertThat(values).hasSizeGreaterThanOrEqualTo(expected.size());
            });
    assertThat(values).containsExactlyElementsOf(expected);
    return values;
  }
}
