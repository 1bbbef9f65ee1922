package org.edapipeline.bench.harness.cdc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.bench.harness.BenchContext;
import org.edapipeline.bench.harness.Completion;
import org.edapipeline.bench.harness.ContenderDef;
import org.edapipeline.bench.harness.ContenderProcess;
import org.edapipeline.bench.harness.JvmOptions;
import org.edapipeline.bench.harness.OutputCounter;
import org.edapipeline.bench.harness.RunResult;
import org.edapipeline.bench.harness.Suite;
import org.edapipeline.bench.harness.TopicAdmin;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.service.ServiceSchema;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * CDC, outbox → Kafka: our CDC service ({@code cdc-outbox-source.jar}, Debezium's embedded engine)
 * against Debezium's PostgreSQL connector in Kafka Connect standalone with the same EventRouter,
 * and against a raw {@code pgoutput} reader on PgJDBC (the ceiling).
 *
 * <p>Each run: the outbox topics are recreated ({@code message.timestamp.type=LogAppendTime}), a
 * fresh {@code pgoutput} slot is created, then {@link #rows} outbox rows (the same content every
 * run, {@link OutboxDataSet}) are committed through {@code OutboxWriter} transactions of {@link
 * #ROWS_PER_TRANSACTION} rows over {@link #AGGREGATES} aggregates of two types. Then the contender
 * starts on that slot. <b>Throughput</b>: from its ready line until all rows are on the outbox
 * topics (counted, whatever their isolation), with the process's CPU time over the same span.
 * <b>Latency</b>, commit → Kafka append: then, with the contender still running, an open-loop paced
 * phase writes rows one per transaction at a fixed rate, each row's commit time recorded when
 * {@code commit()} returns; latency = the broker's append time of its record − that commit time
 * (HdrHistogram, µs, millisecond clocks of the same machine). The slot is dropped afterwards.
 *
 * <p>All three contenders get the same JVM options, the same producer settings ({@code acks=all},
 * idempotent, {@code linger.ms=5}, 256 KiB batches) and offsets in a file, committed every second.
 */
public final class CdcSuite implements Suite {

  public static final int QUICK_ROWS = 50_000;
  public static final int FULL_ROWS = 200_000;
  static final int ROWS_PER_TRANSACTION = 20;
  static final int AGGREGATES = 2_000;

  /** The latency phase: rate (rows/s, one per transaction) and length, quick and full. */
  static final int QUICK_LATENCY_RATE = 500;

  static final Duration QUICK_LATENCY_PHASE = Duration.ofSeconds(10);
  static final int FULL_LATENCY_RATE = 2_000;
  static final Duration FULL_LATENCY_PHASE = Duration.ofSeconds(15);

  static final String OURS = "ours";
  static final String CONNECT = "kafka-connect";
  static final String RAW = "pgoutput-raw";

  /** The publication of service-kit's {@code V1__outbox.sql}. */
  static final String PUBLICATION = "edapipeline_outbox";

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final Instant OCCURRED_AT = Instant.parse("2026-01-01T00:00:00Z");

  private final Integer rowsOverride;
  private final List<ContenderDef> contenders =
      List.of(
          new ContenderDef(
              OURS,
              null,
              null,
              false,
              Map.of(),
              "our CDC service, `java -jar cdc-outbox-source.jar` as shipped: Debezium 3.6.1's"
                  + " async embedded engine, PostgreSQL connector (pgoutput), outbox EventRouter,"
                  + " payload bytes passed through, offsets in a file committed every second"),
          new ContenderDef(
              CONNECT,
              ContenderDef.CONNECT_MODULE,
              "org.edapipeline.bench.connect.ConnectStandaloneContender",
              false,
              Map.of(),
              "Kafka Connect 4.2 standalone with Debezium 3.6.1's PostgreSQL connector and the"
                  + " same EventRouter configuration, String/ByteArray converters, offsets file"
                  + " flushed every second, source producer with our producer settings"),
          new ContenderDef(
              RAW,
              ContenderDef.CONNECT_MODULE,
              "org.edapipeline.bench.connect.PgOutputReaderContender",
              false,
              Map.of(),
              "the ceiling: PgJDBC's replication API, pgoutput protocol v1 decoded by hand, one"
                  + " thread read → produce, slot confirmed after producer flush (at least every"
                  + " second), same producer settings and records"));

  private int rows;
  private ReplicationSlots slots;

  /** The form's default size. */
  public CdcSuite() {
    this(null);
  }

  /**
   * @param rows outbox rows per run, or null for the form's default
   */
  public CdcSuite(Integer rows) {
    this.rowsOverride = rows;
  }

  @Override
  public String id() {
    return "cdc";
  }

  @Override
  public String title() {
    return "CDC: outbox rows PostgreSQL → Kafka";
  }

  @Override
  public List<String> contenders() {
    return contenders.stream().map(ContenderDef::id).toList();
  }

  @Override
  public List<String> describe() {
    String latency =
        String.format(
            "; latency = Kafka append time (LogAppendTime) − the row's commit time, open loop at"
                + " %d rows/s (quick) or %d rows/s (full), one row per transaction",
            QUICK_LATENCY_RATE, FULL_LATENCY_RATE);
    return contenders.stream().map(c -> c.description() + latency).toList();
  }

  @Override
  public void prepare(BenchContext context) throws Exception {
    rows = rowsOverride != null ? rowsOverride : context.quick() ? QUICK_ROWS : FULL_ROWS;
    OurCdcProcess.requireJar(context);
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(context.postgresJdbcUrl());
    dataSource.setUser(context.postgresUser());
    dataSource.setPassword(context.postgresPassword());
    ServiceSchema.migrate(dataSource);
    slots =
        new ReplicationSlots(
            context.postgresJdbcUrl(), context.postgresUser(), context.postgresPassword());
  }

  @Override
  public RunResult run(BenchContext context, String contender, int pair) throws Exception {
    Path runDir = context.runDir(id(), contender, pair);
    Files.createDirectories(runDir);
    String slot = ("bench_cdc_" + contender + "_" + pair).replace('-', '_');
    TopicAdmin.recreate(context.bootstrapServers(), outputTopics());
    slots.create(slot);
    try {
      try (OutboxLoader loader = loader(context)) {
        loader.load(new OutboxDataSet(1, AGGREGATES, OCCURRED_AT), rows, ROWS_PER_TRANSACTION);
      }
      List<String> topics = Topics.outboxTopics().stream().map(Topic::name).toList();
      try (OutputCounter counter = new OutputCounter(context.bootstrapServers(), topics);
          ContenderProcess process = start(context, contender, pair, runDir, slot)) {
        process.awaitReady(READY_TIMEOUT);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5).plusMillis(rows));
        FromFirstRecord drained = new FromFirstRecord(Completion.records(rows), process);
        Instant done;
        try {
          done = counter.awaitCompletion(drained, deadline, process::isAlive);
        } catch (IllegalStateException e) {
          throw new IllegalStateException(
              contender + ": " + e.getMessage() + "\n" + process.logTail(), e);
        }
        Duration cpu = drained.cpuSinceFirst();
        Duration elapsed = drained.elapsedUntil(done);
        Map<String, Double> extra = new LinkedHashMap<>();
        Histogram latency = latencyPhase(context, counter, process, extra);
        extra.putAll(process.stop(Duration.ofSeconds(60)));
        return new RunResult(id(), contender, pair, rows, cpu, elapsed, latency, extra);
      }
    } finally {
      slots.drop(slot);
    }
  }

  /** The paced phase; fills {@code extra} with its rate, size and the loader's own lag. */
  private Histogram latencyPhase(
      BenchContext context,
      OutputCounter counter,
      ContenderProcess process,
      Map<String, Double> extra)
      throws Exception {
    int rate = context.quick() ? QUICK_LATENCY_RATE : FULL_LATENCY_RATE;
    long count = rate * (context.quick() ? QUICK_LATENCY_PHASE : FULL_LATENCY_PHASE).toSeconds();
    long namespace = 2;
    OutboxDataSet data = new OutboxDataSet(namespace, AGGREGATES, OCCURRED_AT);
    Map<UUID, Long> commits = new ConcurrentHashMap<>();
    AppendTimes appended = new AppendTimes(namespace, count);
    ExecutorService pacer = Executors.newSingleThreadExecutor(r -> new Thread(r, "cdc-pacer"));
    try (OutboxLoader loader = loader(context)) {
      Future<Long> lag = pacer.submit(() -> loader.paced(data, count, rate, commits));
      counter.awaitCompletion(
          appended,
          Instant.now().plus(Duration.ofMinutes(3)).plusSeconds(count / rate),
          process::isAlive);
      extra.put("latency.rate.rows.per.s", (double) rate);
      extra.put("latency.rows", (double) count);
      extra.put("latency.loader.max.lag.ms", (double) lag.get());
      return appended.latencies(commits);
    } finally {
      pacer.shutdownNow();
    }
  }

  private ContenderProcess start(
      BenchContext context, String contender, int pair, Path runDir, String slot) throws Exception {
    if (contender.equals(OURS)) {
      return OurCdcProcess.start(contender, context, runDir, slot);
    }
    List<String> jvm = JvmOptions.plain(context, runDir);
    ContenderDef def =
        contenders.stream()
            .filter(c -> c.id().equals(contender))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("cdc: no contender " + contender));
    Map<String, String> spec = new HashMap<>();
    spec.put(ContenderSpec.CONTENDER, contender);
    spec.put(ContenderSpec.RUN_ID, "cdc-" + contender + "-" + pair + "-" + System.nanoTime());
    spec.put(ContenderSpec.WORK_DIR, runDir.toString());
    spec.put(ContenderSpec.BOOTSTRAP_SERVERS, context.bootstrapServers());
    spec.put(
        ContenderSpec.OUTPUT_TOPICS,
        String.join(",", Topics.outboxTopics().stream().map(Topic::name).toList()));
    spec.put(ContenderSpec.PG_URL, context.postgresJdbcUrl());
    spec.put(ContenderSpec.PG_USER, context.postgresUser());
    if (context.postgresPassword() != null) {
      spec.put(ContenderSpec.PG_PASSWORD, context.postgresPassword());
    }
    spec.put(ContenderSpec.PG_SLOT, slot);
    spec.put(ContenderSpec.PG_PUBLICATION, PUBLICATION);
    return ContenderProcess.start(
        contender, context.classpathOf(def.module()), def.mainClass(), jvm, ContenderSpec.of(spec));
  }

  private static OutboxLoader loader(BenchContext context) throws Exception {
    return new OutboxLoader(
        context.postgresJdbcUrl(),
        context.postgresUser(),
        context.postgresPassword(),
        context.schemaRegistryUrl());
  }

  /** The outbox topics as the catalogue defines them, with the broker's append time. */
  static List<NewTopic> outputTopics() {
    return Topics.outboxTopics().stream()
        .map(
            topic -> {
              Map<String, String> config = new HashMap<>(topic.config());
              config.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
              return new NewTopic(topic.name(), topic.partitions(), (short) 1).configs(config);
            })
        .toList();
  }
}
