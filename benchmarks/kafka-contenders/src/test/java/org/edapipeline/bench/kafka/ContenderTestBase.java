package org.edapipeline.bench.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.serde.SubjectNameStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Embedded Kafka and registry per test class, spec building, input writing, output reading. */
abstract class ContenderTestBase {

  static {
    // Maven points java.io.tmpdir at target/tmp; RocksDB unpacks its native library there.
    try {
      Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  static final int PARTITIONS = 3;

  /** Generous: a loaded 2-core CI machine, a Kafka Streams rebalance, transactions. */
  static final Duration OUTPUT_DEADLINE = Duration.ofSeconds(120);

  static SchemaRegistryClient registryClient;

  @BeforeAll
  static void createRegistryClient() {
    registryClient =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(REGISTRY.url()).build());
  }

  @AfterAll
  static void closeRegistryClient() {
    registryClient.close();
  }

  /** Deletes and creates the topics, empty, with the suite's partition count. */
  static void recreate(Topic<?, ?>... topics) {
    List<NewTopic> fresh = new ArrayList<>();
    for (Topic<?, ?> topic : topics) {
      fresh.add(new NewTopic(topic.name(), PARTITIONS, (short) 1).configs(topic.config()));
    }
    KAFKA.recreateTopics(fresh);
  }

  /** The spec keys every contender needs, plus {@code extra}; a fresh run id and work dir. */
  static ContenderSpec spec(Map<String, String> extra) throws IOException {
    String runId = "it-" + UUID.randomUUID();
    Path workDir =
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "contender-");
    Map<String, String> values = new HashMap<>();
    values.put(ContenderSpec.CONTENDER, "it");
    values.put(ContenderSpec.RUN_ID, runId);
    values.put(ContenderSpec.WORK_DIR, workDir.toString());
    values.put(ContenderSpec.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
    values.put(ContenderSpec.SCHEMA_REGISTRY_URL, REGISTRY.url());
    values.put(ContenderSpec.PARTITIONS, Integer.toString(PARTITIONS));
    values.putAll(extra);
    return ContenderSpec.of(values);
  }

  /** Writes Avro values (default partitioner on the key) and raw byte values, then flushes. */
  static <V> void produce(
      Topic<String, ?> topic,
      SubjectNameStrategy strategy,
      List<Map.Entry<String, V>> records,
      List<Map.Entry<String, byte[]>> raw) {
    Map<String, Object> config = KAFKA.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    AvroWireSerializer<V> serializer =
        AvroWireSerializer.builder(registryClient).subjectNameStrategy(strategy).build();
    try (KafkaProducer<String, V> producer =
            new KafkaProducer<>(config, new StringSerializer(), serializer);
        KafkaProducer<String, byte[]> rawProducer =
            new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      for (Map.Entry<String, byte[]> r : raw) {
        rawProducer.send(new ProducerRecord<>(topic.name(), r.getKey(), r.getValue()));
      }
      rawProducer.flush();
      for (Map.Entry<String, V> r : records) {
        producer.send(new ProducerRecord<>(topic.name(), r.getKey(), r.getValue()));
      }
      producer.flush();
    }
  }

  /**
   * Reads {@code topic} with {@code read_committed} until {@code expected} records came (or the
   * deadline passed), then once more for a second, so a surplus record would be seen too.
   */
  static <V> List<ConsumerRecord<String, V>> readCommitted(
      Topic<String, ?> topic, Deserializer<V> values, int expected) {
    Map<String, Object> config = KAFKA.clientConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, V>> records = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), values)) {
      consumer.subscribe(List.of(topic.name()));
      await()
          .atMost(OUTPUT_DEADLINE)
          .pollInterval(Duration.ofMillis(10))
          .untilAsserted(
              () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                assertThat(records).hasSizeGreaterThanOrEqualTo(expected);
              });
      consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
    }
    return records;
  }

  /** A ready callback that remembers it was called. */
  static final class ReadyFlag implements Runnable {
    private final AtomicBoolean called = new AtomicBoolean();

    @Override
    public void run() {
      called.set(true);
    }

    boolean called() {
      return called.get();
    }
  }
}
