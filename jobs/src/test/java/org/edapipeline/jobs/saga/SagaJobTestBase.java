package org.edapipeline.jobs.saga;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.jobs.common.JobEnvironment;
import org.edapipeline.jobs.saga.SagaOrderRecords.Published;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.serde.TopicRecordNameStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the saga job's integration tests share: a real Kafka broker and schema registry and a
 * MiniCluster (one TaskManager, two slots, an in-memory metric reporter), each started once per
 * test class; fresh topics per test; publishing catalogue records as the outbox does (key =
 * aggregate id, the metadata as headers); reading what a {@code read_committed} consumer sees.
 */
abstract class SagaJobTestBase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  /**
   * Sees every metric the job registers, as the web UI and the reporters do; one per cluster,
   * created with it (a reporter is closed with its cluster).
   */
  static volatile InMemoryReporter reporter;

  @RegisterExtension
  @Order(3)
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          () -> {
            reporter = InMemoryReporter.createWithRetainedMetrics();
            return new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(reporter.addToConfiguration(new Configuration()))
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2)
                .build();
          });

  /** Every topic the job reads or writes. */
  static final List<Topic<?, ?>> TOPICS =
      Stream.concat(
              Stream.of(
                  Topics.ORDER_EVENTS,
                  Topics.INVENTORY_EVENTS,
                  Topics.PAYMENT_EVENTS,
                  Topics.SHIPMENT_EVENTS,
                  Topics.SAGA_STATE,
                  Topics.SAGA_COMMANDS),
              Stream.of(
                      Topics.ORDER_EVENTS,
                      Topics.INVENTORY_EVENTS,
                      Topics.PAYMENT_EVENTS,
                      Topics.SHIPMENT_EVENTS,
                      Topics.SAGA_COMMANDS)
                  .map(Topics::dlqOf))
          .collect(Collectors.toUnmodifiableList());

  static final Duration WAIT = Duration.ofSeconds(40);

  static SchemaRegistryClient registry;

  @BeforeAll
  static void connectRegistry() {
    registry =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(REGISTRY.url()).build());
  }

  @AfterAll
  static void closeRegistry() {
    registry.close();
  }

  @BeforeEach
  void freshTopics() throws Exception {
    KAFKA.recreateTopics(
        TOPICS.stream()
            .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.config()))
            .toList());
  }

  /**
   * The job's configuration for one run: its own consumer group and transactional ids, exactly-once
   * checkpoints every 500 ms, parallelism 2, schemas registered by the sinks, and {@code
   * sagaOptions} (pairs of key and value).
   */
  static SagaJobConfig config(String instance, String... sagaOptions) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "--schema-registry.url", REGISTRY.url(),
                "--schema-registry.auto-register", "true",
                "--kafka.group-id", instance,
                "--kafka.transactional-id-prefix", instance,
                "--kafka.starting-offsets", "EARLIEST",
                "--kafka.transaction-timeout", "2 min",
                "--checkpoint.interval", "500 ms",
                "--checkpoint.timeout", "30 s",
                "--parallelism", "2"));
    args.addAll(List.of(sagaOptions));
    return SagaJobConfig.parse(args.toArray(String[]::new));
  }

  /**
   * The job's environment: RocksDB and the rest of {@link JobEnvironment}, with no restarts, or
   * {@code restarts} quick ones for a recovery test.
   */
  static StreamExecutionEnvironment environment(SagaJobConfig config, int restarts) {
    Configuration flink = JobEnvironment.flinkConfiguration(config.common());
    if (restarts == 0) {
      flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    } else {
      flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restarts);
      flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    }
    return StreamExecutionEnvironment.getExecutionEnvironment(flink);
  }

  // --- input ---

  /**
   * Publishes {@code records} in this order, each with the outbox's headers.
   *
   * @return where each record landed, in the same order
   */
  static List<RecordMetadata> publish(List<Published> records) throws Exception {
    AvroWireSerializer<SpecificRecord> serializer =
        AvroWireSerializer.builder(registry)
            .subjectNameStrategy(new TopicRecordNameStrategy())
            .build();
    List<RecordMetadata> sent = new ArrayList<>(records.size());
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      List<java.util.concurrent.Future<RecordMetadata>> futures = new ArrayList<>();
      for (Published record : records) {
        ProducerRecord<byte[], byte[]> out =
            new ProducerRecord<>(
                record.topic().name(),
                utf8(record.key()),
                serializer.serialize(record.topic().name(), record.value()));
        EventMetadata m = record.metadata();
        out.headers().add(EventHeaders.EVENT_ID, utf8(m.getEventId().toString()));
        out.headers().add(EventHeaders.EVENT_TYPE, utf8(m.getEventType()));
        out.headers().add(EventHeaders.CORRELATION_ID, utf8(m.getCorrelationId()));
        if (m.getCausationId() != null) {
          out.headers().add(EventHeaders.CAUSATION_ID, utf8(m.getCausationId()));
        }
        out.headers().add(EventHeaders.TRACEPARENT, utf8(m.getTraceparent()));
        futures.add(producer.send(out));
      }
      for (java.util.concurrent.Future<RecordMetadata> future : futures) {
        sent.add(future.get(30, TimeUnit.SECONDS));
      }
    }
    return sent;
  }

  /** Publishes raw bytes to partition 0 of {@code topic}. */
  static void publishRaw(Topic<?, ?> topic, String key, byte[] value, Map<String, String> headers)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topic.name(), 0, utf8(key), value);
      headers.forEach((k, v) -> out.headers().add(k, utf8(v)));
      producer.send(out).get(30, TimeUnit.SECONDS);
    }
  }

  static byte[] serialize(Topic<?, ?> topic, SpecificRecord value) {
    return AvroWireSerializer.builder(registry)
        .subjectNameStrategy(new TopicRecordNameStrategy())
        .build()
        .serialize(topic.name(), value);
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> config = KAFKA.clientConfig();
    config.put("linger.ms", 5);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  // --- output ---

  /** One committed output record: its key, decoded value, headers and where it is. */
  record Output<T>(String key, T value, Map<String, String> headers, int partition, long offset) {}

  static List<Output<SagaStateChanged>> states() {
    return read(
        Topics.SAGA_STATE, AvroWireDeserializer.forSpecific(registry, SagaStateChanged.class));
  }

  static List<Output<SpecificRecord>> commands() {
    return read(Topics.SAGA_COMMANDS, AvroWireDeserializer.forSpecificByWriterName(registry));
  }

  static List<Output<DeadLetter>> deadLetters(Topic<?, ?> source) {
    return read(Topics.dlqOf(source), AvroWireDeserializer.forSpecific(registry, DeadLetter.class));
  }

  /**
   * Everything committed to {@code topic}, as a read_committed consumer sees it, partition by
   * partition in offset order.
   */
  static <T> List<Output<T>> read(Topic<?, ?> topic, AvroWireDeserializer<T> deserializer) {
    Map<String, Object> config = new HashMap<>(KAFKA.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<Output<T>> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < topic.partitions(); p++) {
        partitions.add(new TopicPartition(topic.name(), p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // the last stable offsets
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          Map<String, String> headers = new LinkedHashMap<>();
          for (Header header : record.headers()) {
            headers.put(
                header.key(),
                header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
          }
          values.add(
              new Output<>(
                  record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                  deserializer.decode(record.value()),
                  headers,
                  record.partition(),
                  record.offset()));
        }
      }
    }
    values.sort(
        java.util.Comparator.<Output<T>>comparingInt(Output::partition)
            .thenComparingLong(Output::offset));
    return values;
  }
}
