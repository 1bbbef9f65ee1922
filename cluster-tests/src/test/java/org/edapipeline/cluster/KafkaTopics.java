package org.edapipeline.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.edapipeline.embedded.junit.KafkaExtension;

/** Writes string records to a topic and reads a topic's committed records, for the tests. */
final class KafkaTopics {
  private KafkaTopics() {}

  /** Sends each value with itself as the key, and waits until the broker has them all. */
  static void produce(KafkaExtension kafka, String topic, List<String> values) throws Exception {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, value, value)).get();
      }
    }
  }

  /**
   * A {@code read_committed} consumer of every partition of {@code topic} from the beginning: it
   * sees only what the job's exactly-once sink committed.
   */
  static CommittedReader committedReader(KafkaExtension kafka, String topic) {
    Properties config = new Properties();
    config.putAll(kafka.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return new CommittedReader(consumer);
  }

  /** Accumulates the values read so far; close it after the test. */
  static final class CommittedReader implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<String> values = new ArrayList<>();

    private CommittedReader(KafkaConsumer<String, String> consumer) {
      this.consumer = consumer;
    }

    /** Polls once and returns every value read since the reader was created. */
    List<String> poll() {
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
        values.add(record.value());
      }
      return List.copyOf(values);
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
