package org.edapipeline.jobs.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.edapipeline.jobs.iot.IotTestData.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
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
import org.edapipeline.dlq.kafka.DlqClientConfig;
import org.edapipeline.dlq.kafka.DlqTopic;
import org.edapipeline.dlq.replay.ReplayListener;
import org.edapipeline.dlq.replay.ReplayOptions;
import org.edapipeline.dlq.replay.ReplayReport;
import org.edapipeline.dlq.replay.Replayer;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.jobs.common.BadInputCorpus;
import org.edapipeline.jobs.common.BadInputCorpus.BadInput;
import org.edapipeline.jobs.common.BadInputCorpus.BadRecord;
import org.edapipeline.jobs.common.BadInputCorpus.Destination;
import org.edapipeline.jobs.common.BadInputCorpus.Expected;
import org.edapipeline.jobs.common.BadInputCorpus.Sent;
import org.edapipeline.jobs.common.DecodingDeserializationSchema;
import org.edapipeline.jobs.common.EventIdDeduplicator;
import org.edapipeline.jobs.common.JobEnvironment;
import org.edapipeline.jobs.common.JobMetrics;
import org.edapipeline.jobs.common.Sourced;
import org.edapipeline.jobs.iot.records.DeviceUpdate;
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
import org.edapipeline.schemas.serde.SchemaMismatchException;
import org.edapipeline.schemas.serde.TopicRecordNameStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input and dead-letter replay against the IoT job on a MiniCluster (parallelism 2, RocksDB,
 * checkpoints every 500 ms) between a real Kafka broker and schema registry.
 *
 * <p>The corpus ({@link BadInputCorpus}) is fed to {@code iot.readings} and {@code iot.devices}
 * once the clean readings' first windows are committed: every bad record must land in the DLQ of
 * its topic with its provenance (or be dropped as a duplicate, counted; or, for a device
 * registration sent twice, be applied idempotently), the job must not restart, and the aggregates,
 * alerts and late readings must equal those of a run without the corpus. Then the same with one
 * failure injected after a completed checkpoint, on the first corpus record: every reading is
 * accounted for exactly once in the windows, {@code iot.late}, the DLQ or the dedupe counter.
 *
 * <p>Event time is kept deterministic as in {@link IotAggregationJobITCase}: the clean readings are
 * written before the job starts (read in the source's first fetch), the corpus and the redeliveries
 * never reach a window, and the sentinel that moves event time past every window comes last and
 * alone.
 *
 * <p>The replay test runs the fix-and-replay loop through the running job: readings of a device not
 * registered yet become UNKNOWN_DEVICE dead letters; the device is registered; the dlq tool's
 * {@link Replayer} puts them back (interrupted after two, then resumed); their window shows each
 * exactly once; replaying again publishes nothing, and replaying from the start again is dropped by
 * the dedupe on event id.
 */
class IotBadInputITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

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

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final List<Topic<?, ?>> TOPICS =
      List.of(
          Topics.IOT_READINGS,
          Topics.IOT_DEVICES,
          Topics.IOT_AGGREGATES,
          Topics.IOT_ALERTS,
          Topics.IOT_LATE,
          Topics.dlqOf(Topics.IOT_READINGS),
          Topics.dlqOf(Topics.IOT_DEVICES));

  /** The clean readings, in the order written: increasing event time on partition 0. */
  private static final List<SensorReadingRecorded> CLEAN =
      List.of(
          reading("c-d1-1", "d1", 20, at(10)),
          reading("c-d2-1", "d2", 10, at(20)),
          reading("c-d1-2", "d1", 21, at(70)),
          reading("c-d2-2", "d2", 11, at(80)),
          reading("c-d1-3", "d1", 22, at(130)));

  /**
   * What the clean readings give once the sentinel passed: tumbling windows d1 00:00, 01:00, 02:00
   * and d2 00:00, 01:00; the sliding windows (5 min every 1 min) covering them, 7 for d1 and 6 for
   * d2; a silence alert per device.
   */
  private static final int AGGREGATES = 5 + 7 + 6;

  private static final int ALERTS = 2;

  /** A reading a day later: moves event time past every window; its own window never closes. */
  private static final SensorReadingRecorded SENTINEL =
      reading("sentinel", "zz", 1, T0.plus(Duration.ofDays(1)));

  private static final String VALIDATE = IotAggregationJob.VALIDATE.name();

  private static final AtomicBoolean ARMED = new AtomicBoolean();
  private static final AtomicBoolean FAILED = new AtomicBoolean();

  private static SchemaRegistryClient registry;
  private static Outputs baseline;

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

  /** What the job committed, each record as key and payload (no Kafka timestamps). */
  private record Outputs(
      Set<String> aggregates,
      Set<String> alerts,
      Set<String> late,
      Map<String, List<DeadLetter>> deadLetters,
      List<WindowAggregate> aggregateRecords) {}

  private record Run(Outputs outputs, List<Sent> corpus, long duplicatesDropped) {}

  // --- the corpus ---

  @Test
  void shouldDeadLetterEveryBadRecordWithoutARestartAndLeaveTheOutputsUnchanged() throws Exception {
    Outputs clean = baseline();
    Run run = run("iot-corpus", false);

    BadInputCorpus.assertDeadLettered(run.corpus(), run.outputs().deadLetters());
    assertThat(run.duplicatesDropped())
        .isEqualTo(BadInputCorpus.count(run.corpus(), Destination.DEDUPE));
    assertThat(run.outputs().aggregates()).isEqualTo(clean.aggregates());
    assertThat(run.outputs().alerts()).isEqualTo(clean.alerts());
    assertThat(run.outputs().late()).isEqualTo(clean.late());
    assertThat(run.corpus())
        .extracting(s -> s.record().kind())
        .as("every class of the corpus")
        .contains(BadInput.values());
    assertEveryReadingAccountedFor(run);
  }

  @Test
  void shouldAccountForEveryInputExactlyOnceWhenTheJobFailsDuringTheCorpus() throws Exception {
    Outputs clean = baseline();
    Run run = run("iot-corpus-failure", true);
    assertThat(FAILED).as("the injected failure happened").isTrue();

    assertThat(run.outputs().aggregates()).isEqualTo(clean.aggregates());
    assertThat(run.outputs().alerts()).isEqualTo(clean.alerts());
    assertThat(run.outputs().late()).isEqualTo(clean.late());
    BadInputCorpus.assertDeadLettered(run.corpus(), run.outputs().deadLetters());
    assertThat(run.duplicatesDropped())
        .isEqualTo(BadInputCorpus.count(run.corpus(), Destination.DEDUPE));
    assertEveryReadingAccountedFor(run);
  }

  /**
   * Every reading written is in exactly one place: a window (the latest revision of each tumbling
   * window counts it), {@code iot.late}, the DLQ, the dedupe counter, or it is the sentinel.
   */
  private static void assertEveryReadingAccountedFor(Run run) {
    long written =
        CLEAN.size()
            + 1
            + run.corpus().stream()
                .filter(s -> s.record().topic().equals(Topics.IOT_READINGS))
                .count();
    long aggregated =
        run.outputs().aggregateRecords().stream()
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
    long deadLettered =
        run.outputs().deadLetters().get(Topics.dlqOf(Topics.IOT_READINGS).name()).size();
    assertThat(
            aggregated
                + run.outputs().late().size()
                + deadLettered
                + run.duplicatesDropped()
                + 1 /* the sentinel */)
        .isEqualTo(written);
  }

  private Outputs baseline() throws Exception {
    if (baseline == null) {
      baseline = run("iot-clean", null).outputs();
      assertThat(baseline.deadLetters().values()).allSatisfy(d -> assertThat(d).isEmpty());
      freshTopics();
    }
    return baseline;
  }

  /**
   * One run: clean input, then (unless {@code injectFailure} is null) the corpus, then the
   * redeliveries, then the sentinel.
   *
   * @param injectFailure null for no corpus; else whether the first corpus record fails the job
   */
  private Run run(String instance, Boolean injectFailure) throws Exception {
    boolean corpus = injectFailure != null;
    boolean fail = Boolean.TRUE.equals(injectFailure);
    ARMED.set(false);
    FAILED.set(false);
    writeDevices("d1", "d2", "zz");
    writeReadings(CLEAN);

    IotJobConfig config = config(instance);
    StreamExecutionEnvironment env = environment(config, fail ? 2 : 0);
    DataStream<Sourced<SensorReadingRecorded>> readings =
        IotAggregationJob.readingsFromKafka(env, config);
    IotAggregationJob.writeToKafka(
        IotAggregationJob.buildTopology(
            config,
            readings
                .map(new FailOnceWhenArmed(), readings.getType())
                .uid("test-failure")
                .name("Fail once when armed"),
            IotAggregationJob.devicesFromKafka(env, config)),
        config.common());
    JobClient job = env.executeAsync("iot-bad-input-" + instance);
    List<Sent> sent = List.of();
    long duplicates = 0;
    try {
      // The first windows are committed: a checkpoint completed after every clean reading.
      await().atMost(DEADLINE).until(() -> !aggregates().isEmpty());
      if (corpus) {
        ARMED.set(fail); // the first corpus reading fails the job once
        sent = BadInputCorpus.publish(KAFKA.clientConfig(), corpus());
        List<Sent> published = sent;
        // Polled until every letter is there; a letter missing or wrong is named when it fails.
        await()
            .atMost(DEADLINE)
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> BadInputCorpus.assertDeadLettered(published, deadLetters()));
        // Redeliveries only now, after any restart: each is counted by one attempt only.
        List<Sent> redelivered = BadInputCorpus.publish(KAFKA.clientConfig(), redeliveries());
        List<Sent> all = new ArrayList<>(sent);
        all.addAll(redelivered);
        sent = all;
        long expectedDuplicates = BadInputCorpus.count(sent, Destination.DEDUPE);
        await()
            .atMost(DEADLINE)
            .until(
                () ->
                    JobMetrics.counter(
                        reporter, job.getJobID(), VALIDATE, EventIdDeduplicator.DUPLICATES_METRIC),
                n -> n == expectedDuplicates);
        duplicates =
            JobMetrics.counter(
                reporter, job.getJobID(), VALIDATE, EventIdDeduplicator.DUPLICATES_METRIC);
      }
      writeReadings(List.of(SENTINEL));
      await()
          .atMost(DEADLINE)
          .untilAsserted(
              () ->
                  assertThat(List.of(aggregates().size(), alerts().size()))
                      .as("aggregates and alerts")
                      .containsExactly(AGGREGATES, ALERTS));
      assertThat(job.getJobStatus().get(30, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
      assertThat(JobMetrics.numRestarts(reporter, job.getJobID()))
          .as("restarts")
          .isEqualTo(fail ? 1 : 0);
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
      await().atMost(DEADLINE).until(() -> job.getJobStatus().get().isGloballyTerminalState());
    }
    return new Run(outputs(), sent, duplicates);
  }

  /** The corpus for both input topics, from valid records of each. */
  private static List<BadRecord> corpus() {
    List<BadRecord> corpus = new ArrayList<>();
    Topic<?, ?> readings = Topics.IOT_READINGS;
    corpus.addAll(
        BadInputCorpus.undecodable(
            readings, "d1", wire(reading("bad-template", "d1", 20, at(30)))));
    corpus.add(
        BadInputCorpus.of(
            BadInput.NULL_KEY,
            readings,
            null,
            wire(reading("bad-no-key", "d1", 20, at(30))),
            id("bad-no-key"),
            Expected.rejected(DecodingDeserializationSchema.MISSING_KEY)));
    corpus.add(
        BadInputCorpus.of(
            BadInput.OTHER_SCHEMA,
            readings,
            "d1",
            wire(readings, registered("d1", T0)),
            Expected.poison(SchemaMismatchException.class)));
    corpus.add(
        BadInputCorpus.of(
            BadInput.OUT_OF_DOMAIN,
            readings,
            "d1",
            wire(reading("bad-nan", "d1", Double.NaN, at(40))),
            id("bad-nan"),
            Expected.rejected("INVALID_VALUE")));
    corpus.add(
        BadInputCorpus.of(
            BadInput.OUT_OF_DOMAIN,
            readings,
            "d1",
            wire(reading("bad-negative", "d1", -999, at(45))),
            id("bad-negative"),
            Expected.rejected("OUT_OF_PHYSICAL_RANGE")));
    corpus.add(
        BadInputCorpus.of(
            BadInput.FUTURE_TIMESTAMP,
            readings,
            "d1",
            wire(reading("bad-future", "d1", 20, Instant.now().plus(Duration.ofDays(1)))),
            id("bad-future"),
            Expected.rejected("FUTURE_TIMESTAMP")));

    Topic<?, ?> devices = Topics.IOT_DEVICES;
    byte[] device = wire(devices, registered("d8", T0));
    corpus.addAll(BadInputCorpus.undecodable(devices, "d8", device));
    corpus.add(BadInputCorpus.of(BadInput.NULL_KEY, devices, null, device, Expected.REFUSED));
    corpus.add(
        BadInputCorpus.of(
            BadInput.OTHER_SCHEMA,
            devices,
            "d1",
            wire(devices, reading("bad-on-devices", "d1", 20, at(30))),
            Expected.rejected(DeviceUpdate.NOT_A_DEVICE_EVENT)));
    return corpus;
  }

  /** A clean reading read again, and a device registered again (an idempotent upsert). */
  private static List<BadRecord> redeliveries() {
    SensorReadingRecorded first = CLEAN.get(0);
    return List.of(
        BadInputCorpus.duplicate(
            Topics.IOT_READINGS,
            first.getDeviceId(),
            wire(first),
            Map.of(EventHeaders.EVENT_ID, first.getMetadata().getEventId().toString()),
            Expected.DEDUPED),
        BadInputCorpus.duplicate(
            Topics.IOT_DEVICES,
            "d1",
            wire(Topics.IOT_DEVICES, registered("d1", T0.minus(Duration.ofHours(1)))),
            Map.of(),
            Expected.IDEMPOTENT_UPSERT));
  }

  // --- replay ---

  @Test
  void shouldProcessReplayedDeadLettersOnceAfterTheirCauseIsFixedAndResumeAnInterruptedReplay()
      throws Exception {
    writeDevices("d1");
    // d7 is not registered yet: its readings wait for the grace (30 s of event time), then go to
    // the DLQ as UNKNOWN_DEVICE once d1's reading at 02:50 moves event time to 02:45.
    List<SensorReadingRecorded> unknown =
        List.of(
            reading("d7-1", "d7", 20, at(100)),
            reading("d7-2", "d7", 21, at(105)),
            reading("d7-3", "d7", 22, at(110)));
    List<SensorReadingRecorded> input = new ArrayList<>();
    input.add(reading("r-d1-1", "d1", 20, at(90)));
    input.addAll(unknown);
    input.add(reading("r-d1-2", "d1", 21, at(170)));
    writeReadings(input);

    IotJobConfig config = config("iot-replay");
    StreamExecutionEnvironment env = environment(config, 0);
    IotAggregationJob.writeToKafka(
        IotAggregationJob.buildTopology(
            config,
            IotAggregationJob.readingsFromKafka(env, config),
            IotAggregationJob.devicesFromKafka(env, config)),
        config.common());
    JobClient job = env.executeAsync("iot-replay");
    DlqClientConfig dlqClient =
        DlqClientConfig.of(KAFKA.bootstrapServers(), REGISTRY.url(), Map.of());
    DlqTopic dlq = DlqTopic.ofSource(Topics.IOT_READINGS.name());
    try {
      await()
          .atMost(DEADLINE)
          .until(
              () -> deadLetters().get(dlq.name()),
              letters ->
                  letters.size() == 3
                      && letters.stream()
                          .allMatch(d -> BadInputCorpus.error(d).equals("UNKNOWN_DEVICE")));
      assertThat(windowOf("d7")).isEmpty();

      writeDevices("d7"); // the fix
      // Interrupted after two records, then resumed: each record is published once.
      ReplayReport first =
          new Replayer(dlqClient, ReplayOptions.defaults(dlq).withLimit(2), new ReplayListener() {})
              .run();
      assertThat(first.replayed()).isEqualTo(2);
      assertThat(first.complete()).isFalse();
      ReplayReport rest =
          new Replayer(dlqClient, ReplayOptions.defaults(dlq), new ReplayListener() {}).run();
      assertThat(rest.replayed()).isEqualTo(1);
      assertThat(rest.complete()).isTrue();

      // d7's window 01:00-02:00 (still within its allowed lateness) counts each reading once.
      await()
          .atMost(DEADLINE)
          .untilAsserted(() -> assertThat(latestCount(windowOf("d7"))).isEqualTo(3));

      // Replaying again: the job's progress says everything was replayed, nothing is published.
      ReplayReport again =
          new Replayer(dlqClient, ReplayOptions.defaults(dlq), new ReplayListener() {}).run();
      assertThat(again.replayed()).isZero();
      // From the start: the same event ids again, dropped by the job's dedupe.
      ReplayReport fromStart =
          new Replayer(
                  dlqClient,
                  ReplayOptions.defaults(dlq).withJob("from-start").withFromStart(true),
                  new ReplayListener() {})
              .run();
      assertThat(fromStart.replayed()).isEqualTo(3);
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  JobMetrics.counter(
                      reporter, job.getJobID(), VALIDATE, EventIdDeduplicator.DUPLICATES_METRIC),
              n -> n == 3);
      int aggregatesBefore = aggregates().size();
      // A checkpoint later, still the same: nothing of the second replay reached a window.
      long checkpoints = completedCheckpoints(job);
      await().atMost(DEADLINE).until(() -> completedCheckpoints(job) >= checkpoints + 2);
      assertThat(aggregates()).hasSize(aggregatesBefore);
      assertThat(latestCount(windowOf("d7"))).isEqualTo(3);
      assertThat(deadLetters().get(dlq.name())).hasSize(3);
      assertThat(job.getJobStatus().get(30, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
      await().atMost(DEADLINE).until(() -> job.getJobStatus().get().isGloballyTerminalState());
    }
  }

  private static List<WindowAggregate> windowOf(String deviceId) {
    return aggregates().stream()
        .filter(a -> a.getDeviceId().equals(deviceId))
        .filter(a -> a.getWindowKind().name().equals("TUMBLING"))
        .toList();
  }

  private static long latestCount(List<WindowAggregate> revisions) {
    return revisions.stream()
        .max((a, b) -> Integer.compare(a.getRevision(), b.getRevision()))
        .map(WindowAggregate::getCount)
        .orElse(0L);
  }

  private static long completedCheckpoints(JobClient job) {
    return JobMetrics.gauge(reporter, job.getJobID(), "numberOfCompletedCheckpoints");
  }

  // --- the job ---

  private static IotJobConfig config(String instance) {
    return IotJobConfig.parse(
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
  }

  private static StreamExecutionEnvironment environment(IotJobConfig config, int restarts) {
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

  private static void writeDevices(String... deviceIds) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (String deviceId : deviceIds) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.IOT_DEVICES.name(),
                    0,
                    utf8(deviceId),
                    wire(Topics.IOT_DEVICES, registered(deviceId, T0.minus(Duration.ofHours(1))))))
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Writes readings to partition 0, in order (partitions 1 and 2 stay idle). */
  private static void writeReadings(List<SensorReadingRecorded> readings) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (SensorReadingRecorded r : readings) {
        ProducerRecord<byte[], byte[]> out =
            new ProducerRecord<>(Topics.IOT_READINGS.name(), 0, utf8(r.getDeviceId()), wire(r));
        out.headers().add(EventHeaders.EVENT_ID, utf8(r.getMetadata().getEventId().toString()));
        producer.send(out).get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** The wire bytes of a reading on {@code iot.readings} (subject {@code iot.readings-value}). */
  private static byte[] wire(SensorReadingRecorded reading) {
    return AvroWireSerializer.<SensorReadingRecorded>builder(registry)
        .build()
        .serialize(Topics.IOT_READINGS.name(), reading);
  }

  /** The wire bytes of {@code record} on {@code topic}, under its own record-name subject. */
  private static byte[] wire(Topic<?, ?> topic, SpecificRecord record) {
    return AvroWireSerializer.builder(registry)
        .subjectNameStrategy(new TopicRecordNameStrategy())
        .build()
        .serialize(topic.name(), record);
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        KAFKA.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  // --- output ---

  private static Outputs outputs() {
    List<WindowAggregate> aggregates = aggregates();
    return new Outputs(
        describe(aggregates),
        describe(alerts()),
        describe(read(Topics.IOT_LATE, SensorReadingRecorded.class)),
        deadLetters(),
        aggregates);
  }

  private static <T> Set<String> describe(List<T> records) {
    return records.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<WindowAggregate> aggregates() {
    return read(Topics.IOT_AGGREGATES, WindowAggregate.class);
  }

  private static List<IotAlert> alerts() {
    return read(Topics.IOT_ALERTS, IotAlert.class);
  }

  private static Map<String, List<DeadLetter>> deadLetters() {
    Map<String, List<DeadLetter>> letters = new LinkedHashMap<>();
    for (Topic<?, ?> input : List.of(Topics.IOT_READINGS, Topics.IOT_DEVICES)) {
      letters.put(Topics.dlqOf(input).name(), read(Topics.dlqOf(input), DeadLetter.class));
    }
    return letters;
  }

  /** Everything committed to {@code topic}, as a read_committed consumer sees it. */
  private static <T extends SpecificRecord> List<T> read(Topic<?, ?> topic, Class<T> type) {
    Map<String, Object> config = new HashMap<>(KAFKA.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
    AvroWireDeserializer<T> deserializer = AvroWireDeserializer.forSpecific(registry, type);
    List<T> values = new ArrayList<>();
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
          values.add(deserializer.decode(record.value()));
        }
      }
    }
    return values;
  }

  /** Fails the job once, on the first reading read after the test armed it. */
  private static final class FailOnceWhenArmed
      implements MapFunction<Sourced<SensorReadingRecorded>, Sourced<SensorReadingRecorded>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Sourced<SensorReadingRecorded> map(Sourced<SensorReadingRecorded> value) {
      if (ARMED.get() && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("Injected failure after a completed checkpoint");
      }
      return value;
    }
  }
}
