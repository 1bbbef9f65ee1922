package org.edapipeline.bench.harness.iot;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.bench.harness.BenchContext;
import org.edapipeline.bench.harness.Completion;
import org.edapipeline.bench.harness.ContenderDef;
import org.edapipeline.bench.harness.ContenderRun;
import org.edapipeline.bench.harness.InputLoader;
import org.edapipeline.bench.harness.JvmOptions;
import org.edapipeline.bench.harness.RunResult;
import org.edapipeline.bench.harness.Suite;
import org.edapipeline.bench.harness.TopicAdmin;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;

/**
 * IoT aggregation per device and sensor: {@code iot-tumbling} (1-minute tumbling windows, count /
 * min / max / mean / sum) and {@code iot-sliding} (those and 5 min every 1 min sliding windows).
 *
 * <p>Input ({@link IotDataSet}, loaded once per suite): {@code iot.devices} registrations, then the
 * readings on {@code iot.readings}, 4 partitions. Every run recreates the output topics and reads
 * the input from the beginning with a fresh group / application id. Completion: the data set's
 * windows ({@link IotDataSet#expectedTumblingWindows}, plus {@link
 * IotDataSet#expectedSlidingWindows} for {@code iot-sliding}) counted on {@code iot.aggregates}
 * with {@code read_committed}.
 *
 * <p>Spec given to every contender: {@code input.topics} = the readings (our job: the readings,
 * then the device registry, which only it reads); {@code output.topics} = aggregates; {@code
 * window} tumbling|sliding; {@code window.size.ms} = tumbling size; {@code window.slide.ms} = the
 * sliding windows' slide (their size is 5 × that); {@code out.of.orderness.ms} (watermark bound =
 * grace); {@code checkpoint.interval.ms}; {@code partitions}.
 */
public final class IotSuite implements Suite {

  /** Readings of the quick and the full form (about: whole devices). */
  public static final long QUICK_READINGS = 100_000;

  public static final long FULL_READINGS = 200_000;

  private static final String FLINK_JOB = "org.edapipeline.bench.flink.IotJobContender";
  private static final String FLINK_SQL = "org.edapipeline.bench.flink.IotSqlContender";
  private static final String STREAMS = "org.edapipeline.bench.kafka.IotStreamsContender";
  private static final String PLAIN = "org.edapipeline.bench.kafka.IotPlainLoopContender";

  private final boolean sliding;
  private final Long readingsOverride;
  private final Duration checkpointInterval;
  private final List<ContenderDef> contenders;
  private IotDataSet data;
  private long expected;
  private long events;

  /**
   * @param sliding {@code iot-sliding} rather than {@code iot-tumbling}
   * @param readings input readings, or null for the form's default
   * @param checkpointInterval our checkpoint interval (also "ours" for Kafka Streams)
   */
  public IotSuite(boolean sliding, Long readings, Duration checkpointInterval) {
    this.sliding = sliding;
    this.readingsOverride = readings;
    this.checkpointInterval = checkpointInterval;
    this.contenders = sliding ? slidingContenders() : tumblingContenders();
  }

  @Override
  public String id() {
    return sliding ? "iot-sliding" : "iot-tumbling";
  }

  @Override
  public String title() {
    return sliding
        ? "IoT aggregation, tumbling and sliding windows (5 min every 1 min)"
        : "IoT aggregation, 1-minute tumbling windows";
  }

  @Override
  public List<String> contenders() {
    return contenders.stream().map(ContenderDef::id).toList();
  }

  @Override
  public List<String> describe() {
    return contenders.stream().map(ContenderDef::description).toList();
  }

  /** Input topics: the readings first, then the device registry. */
  static List<Topic<?, ?>> inputTopics() {
    return List.of(Topics.IOT_READINGS, Topics.IOT_DEVICES);
  }

  /** Every topic a contender writes (our job also alerts, late readings and dead letters). */
  static List<Topic<?, ?>> outputTopics() {
    return List.of(
        Topics.IOT_AGGREGATES,
        Topics.IOT_ALERTS,
        Topics.IOT_LATE,
        Topics.dlqOf(Topics.IOT_READINGS),
        Topics.dlqOf(Topics.IOT_DEVICES));
  }

