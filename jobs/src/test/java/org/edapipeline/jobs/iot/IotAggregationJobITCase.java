package org.edapipeline.jobs.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.edapipeline.jobs.iot.IotTestData.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.jobs.common.EventIdDeduplicator;
import org.edapipeline.jobs.common.JobEnvironment;
import org.edapipeline.jobs.common.JobMetrics;
import org.edapipeline.jobs.iot.functions.LateReadingCounter;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.IotAlert;
import org.edapipeline.outputs.WindowAggregate;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job on a MiniCluster (parallelism 2, RocksDB, checkpoints every 500 ms) between a real
 * Kafka broker and schema registry, with a crafted input: out-of-order, late, too-late, duplicate,
 * invalid and malformed readings, readings of unknown and decommissioned devices, all on partition
 * 0 of {@code iot.readings} so the other two partitions stay idle. Asserts the exact read_committed
 * content of every output topic, and that every input is accounted for, without and with a failure.
 *
 * <p>The input comes in phases so that what is "late" does not depend on timing: phase 1 moves
 * event time to 03:05 (the first three minutes' windows are committed before phase 2 is written);
 * phase 2 brings a late and a too-late reading; once their results are committed, phase 3 brings a
 * sentinel reading a day later that moves the watermark past every window and silence deadline.
 *
 * <p>Why phase 1 is written before the job starts, and why the sentinel comes alone: after every
 * partition has been idle, a source sends its next records while its channels are still marked idle
 * (it marks them active with its next watermark, after the records). A downstream operator fed by
 * two subtasks then ignores the channel the records travel on, and the watermark that the other
 * subtask forwards can overtake them: they become late. Phase 1 is read in the source's first
 * fetch, before anything is idle; phase 2 does not move the watermark, and the sentinel, which
 * does, has no other reading to overtake. After the sources the job keeps its channels active (see
 * {@code MeasuredAtTimestamps}), so window results cannot be overtaken either.
 */
class IotAggregationJobITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  /** The operators' counters, kept after their tasks end (retained metrics). */
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

  private static final Duration DEADLINE = Duration.ofSeconds(40);
  private static final List<Topic<?, ?>> TOPICS =
      List.of(
          Topics.IOT_READINGS,
          Topics.IOT_DEVICES,
          Topics.IOT_AGGREGATES,
          Topics.IOT_ALERTS,
          Topics.IOT_LATE,
          Topics.dlqOf(Topics.IOT_READINGS),
          Topics.dlqOf(Topics.IOT_DEVICES));

  /** Inputs written to {@code iot.readings}: 14 in phase 1, 2 in phase 2, 1 in phase 3. */
  private static final int INPUTS = 17;

  /** Phase 1 writes {@code d1-r2} twice. */
  private static final long DUPLICATES_IN_INPUT = 1;

  private static SchemaRegistryClient registry;

  private static final AtomicBoolean ARMED = new AtomicBoolean();
  private static final AtomicBoolean FAILED = new AtomicBoolean();

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
    ARMED.set(false);
    FAILED.set(false);
    KAFKA.recreateTopics(
        TOPICS.stream()
            .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.config()))
            .toList());
  }

  @Test
  void shouldWriteExactlyTheExpectedOutputsOfACraftedInput() throws Exception {
    Outputs out = runJob("iot-it-plain", false);
    assertThat(out.counted().lateReadings())
        .as("readings counted as too late (%s)", LateReadingCounter.LATE_READINGS_METRIC)
        .isEqualTo(out.late().size());
    assertThat(out.counted().duplicatesDropped())
        .as("duplicates dropped (%s)", EventIdDeduplicator.DUPLICATES_METRIC)
        .isEqualTo(DUPLICATES_IN_INPUT);
    assertExpectedOutputs(out, out.counted().duplicatesDropped());
  }

  @Test
  void shouldWriteTheSameOutputsWhenTheJobFailsAfterACompletedCheckpoint() throws Exception {
    Outputs out = runJob("iot-it-failure", true);
    // The counters are not checkpointed: after the restore, replayed readings are counted again.
    assertExpectedOutputs(out, DUPLICATES_IN_INPUT);
    assertThat(FAILED).as("the injected failure happened").isTrue();
  }

  private Outputs runJob(String instance, boolean injectFailure) throws Exception {
    writeDevices();
    writePhase1(); // read in the source's first fetch (see the class comment)
    IotJobConfig config =
        IotJobConfig.parse(
            new String[] {
              "--kafka.bootstrap-servers", KAFKA.bootstrapServers(),
              "--schema-registry.url", REGISTRY.url(),
              "--schema-registry.auto-register", "true",
              "--kafka.group-id", instance,
              "--kafka.transactional-id-prefix", instance,
              "--kafka.starting-offsets", "EARLIEST",
              "--kafka.transaction-timeout", "2 min",
              "--checkpoint.interval", "500 ms",
              "--checkpoint.timeout", "30 s",
              "--parallelism", "2",
              "--iot.out-of-orderness", "5 s",
              "--iot.idleness", "2 s",
              "--iot.registration-grace", "30 s",
              "--iot.silence.intervals", "3"
            });
    Configuration flink = JobEnvironment.flinkConfiguration(config.common());
    if (injectFailure) {
      flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
      flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    } else {
      flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
    IotAggregationJob.Outputs outputs =
        IotAggregationJob.buildTopology(
            config,
            IotAggregationJob.readingsFromKafka(env, config),
            IotAggregationJob.devicesFromKafka(env, config));
    outputs =
        new IotAggregationJob.Outputs(
            outputs
                .aggregates()
                .map(new FailOnceWhenArmed(), new AvroTypeInfo<>(WindowAggregate.class))
                .uid("test-failure")
                .name("Fail once when armed"),
            outputs.alerts(),
            outputs.late(),
            outputs.deadLetters());
    IotAggregationJob.writeToKafka(outputs, config.common());
    JobClient job = env.executeAsync("iot-it-" + instance);
    Counted counted;
    try {
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  aggregates().stream()
                      .anyMatch(
                          a ->
                              describe(a)
                                  .equals(
                                      "d1 TUMBLING 02:00-03:00 r0 n=1 min=36.0 max=36.0 sum=36.0")));
      ARMED.set(injectFailure); // the correction of the late reading fails the job once
      writePhase2();
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  read(Topics.IOT_LATE, SensorReadingRecorded.class).size() == 1
                      && aggregates().stream()
                          .anyMatch(
                              a ->
                                  describe(a)
                                      .equals(
                                          "d1 TUMBLING 01:00-02:00 r1 n=3 min=31.0 max=35.0"
                                              + " sum=98.0")));
      writePhase3();
      await()
          .atMost(DEADLINE)
          .untilAsserted(
              () ->
                  assertThat(
                          List.of(
                              aggregates().size(),
                              alerts().size(),
                              read(Topics.IOT_LATE, SensorReadingRecorded.class).size(),
                              deadLetters().size()))
                      .as(
                          "aggregates, alerts, late, dead letters: %s %s %s",
                          aggregates().stream().map(IotAggregationJobITCase::describe).toList(),
                          alerts().stream().map(IotAggregationJobITCase::describe).toList(),
                          deadLetters().stream().map(IotAggregationJobITCase::reason).toList())
                      .containsExactly(21, 3, 1, 6));
      // Every output is committed, so every reading has passed the operators that count.
      counted =
          new Counted(
              JobMetrics.counter(
                  reporter,
                  job.getJobID(),
                  IotAggregationJob.LATE.name(),
                  LateReadingCounter.LATE_READINGS_METRIC),
              JobMetrics.counter(
                  reporter,
                  job.getJobID(),
                  IotAggregationJob.VALIDATE.name(),
                  EventIdDeduplicator.DUPLICATES_METRIC));
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
      // Cancelling is acknowledged before the tasks stop: wait, so no sink outlives its test.
      await().atMost(DEADLINE).until(() -> job.getJobStatus().get().isGloballyTerminalState());
    }
    return new Outputs(
        aggregates(),
        alerts(),
        read(Topics.IOT_LATE, SensorReadingRecorded.class),
        deadLetters(),
        read(Topics.dlqOf(Topics.IOT_DEVICES), DeadLetter.class),
        counted);
  }

  private record Outputs(
      List<WindowAggregate> aggregates,
      List<IotAlert> alerts,
      List<SensorReadingRecorded> late,
      List<DeadLetter> readingDeadLetters,
      List<DeadLetter> deviceDeadLetters,
      Counted counted) {}

  /** The job's counters, summed over subtasks and over the attempts of a restarted job. */
  private record Counted(long lateReadings, long duplicatesDropped) {}

  /**
   * Asserts the exact outputs, and that with {@code duplicatesDropped} they account for every
   * input.
   */
  private void assertExpectedOutputs(Outputs out, long duplicatesDropped) {
    assertThat(out.aggregates().stream().map(IotAggregationJobITCase::describe).sorted())
        .containsExactlyElementsOf(
            List.of(
                    // tumbling: first results, then w1's correction by the late reading
                    "d1 TUMBLING 00:00-01:00 r0 n=2 min=20.0 max=40.0 sum=60.0",
                    "d1 TUMBLING 01:00-02:00 r0 n=2 min=31.0 max=35.0 sum=66.0",
                    "d1 TUMBLING 01:00-02:00 r1 n=3 min=31.0 max=35.0 sum=98.0",
                    "d1 TUMBLING 02:00-03:00 r0 n=1 min=36.0 max=36.0 sum=36.0",
                    "d1 TUMBLING 03:00-04:00 r0 n=1 min=37.0 max=37.0 sum=37.0",
                    "d2 TUMBLING 00:00-01:00 r0 n=1 min=10.0 max=10.0 sum=10.0",
                    // sliding 5 min / 1 min, merged from the slices
                    "d1 SLIDING -4:00-01:00 r0 n=2 min=20.0 max=40.0 sum=60.0",
                    "d1 SLIDING -3:00-02:00 r0 n=4 min=20.0 max=40.0 sum=126.0",
                    "d1 SLIDING -3:00-02:00 r1 n=5 min=20.0 max=40.0 sum=158.0",
                    "d1 SLIDING -2:00-03:00 r0 n=5 min=20.0 max=40.0 sum=162.0",
                    "d1 SLIDING -2:00-03:00 r1 n=6 min=20.0 max=40.0 sum=194.0",
                    "d1 SLIDING -1:00-04:00 r0 n=7 min=20.0 max=40.0 sum=231.0",
                    "d1 SLIDING 00:00-05:00 r0 n=7 min=20.0 max=40.0 sum=231.0",
                    "d1 SLIDING 01:00-06:00 r0 n=5 min=31.0 max=37.0 sum=171.0",
                    "d1 SLIDING 02:00-07:00 r0 n=2 min=36.0 max=37.0 sum=73.0",
                    "d1 SLIDING 03:00-08:00 r0 n=1 min=37.0 max=37.0 sum=37.0",
                    "d2 SLIDING -4:00-01:00 r0 n=1 min=10.0 max=10.0 sum=10.0",
                    "d2 SLIDING -3:00-02:00 r0 n=1 min=10.0 max=10.0 sum=10.0",
                    "d2 SLIDING -2:00-03:00 r0 n=1 min=10.0 max=10.0 sum=10.0",
                    "d2 SLIDING -1:00-04:00 r0 n=1 min=10.0 max=10.0 sum=10.0",
                    "d2 SLIDING 00:00-05:00 r0 n=1 min=10.0 max=10.0 sum=10.0")
                .stream()
                .sorted()
                .toList());
    assertThat(out.aggregates().stream().map(a -> a.getMetadata().getEventId()))
        .as("no aggregate twice")
        .doesNotHaveDuplicates();
    assertThat(out.alerts().stream().map(IotAggregationJobITCase::describe).sorted())
        .containsExactly(
            "d1 DEVICE_SILENT null 03:10-03:40 n=3 value=null threshold=null",
            "d1 THRESHOLD_BREACHED temperature 01:00-04:00 n=3 value=37.0 threshold=30.0",
            "d2 DEVICE_SILENT null 00:20-00:50 n=3 value=null threshold=null");
    assertThat(out.late())
        .extracting(r -> r.getMetadata().getEventId())
        .containsExactly(id("d1-too-late"));
    assertThat(
            out.readingDeadLetters().stream()
                .map(d -> d.getErrorCategory() + " " + reason(d) + " " + d.getEventId())
                .sorted())
        .containsExactlyElementsOf(
            List.of(
                    "PERMANENT INVALID_VALUE " + id("d1-nan"),
                    "PERMANENT OUT_OF_PHYSICAL_RANGE " + id("d1-out-of-range"),
                    "PERMANENT FUTURE_TIMESTAMP " + id("d1-future"),
                    "PERMANENT UNKNOWN_DEVICE " + id("d9-unknown"),
                    "PERMANENT DECOMMISSIONED_DEVICE " + id("d3-retired"),
                    "POISON " + UnknownMagic.NAME + " " + id("malformed"))
                .stream()
                .sorted()
                .toList());
    DeadLetter malformed =
        out.readingDeadLetters().stream()
            .filter(d -> d.getErrorCategory().name().equals("POISON"))
            .findFirst()
            .orElseThrow();
    assertThat(new String(malformed.getOriginalValue().array(), StandardCharsets.UTF_8))
        .isEqualTo("{not avro}");
    assertThat(malformed.getSourceTopic()).isEqualTo(Topics.IOT_READINGS.name());
    assertThat(malformed.getSourcePartition()).isZero();
    assertThat(malformed.getOperatorUid()).isEqualTo(IotAggregationJob.READINGS_SOURCE.uid());
    assertThat(out.deviceDeadLetters()).isEmpty();

    // Accounting: every input is aggregated (latest revision of each tumbling window), late,
    // dead-lettered, a dropped duplicate, or the sentinel whose window never closes (1).
    long aggregated =
        out.aggregates().stream()
            .filter(a -> a.getWindowKind().name().equals("TUMBLING"))
            .collect(
                Collectors.toMap(
                    a -> a.getDeviceId() + a.getWindowStart(),
                    a -> a,
                    (a, b) -> a.getRevision() > b.getRevision() ? a : b))
            .values()
            .stream()
            .mapToLong(WindowAggregate::getCount)
            .sum();
    assertThat(
            aggregated
                + out.late().size()
                + out.readingDeadLetters().size()
                + duplicatesDropped
                + 1)
        .as(
            "aggregated %s + late + dead letters + duplicates %s + sentinel",
            aggregated, duplicatesDropped)
        .isEqualTo(INPUTS);
  }

  /** Names the class of the malformed record's error, as the serde documents it. */
  private static final class UnknownMagic {
    static final String NAME = "org.edapipeline.schemas.serde.UnknownMagicByteException";
  }

  private static String reason(DeadLetter letter) {
    if (!letter.getErrorClass().endsWith("RecordRejectedException")) {
      return letter.getErrorClass();
    }
    return letter.getErrorMessage().substring(0, letter.getErrorMessage().indexOf(':'));
  }

  // --- input ---

  private void writeDevices() throws Exception {
    Instant before = T0.minus(Duration.ofHours(1));
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      AvroWireSerializer<SpecificRecord> serializer =
          AvroWireSerializer.builder(registry)
              .subjectNameStrategy(new TopicRecordNameStrategy())
              .build();
      for (SpecificRecord device :
          List.<SpecificRecord>of(
              registered("d1", before),
              registered("d2", before),
              // Compacted: only the latest record of a retired device is left. (With its
              // registration still there, a reading read between the two would be accepted.)
              decommissioned("d3", before.plusSeconds(1)),
              registered("zz", before))) {
        String id = DeviceUpdateKey.of(device);
        producer
            .send(
                new ProducerRecord<>(
                    Topics.IOT_DEVICES.name(),
                    0,
                    utf8(id),
                    serializer.serialize(Topics.IOT_DEVICES.name(), device)))
            .get();
      }
    }
  }

  private static final class DeviceUpdateKey {
    static String of(SpecificRecord record) {
      return (String) record.get(record.getSchema().getField("deviceId").pos());
    }
  }

  private void writePhase1() throws Exception {
    SensorReadingRecorded duplicated = reading("d1-r2", "d1", 40, at(30));
    Instant future = Instant.now().plus(Duration.ofDays(1));
    writeReadings(
        List.of(
            reading("d1-r1", "d1", 20, at(10)),
            duplicated,
            reading("d2-r1", "d2", 10, at(20)),
            reading("d9-unknown", "d9", 20, at(15)),
            reading("d3-retired", "d3", 20, at(20)),
            reading("d1-nan", "d1", Double.NaN, at(40)),
            reading("d1-out-of-range", "d1", 999, at(50)),
            reading("d1-future", "d1", 20, future),
            duplicated,
            reading("d1-r3", "d1", 35, at(80)),
            reading("d1-r4", "d1", 31, at(65)),
            reading("d1-r5", "d1", 36, at(130)),
            reading("d1-r6", "d1", 37, at(190))));
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      ProducerRecord<byte[], byte[]> malformed =
          new ProducerRecord<>(
              Topics.IOT_READINGS.name(),
              0,
              utf8("d1"),
              "{not avro}".getBytes(StandardCharsets.UTF_8));
      malformed.headers().add(EventHeaders.EVENT_ID, utf8(id("malformed").toString()));
      producer.send(malformed).get();
    }
  }

  private void writePhase2() throws Exception {
    writeReadings(
        List.of(
            reading("d1-late", "d1", 32, at(110)), // window 01:00-02:00 fired, within lateness
            reading("d1-too-late", "d1", 25, at(45)))); // window 00:00-01:00 is past its lateness
  }

  private void writePhase3() throws Exception {
    writeReadings(List.of(reading("sentinel", "zz", 1, T0.plus(Duration.ofDays(1)))));
  }

  private void writeReadings(List<SensorReadingRecorded> readings) throws Exception {
    AvroWireSerializer<SensorReadingRecorded> serializer =
        AvroWireSerializer.builder(registry).build();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (SensorReadingRecorded reading : readings) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.IOT_READINGS.name(),
                    0, // partitions 1 and 2 stay idle: windows must fire anyway
                    utf8(reading.getDeviceId()),
                    serializer.serialize(Topics.IOT_READINGS.name(), reading)))
            .get();
      }
    }
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> config = KAFKA.clientConfig();
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  // --- output ---

  private List<WindowAggregate> aggregates() {
    return read(Topics.IOT_AGGREGATES, WindowAggregate.class);
  }

  private List<IotAlert> alerts() {
    return read(Topics.IOT_ALERTS, IotAlert.class);
  }

  private List<DeadLetter> deadLetters() {
    return read(Topics.dlqOf(Topics.IOT_READINGS), DeadLetter.class);
  }

  /** Everything committed to {@code topic}, as a read_committed consumer sees it. */
  private <T extends SpecificRecord> List<T> read(Topic<?, ?> topic, Class<T> type) {
    Map<String, Object> config = new HashMap<>(KAFKA.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    AvroWireDeserializer<T> deserializer = AvroWireDeserializer.forSpecific(registry, type);
    List<T> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < topic.partitions(); p++) {
        partitions.add(new TopicPartition(topic.name(), p));
      }
      consumer.assign(partitions);
      // Outputs are never deleted while a test runs (e.g. by time-based retention judging records
      // by an event-time timestamp from the test's past): what was committed is still there.
      assertThat(consumer.beginningOffsets(partitions).values())
          .as("log start offsets of %s", topic.name())
          .containsOnly(0L);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // the last stable offsets
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(deserializer.decode(record.value()));
        }
      }
    }
    return values;
  }

  private static String describe(WindowAggregate a) {
    return a.getDeviceId()
        + " "
        + a.getWindowKind()
        + " "
        + clock(a.getWindowStart())
        + "-"
        + clock(a.getWindowEnd())
        + " r"
        + a.getRevision()
        + " n="
        + a.getCount()
        + " min="
        + a.getMin()
        + " max="
        + a.getMax()
        + " sum="
        + a.getSum();
  }

  private static String describe(IotAlert a) {
    return a.getDeviceId()
        + " "
        + a.getAlertType()
        + " "
        + a.getSensorType()
        + " "
        + clock(a.getWindowStart())
        + "-"
        + clock(a.getWindowEnd())
        + " n="
        + a.getConsecutiveWindows()
        + " value="
        + a.getValue()
        + " threshold="
        + a.getThreshold();
  }

  /** Minutes and seconds since {@code T0}, negative before it: {@code -4:00}, {@code 03:10}. */
  private static String clock(Instant instant) {
    long seconds = Duration.between(T0, instant).getSeconds();
    String sign = seconds < 0 ? "-" : "";
    long abs = Math.abs(seconds);
    return sign.isEmpty()
        ? String.format("%02d:%02d", abs / 60, abs % 60)
        : String.format("-%d:%02d", abs / 60, abs % 60);
  }

  /** Fails the job once, on the first aggregate after the test armed it. */
  private static final class FailOnceWhenArmed
      implements MapFunction<WindowAggregate, WindowAggregate> {
    private static final long serialVersionUID = 1L;

    @Override
    public WindowAggregate map(WindowAggregate value) {
      if (ARMED.get() && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("Injected failure after a completed checkpoint");
      }
      return value;
    }
  }
}
