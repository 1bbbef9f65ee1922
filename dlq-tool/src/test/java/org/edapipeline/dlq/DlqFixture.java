package org.edapipeline.dlq;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.edapipeline.dlq.kafka.DlqClientConfig;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.DeadLetterHeader;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import picocli.CommandLine;

/**
 * Writes dead letters the way the jobs and services do (the catalogue's {@link DeadLetter} in the
 * wire format, keyed by the original key) into real Kafka, reads topics back, and runs the CLI.
 */
final class DlqFixture implements AutoCloseable {

  /** The instant every test's clock says it is. */
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final KafkaExtension kafka;
  private final SchemaRegistryExtension registryExtension;
  private final SchemaRegistryClient registry;
  private final AvroWireSerializer<Object> serializer;
  private final KafkaProducer<byte[], byte[]> producer;

  DlqFixture(KafkaExtension kafka, SchemaRegistryExtension registry) {
    this.kafka = kafka;
    this.registryExtension = registry;
    this.registry =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(registry.url()).build());
    this.serializer = AvroWireSerializer.builder(this.registry).build();
    Map<String, Object> config = kafka.clientConfig();
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  DlqClientConfig clientConfig() {
    return DlqClientConfig.of(kafka.bootstrapServers(), registryExtension.url(), Map.of());
  }

  /** Creates {@code source} and its dead-letter queue. */
  void createTopics(Topic<?, ?> source) {
    kafka.createTopic(source.name(), source.partitions());
    Topic<?, ?> dlq = Topics.dlqOf(source);
    kafka.createTopic(dlq.name(), dlq.partitions(), dlq.config());
  }

  /** A real event in the wire format: a sensor reading, registered under its topic's subject. */
  byte[] sensorReading(String deviceId, UUID eventId) {
    SensorReadingRecorded reading =
        SensorReadingRecorded.newBuilder()
            .setMetadata(
                EventMetadata.newBuilder()
                    .setEventId(eventId)
                    .setEventType("SensorReadingRecorded")
                    .setSchemaVersion(1)
                    .setAggregateType("device")
                    .setAggregateId(deviceId)
                    .setCorrelationId(deviceId)
                    .setOccurredAt(NOW.minusSeconds(600))
                    .build())
            .setDeviceId(deviceId)
            .setSensorType("temperature")
            .setValue(21.5)
            .setUnit("Cel")
            .setMeasuredAt(NOW.minusSeconds(600))
            .build();
    return serializer.serialize(Topics.IOT_READINGS.name(), reading);
  }

  /** A dead letter builder of a record read from {@code source}, as a job writes it. */
  static DeadLetter.Builder letter(Topic<?, ?> source, int sourcePartition, long sourceOffset) {
    UUID eventId = UUID.randomUUID();
    String key = "key-" + sourceOffset;
    return DeadLetter.newBuilder()
        .setOriginalKey(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
        .setOriginalValue(
            ByteBuffer.wrap(("value-" + sourceOffset).getBytes(StandardCharsets.UTF_8)))
        .setOriginalHeaders(
            List.of(
                header(EventHeaders.EVENT_ID, eventId.toString()),
                header(EventHeaders.CORRELATION_ID, "corr-" + sourceOffset),
                header("binary", new byte[] {0, 1, (byte) 0xFE}),
                new DeadLetterHeader("empty", null)))
        .setSourceTopic(source.name())
        .setSourcePartition(sourcePartition)
        .setSourceOffset(sourceOffset)
        .setSourceTimestamp(NOW.minusSeconds(3600))
        .setJobName("test-job")
        .setOperatorUid("test-operator")
        .setErrorCategory(ErrorCategory.PERMANENT)
        .setErrorClass("org.edapipeline.jobs.common.RecordRejectedException")
        .setErrorMessage("quantity must be positive: -1")
        .setStackTrace(
            "org.edapipeline.jobs.common.RecordRejectedException: quantity\n\tat X.y(X.java:1)")
        .setAttemptCount(1)
        .setFirstFailureAt(NOW.minusSeconds(120))
        .setLastFailureAt(NOW.minusSeconds(60))
        .setEventId(eventId)
        .setCorrelationId("corr-" + sourceOffset);
  }

  static DeadLetterHeader header(String key, String value) {
    return header(key, value.getBytes(StandardCharsets.UTF_8));
  }

  static DeadLetterHeader header(String key, byte[] value) {
    return new DeadLetterHeader(key, ByteBuffer.wrap(value));
  }

  /** Writes dead letters to the queue of their source, each keyed by its original key. */
  List<RecordMetadata> write(List<DeadLetter> letters) {
    List<RecordMetadata> written = new ArrayList<>();
    for (DeadLetter letter : letters) {
      String dlq = Topics.dlqOf(Topics.byName(letter.getSourceTopic()).orElseThrow()).name();
      byte[] key = letter.getOriginalKey() == null ? null : bytes(letter.getOriginalKey());
      written.add(send(new ProducerRecord<>(dlq, key, serializer.serialize(dlq, letter))));
    }
    return written;
  }

  /** Writes any bytes, e.g. a record that is not a dead letter. */
  RecordMetadata writeRaw(String topic, int partition, byte[] value) {
    return send(new ProducerRecord<>(topic, partition, null, value));
  }

  private RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
    try {
      return producer.send(record).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every committed record of {@code topic} now, all partitions. */
  List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Map<String, Object> config = kafka.clientConfig();
    config.put("isolation.level", "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Could not read " + topic + " to its end");
        }
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
      return records;
    }
  }

  static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  /** Runs {@code dlq <subcommand> <connection options> <args>}. */
  CliResult cli(String subcommand, String... args) {
    List<String> all = new ArrayList<>();
    all.add(subcommand);
    all.addAll(List.of("-b", kafka.bootstrapServers(), "-r", registryExtension.url()));
    all.addAll(Arrays.asList(args));
    return run(all.toArray(String[]::new));
  }

  /** Runs {@code dlq <args>} as given. */
  static CliResult run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = DlqCli.commandLine(Clock.fixed(NOW, ZoneOffset.UTC));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new CliResult(exitCode, out.toString(), err.toString());
  }

  record CliResult(int exitCode, String out, String err) {}

  @Override
  public void close() {
    producer.close();
    serializer.close();
    registry.close();
  }
}