  @Override
  public void prepare(BenchContext context) throws Exception {
    long readings =
        readingsOverride != null
            ? readingsOverride
            : context.quick() ? QUICK_READINGS : FULL_READINGS;
    data = new IotDataSet(IotDataSetSpec.forReadings(readings, 20261129L), Instant.now());
    int partitions = data.spec().partitions();
    TopicAdmin.recreate(
        context.bootstrapServers(), InputLoader.newTopics(inputTopics(), partitions));
    TopicAdmin.recreate(
        context.bootstrapServers(), InputLoader.newTopics(outputTopics(), partitions));
    try (InputLoader loader =
        new InputLoader(context.bootstrapServers(), context.schemaRegistryUrl())) {
      events = IotLoader.load(data, loader);
    }
    expected = data.expectedTumblingWindows() + (sliding ? data.expectedSlidingWindows() : 0);
  }

  /** The windows every contender must emit (after {@link #prepare}). */
  public long expectedOutputs() {
    return expected;
  }

  @Override
  public RunResult run(BenchContext context, String contender, int pair) throws Exception {
    ContenderDef def =
        contenders.stream()
            .filter(c -> c.id().equals(contender))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException(id() + ": no contender " + contender));
    TopicAdmin.recreate(
        context.bootstrapServers(),
        InputLoader.newTopics(outputTopics(), data.spec().partitions()));
    var runDir = context.runDir(id(), contender, pair);
    Map<String, String> spec = new LinkedHashMap<>();
    spec.put(ContenderSpec.CONTENDER, contender);
    spec.put(ContenderSpec.RUN_ID, id() + "-" + contender + "-" + pair + "-" + System.nanoTime());
    spec.put(ContenderSpec.WORK_DIR, runDir.toString());
    spec.put(ContenderSpec.BOOTSTRAP_SERVERS, context.bootstrapServers());
    spec.put(ContenderSpec.SCHEMA_REGISTRY_URL, context.schemaRegistryUrl());
    spec.put(ContenderSpec.INPUT_TOPICS, Topics.IOT_READINGS.name());
    spec.put(ContenderSpec.OUTPUT_TOPICS, Topics.IOT_AGGREGATES.name());
    spec.put(ContenderSpec.PARTITIONS, String.valueOf(data.spec().partitions()));
    spec.put(ContenderSpec.WINDOW, sliding ? "sliding" : "tumbling");
    spec.put(ContenderSpec.WINDOW_SIZE_MS, String.valueOf(data.spec().window().toMillis()));
    spec.put(ContenderSpec.WINDOW_SLIDE_MS, String.valueOf(data.spec().slidingSlide().toMillis()));
    spec.put(
        ContenderSpec.OUT_OF_ORDERNESS_MS, String.valueOf(data.spec().outOfOrderness().toMillis()));
    spec.put(ContenderSpec.CHECKPOINT_INTERVAL_MS, String.valueOf(checkpointInterval.toMillis()));
    spec.putAll(def.spec());
    List<String> jvm =
        def.flink() ? JvmOptions.flink(context, runDir) : JvmOptions.plain(context, runDir);
    ContenderRun run = new ContenderRun(Duration.ofMinutes(3), runTimeout());
    return run.measure(
        context,
        id(),
        pair,
        def.module(),
        def.mainClass(),
        jvm,
        ContenderSpec.of(spec),
        Completion.records(expected),
        events);
  }

  private Duration runTimeout() {
    // Generous: a 2-core machine shared with other work; 2 ms per event and at least 5 minutes.
    return Duration.ofMinutes(5).plus(Duration.ofMillis(2 * events));
  }

  private static String names(List<Topic<?, ?>> topics) {
    return String.join(",", topics.stream().map(Topic::name).toList());
  }

  private List<ContenderDef> tumblingContenders() {
    String interval = String.valueOf(checkpointInterval.toMillis());
    String every = "checkpoint every " + checkpointInterval.toMillis() + " ms";
    return List.of(
        flinkJob(
            "ours-rocksdb-eo",
            "rocksdb",
            "exactly-once",
            "our DataStream job (`IotAggregationJob` topology, tumbling windows only), RocksDB"
                + " (incremental checkpoints), exactly-once sinks, "
                + every),
        flinkJob(
            "ours-heap-eo",
            "hashmap",
            "exactly-once",
            "the same job on the heap (HashMap) state backend, exactly-once, " + every),
        flinkJob(
            "ours-rocksdb-alo",
            "rocksdb",
            "at-least-once",
            "the same job on RocksDB with at-least-once sinks (no transactions), " + every),
        new ContenderDef(
            "flink-sql",
            ContenderDef.FLINK_MODULE,
            FLINK_SQL,
            true,
            Map.of(ContenderSpec.STATE_BACKEND, "rocksdb", ContenderSpec.DELIVERY, "exactly-once"),
            "Flink SQL `TUMBLE` window TVF (count/min/max/avg/sum per device and sensor) on the"
                + " same decoded stream, RocksDB, exactly-once sink, "
                + every),
        new ContenderDef(
            "kstreams-eos-default",
            ContenderDef.KAFKA_MODULE,
            STREAMS,
            false,
            Map.of(),
            "Kafka Streams windowed aggregate, `exactly_once_v2`, Kafka Streams' default commit"
                + " interval (100 ms under EOS), grace = the bound, final results on window"
                + " close, RocksDB stores"),
        new ContenderDef(
            "kstreams-eos-our-interval",
            ContenderDef.KAFKA_MODULE,
            STREAMS,
            false,
            Map.of(ContenderSpec.COMMIT_INTERVAL_MS, interval),
            "the same Kafka Streams topology with `commit.interval.ms` = our checkpoint interval ("
                + interval
                + " ms)"),
        new ContenderDef(
            "plain-loop",
            ContenderDef.KAFKA_MODULE,
            PLAIN,
            false,
            Map.of(ContenderSpec.DELIVERY, "at-least-once"),
            "the ceiling: kafka-clients consume → decode → HashMap per window → produce on window"
                + " close (per-partition watermark), idempotent producer, offsets committed after"
                + " produce; not exactly-once"));
  }

  private List<ContenderDef> slidingContenders() {
    String interval = String.valueOf(checkpointInterval.toMillis());
    String every = "checkpoint every " + checkpointInterval.toMillis() + " ms";
    return List.of(
        flinkJob(
            "ours-rocksdb-eo",
            "rocksdb",
            "exactly-once",
            "our DataStream job as shipped (tumbling windows and sliding windows merged from"
                + " their slices), RocksDB, exactly-once, "
                + every),
        new ContenderDef(
            "flink-sql",
            ContenderDef.FLINK_MODULE,
            FLINK_SQL,
            true,
            Map.of(ContenderSpec.STATE_BACKEND, "rocksdb", ContenderSpec.DELIVERY, "exactly-once"),
            "Flink SQL `TUMBLE` and `HOP` (5 min every 1 min) in one statement set, RocksDB,"
                + " exactly-once sink, "
                + every),
        new ContenderDef(
            "kstreams-eos-our-interval",
            ContenderDef.KAFKA_MODULE,
            STREAMS,
            false,
            Map.of(ContenderSpec.COMMIT_INTERVAL_MS, interval),
            "Kafka Streams tumbling and hopping (5 min / 1 min) aggregates in one topology,"
                + " `exactly_once_v2`, `commit.interval.ms` "
                + interval
                + " ms, RocksDB stores"));
  }

  private static ContenderDef flinkJob(
      String id, String backend, String delivery, String description) {
    Map<String, String> spec = new HashMap<>();
    spec.put(ContenderSpec.STATE_BACKEND, backend);
    spec.put(ContenderSpec.DELIVERY, delivery);
    // Only our job reads the device registry (it dead-letters readings of unknown devices).
    spec.put(ContenderSpec.INPUT_TOPICS, names(inputTopics()));
    return new ContenderDef(
        id, ContenderDef.FLINK_MODULE, FLINK_JOB, true, Map.copyOf(spec), description);
  }
}
