package org.edapipeline.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.embedded.postgres.EmbeddedPostgresServer;
import org.edapipeline.jobs.iot.IotAggregationJob;
import org.edapipeline.jobs.saga.SagaCorrelationJob;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.service.ServiceSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline under faults, one fault per run and then all of them in one run: PostgreSQL
 * outbox (the services' transactions) → the CDC service in a JVM of its own → Kafka → the saga and
 * IoT jobs on one MiniCluster (exactly-once, RocksDB, 1 s checkpoints) → their outputs, read with
 * read_committed. Each run writes a {@link Workload} whose outcomes are known, injects its fault
 * mid-stream, waits until every expected output is committed and the jobs' lag is zero, and then
 * requires 0 lost, 0 duplicated and nothing unexpected ({@link RunFigures}), naming the ids if not.
 *
 * <p>One PostgreSQL, Kafka, registry, CDC process and MiniCluster serve every run; runs are told
 * apart by the prefix of their ids. The short form runs in every {@code mvn verify}; {@code
 * -Pfaults} runs the long form and writes {@code docs/reliability.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineFaultsITCase {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineFaultsITCase.class);

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final PostgresExtension POSTGRES =
      new PostgresExtension(EmbeddedPostgresServer.builder().database("faults"));

  @RegisterExtension
  @Order(3)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  private static final SuiteForm FORM = SuiteForm.fromSystemProperties();
  private static final String SLOT = "edapipeline_faults";
  private static final long SEED = 20261129L;
  private static final Duration WINDOW = Duration.ofSeconds(10);

  /**
   * How long a run may take to settle. Generous: after a broker restart the Kafka sinks' committers
   * can need minutes of restarts on a loaded machine before every task runs again.
   */
  private static final Duration PATIENCE = Duration.ofMinutes(5);

  private static final Duration POLL = Duration.ofMillis(250);
  private static final int PARALLELISM = 2;

  /** Event time of the first run; each run gets its own 10 minutes after it. */
  private static final Instant EVENT_TIME_ORIGIN =
      Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES);

  private static final List<RunFigures> FIGURES = new ArrayList<>();
  private static final Map<String, Workload> WORKLOADS = new HashMap<>();
  private static final List<AutoCloseable> RESOURCES = new ArrayList<>();

  private static SchemaRegistryClient registry;
  private static CdcJvm cdc;
  private static FlinkPipeline flink;
  private static WorkloadDriver driver;
  private static OutputCollector collector;
  private static ConsumerLag lag;
  private static int runs;
  private static double loadAtStart;
  private static Optional<Duration> lastBaseline = Optional.empty();

  @BeforeAll
  static void startPipeline() throws Exception {
    loadAtStart = ReliabilityReport.loadAverage();
    Path work = Path.of("target", "fault-suite");
    Files.createDirectories(work);
    for (Topic<?, ?> topic : Topics.all()) {
      KAFKA.createTopic(topic.name(), topic.partitions(), topic.config());
    }
    ServiceSchema.migrate(POSTGRES.dataSource());
    registry =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(REGISTRY.url()).build());
    RESOURCES.add(registry);

    cdc = new CdcJvm(cdcConfig(), cdcEnvironment(), work.resolve("cdc"));
    RESOURCES.add(cdc);
    cdc.start();
    await("CDC service healthy with its replication slot")
        .atMost(PATIENCE)
        .pollInterval(POLL)
        .failFast("the CDC process exited", () -> !cdc.isAlive())
        .until(() -> cdc.healthy() && slotExists());

    // 3 TaskManagers x 3 slots: both jobs at parallelism 2 need 4, a lost TaskManager leaves 6,
    // and both jobs rescaled to 4 at once need 8.
    flink = FlinkPipeline.start(3, 3, work.resolve("flink"), commonArgs(), sagaArgs(), iotArgs());
    RESOURCES.add(flink);
    flink.submitSaga(PARALLELISM, null);
    flink.submitIot(PARALLELISM, null);
    awaitRunning();

    driver = new WorkloadDriver(POSTGRES.dataSource(), registry, KAFKA.clientConfig());
    RESOURCES.add(driver);
    collector = new OutputCollector(KAFKA.clientConfig(), registry, OutputCollector.outputTopics());
    RESOURCES.add(collector);
    Map<String, List<String>> inputs = new HashMap<>();
    inputs.put(
        SagaCorrelationJob.JOB_NAME,
        SagaCorrelationJob.INPUTS.stream().map(i -> i.topic().name()).toList());
    inputs.put(
        IotAggregationJob.JOB_NAME, List.of(Topics.IOT_READINGS.name(), Topics.IOT_DEVICES.name()));
    lag = new ConsumerLag(KAFKA.clientConfig(), inputs);
    RESOURCES.add(lag);
    warmUp();
  }

  /**
   * A few orders through the whole pipeline before the first run, so that its fault hits a pipeline
   * in its steady state and its end-to-end lag has a baseline before the fault. Its event time lies
   * before every run's; its outputs are filed under {@code warmup} and not verified.
   */
  private static void warmUp() throws Exception {
    Workload warmup =
        new Workload(
            "warmup",
            SEED,
            20,
            EVENT_TIME_ORIGIN.minus(Duration.ofMinutes(10)),
            WINDOW,
            Topics.IOT_READINGS.partitions(),
            true);
    driver
        .start(warmup, WorkloadDriver.Pacing.even(Duration.ofSeconds(1)))
        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    await("the warm-up's orders through the pipeline")
        .atMost(PATIENCE)
        .pollInterval(POLL)
        .until(
            () -> {
              OutputCollector.RunOutputs out = collector.snapshot(warmup.name());
              return warmup.orders().stream()
                  .allMatch(
                      o ->
                          out.statusSeenAt.containsKey(
                              o.orderId() + ":" + o.outcome().inputDriven()));
            });
  }

  @AfterAll
  static void stopPipeline() throws Exception {
    Exception first = null;
    for (int i = RESOURCES.size() - 1; i >= 0; i--) {
      try {
        RESOURCES.get(i).close();
      } catch (Exception e) {
        LOG.warn(
            "Closing {} failed: {}", RESOURCES.get(i).getClass().getSimpleName(), e.toString());
        first = first == null ? e : first;
      }
    }
    RESOURCES.clear();
    FIGURES.forEach(f -> LOG.info("{}", f.describe()));
    if (FORM.report().isPresent() && !FIGURES.isEmpty()) {
      ReliabilityReport.write(
          FORM.report().get(),
          FORM.name(),
          String.format(
              "%,d orders and about %,d readings (%,d events)",
              FORM.orders(), FORM.orders() * 4, FIGURES.get(0).eventsIn()),
          new ReliabilityReport.Machine(
              Runtime.getRuntime().availableProcessors(),
              loadAtStart,
              ReliabilityReport.loadAverage()),
          FIGURES);
    }
    if (first != null) {
      throw first;
    }
  }

  @Test
  @Order(1)
  void shouldLoseAndDuplicateNothingWhenATaskFailsAfterACheckpoint() throws Exception {
    run(
        "taskfailure",
        "task failure after a checkpoint",
        FORM.orders(),
        FORM.writeDuration(),
        2,
        PipelineFaultsITCase::failTasks);
  }

  @Test
  @Order(2)
  void shouldLoseAndDuplicateNothingWhenTheBrokerRestarts() throws Exception {
    run(
        "broker",
        "Kafka broker stopped and restarted",
        FORM.orders(),
        FORM.writeDuration(),
        PipelineFaultsITCase::restartBroker);
  }

  @Test
  @Order(3)
  void shouldLoseAndDuplicateNothingWhenPostgresRestarts() throws Exception {
    run(
        "postgres",
        "PostgreSQL stopped and restarted",
        FORM.orders(),
        FORM.writeDuration(),
        PipelineFaultsITCase::restartPostgres);
  }

  @Test
  @Order(4)
  void shouldLoseAndDuplicateNothingWhenTheCdcProcessIsKilled() throws Exception {
    run(
        "cdckill",
        "CDC process kill -9",
        FORM.orders(),
        FORM.writeDuration(),
        PipelineFaultsITCase::killCdc);
  }

  @Test
  @Order(5)
  void shouldLoseAndDuplicateNothingWhenATaskManagerIsLost() throws Exception {
    run(
        "tmlost",
        "TaskManager lost",
        FORM.orders(),
        FORM.writeDuration(),
        1,
        PipelineFaultsITCase::loseABusyTaskManager);
  }

  @Test
  @Order(6)
  void shouldKeepStateAndPendingTimersAcrossASavepointWithV2EventsFlowing() throws Exception {
    run(
        "savepoint",
        "savepoint, stop, restore as the next release (OrderPlaced v2 flowing)",
        FORM.orders(),
        FORM.writeDuration(),
        () -> {
          List<String> savepoints = flink.stopWithSavepoints(flink.sagaJob, flink.iotJob);
          awaitWorkloadProgress(0.15);
          // The next release: restored without allowNonRestoredState (see Release).
          flink.upgrade();
          flink.submitSaga(PARALLELISM, savepoints.get(0));
          flink.submitIot(PARALLELISM, savepoints.get(1));
        });
    // The audit's state, written by the current release, was migrated to the next one's schema:
    // the counts carried over, the dropped field gone.
    List<InputAudit.Restored> restored = InputAudit.restored();
    assertThat(restored).as("audit entries the next release restored").isNotEmpty();
    assertThat(restored)
        .as("audit entries the next release restored")
        .allSatisfy(
            entry -> {
              assertThat(entry.records()).isPositive();
              assertThat(entry.fields()).containsExactly("records", "lastOffset");
            });
  }

  @Test
  @Order(7)
  void shouldLoseAndDuplicateNothingUnderAllFaultsInOneRun() throws Exception {
    run(
        "combined",
        "all of the above in one run",
        FORM.orders() * 2,
        FORM.writeDuration().multipliedBy(2),
        2,
        () -> {
          failTasks();
          awaitWorkloadProgress(0.1);
          restartBroker();
          awaitWorkloadProgress(0.1);
          restartPostgres();
          awaitWorkloadProgress(0.1);
          killCdc();
          loseABusyTaskManager();
        });
  }

  @Test
  @Order(8)
  void shouldCatchUpAfterABurstOfTenTimesTheInput() throws Exception {
    // The normal rate for as long as the burst, then the burst: the "fault" is the burst's start.
    int lead = FORM.leadOrders();
    int orders = lead + FORM.burstOrders();
    run(
        "burst",
        String.format("%dx burst for %d s", FORM.burstFactor(), FORM.burstDuration().toSeconds()),
        orders,
        new WorkloadDriver.Pacing(
            FORM.burstDuration(),
            (double) lead / orders,
            FORM.burstDuration(),
            WorkloadDriver.MAX_WRITERS),
        0,
        () -> {});
  }

  @Test
  @Order(9)
  void shouldKeepEveryKeyAndTimerWhenRescaledTwoToFourToOne() throws Exception {
    run(
        "rescale",
        "rescale 2 → 4 → 1 through savepoints (both jobs)",
        FORM.orders(),
        FORM.writeDuration().multipliedBy(2),
        () -> {
          // Both jobs at once: saga timers and IoT windows in flight, and the tumbling operator's
          // union-state watermark floor redistributed to 4 subtasks and then merged into 1.
          rescaleBoth(4);
          awaitRunning();
          awaitWorkloadProgress(0.2);
          rescaleBoth(1);
        });
  }

  @Test
  @Order(10)
  void shouldNotHaveDuplicatedAnyEarlierRunsOutputsLater() {
    // Later faults restore jobs from checkpoints and savepoints: none may rewrite earlier outputs.
    for (Map.Entry<String, Workload> run : WORKLOADS.entrySet()) {
      RunFigures figures =
          RunFigures.of(run.getKey(), run.getValue(), collector.snapshot(run.getKey()));
      assertThat(figures.duplicated()).as(figures.describe()).isEmpty();
      assertThat(figures.lost()).as(figures.describe()).isEmpty();
    }
  }

  /** A fault, injected once the run's writes are under way. */
  @FunctionalInterface
  interface Fault {
    void inject() throws Exception;
  }

  private static CompletableFuture<Void> writing;
  private static double progressMark;

  private void run(String name, String fault, int orders, Duration writes, Fault inject)
      throws Exception {
    run(name, fault, orders, writes, 0, inject);
  }

  private void run(
      String name, String fault, int orders, Duration writes, long minFailovers, Fault inject)
      throws Exception {
    run(name, fault, orders, WorkloadDriver.Pacing.even(writes), minFailovers, inject);
  }

  /**
   * One run: writes the workload, injects the fault once 30% of it is committed (with a lead at the
   * normal rate: when the main phase starts), waits until the pipeline caught up and every expected
   * output is there, and asserts the figures.
   *
   * @param minFailovers failovers the fault must cause (proof that it hit the jobs)
   */
  private void run(
      String name,
      String fault,
      int orders,
      WorkloadDriver.Pacing pacing,
      long minFailovers,
      Fault inject)
      throws Exception {
    Workload workload =
        new Workload(
            name,
            SEED,
            orders,
            EVENT_TIME_ORIGIN.plus(Duration.ofMinutes(10L * runs++)),
            WINDOW,
            Topics.IOT_READINGS.partitions(),
            true);
    WORKLOADS.put(name, workload);
    try {
      runAndAssert(name, fault, workload, pacing, minFailovers, inject);
    } catch (Exception | AssertionError e) {
      LOG.error("Run {} failed", name, e);
      throw e;
    }
  }

  private void runAndAssert(
      String name,
      String fault,
      Workload workload,
      WorkloadDriver.Pacing pacing,
      long minFailovers,
      Fault inject)
      throws Exception {
    long restartsBefore = flink.restartsTotal();
    writing = driver.start(workload, pacing);
    progressMark = 0;
    awaitWorkloadProgress(pacing.leadShare() > 0 ? driver.mainPhaseShare() : 0.3);
    long faultAt = System.nanoTime();
    long faultAtMillis = System.currentTimeMillis();
    inject.inject();
    writing.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    Duration settled = PATIENCE;
    try {
      String walWritten = currentWalLsn();
      await("CDC slot confirmed past the run's last write")
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> slotConfirmedPast(walWritten));
      await("consumer lag zero after " + name)
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> lag.total() == 0);
      driver.sendTicks(workload);
      await("every expected output of " + name)
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> RunFigures.of(fault, workload, collector.snapshot(workload.name())).complete());
      settled = Duration.ofNanos(System.nanoTime() - faultAt);
    } catch (ConditionTimeoutException e) {
      LOG.warn("{} did not settle: {}", name, e.getMessage());
    }
    settle();
    OutputCollector.RunOutputs outputs = collector.snapshot(workload.name());
    RunFigures figures =
        RunFigures.of(
            fault,
            workload,
            outputs,
            flink.restartsTotal() - restartsBefore,
            EndToEndLag.of(
                workload, outputs, driver::inputCommittedAt, faultAtMillis, lastBaseline),
            settled,
            driver.offeredRate());
    FIGURES.add(figures);
    lastBaseline = figures.lag().baseline();
    LOG.info("{}", figures.describe());
    assertThat(figures.lost()).as("lost: %s", figures.describe()).isEmpty();
    assertThat(figures.duplicated()).as("duplicated: %s", figures.describe()).isEmpty();
    assertThat(figures.unexpected()).as("unexpected: %s", figures.describe()).isEmpty();
    assertThat(figures.deadLetters()).as("dead letters: %s", figures.describe()).isZero();
    assertThat(figures.restarts())
        .as("failovers the fault caused: %s", figures.describe())
        .isGreaterThanOrEqualTo(minFailovers);
  }

  /**
   * Two more checkpoints of each job, then the collector at the end of every output: whatever the
   * jobs would still commit (a duplicate included) is read before the figures are taken.
   */
  private static void settle() throws Exception {
    awaitRunning();
    long saga = flink.completedCheckpoints(flink.sagaJob);
    long iot = flink.completedCheckpoints(flink.iotJob);
    await("two more checkpoints")
        .atMost(PATIENCE)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(
            () ->
                flink.completedCheckpoints(flink.sagaJob) >= saga + 2
                    && flink.completedCheckpoints(flink.iotJob) >= iot + 2);
    long mark = System.nanoTime();
    await("output collector at the end of every topic")
        .atMost(PATIENCE)
        .pollInterval(POLL)
        .until(() -> collector.caughtUpAtNanos() > mark);
  }

  /** Waits until the run's writer has committed {@code share} more of its transactions. */
  private static void awaitWorkloadProgress(double share) {
    double target = Math.min(1.0, progressMark + share);
    await("workload progress " + target)
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> driver.progress() >= target || writing.isDone());
    progressMark = driver.progress();
  }

  private static void awaitRunning() {
    await("both jobs fully running")
        .atMost(PATIENCE)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(() -> flink.fullyRunning(flink.sagaJob) && flink.fullyRunning(flink.iotJob));
  }

  /** Both jobs stopped with savepoints at once and restored at {@code parallelism}. */
  private static void rescaleBoth(int parallelism) throws Exception {
    List<String> savepoints = flink.stopWithSavepoints(flink.sagaJob, flink.iotJob);
    flink.submitSaga(parallelism, savepoints.get(0));
    flink.submitIot(parallelism, savepoints.get(1));
  }

  private static void failTasks() {
    FailOnceAfterCheckpoint.arm(FlinkPipeline.SAGA_TRIGGER);
    FailOnceAfterCheckpoint.arm(FlinkPipeline.IOT_TRIGGER);
    await("both injected failures thrown")
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                FailOnceAfterCheckpoint.fired(FlinkPipeline.SAGA_TRIGGER)
                    && FailOnceAfterCheckpoint.fired(FlinkPipeline.IOT_TRIGGER));
  }

  /**
   * Terminates TaskManagers, oldest first, each replaced by a fresh one, until one that ran tasks
   * is lost (the jobs fail over); the MiniCluster does not say which one hosts tasks.
   */
  private static void loseABusyTaskManager() throws Exception {
    long before = flink.restartsTotal();
    for (int attempt = 1; ; attempt++) {
      flink.loseTaskManager();
      try {
        await("a failover after losing a TaskManager")
            .atMost(Duration.ofSeconds(15))
            .pollInterval(POLL)
            .until(() -> flink.restartsTotal() > before);
        return;
      } catch (ConditionTimeoutException e) {
        if (attempt == 3) {
          throw e;
        }
        LOG.info("The TaskManager lost ran no task; losing the next one");
      }
    }
  }

  /** The broker is away while the services write a further 15% of the run. */
  private static void restartBroker() {
    KAFKA.broker().stop();
    try {
      awaitWorkloadProgress(0.15);
    } finally {
      KAFKA.broker().restart();
    }
  }

  /** PostgreSQL is away until the writer has seen its transactions fail a few times. */
  private static void restartPostgres() {
    long failuresBefore = driver.rewrittenTransactions();
    POSTGRES.server().stop();
    try {
      await("the services notice PostgreSQL is down")
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> driver.rewrittenTransactions() >= failuresBefore + 5 || writing.isDone());
    } finally {
      POSTGRES.server().restart();
    }
  }

  /**
   * {@code kill -9} while rows stream: what it published since its last offset commit (every 2 s)
   * is published again after the restart, and the jobs must drop those copies.
   */
  private static void killCdc() throws Exception {
    cdc.kill();
    awaitWorkloadProgress(0.1);
    cdc.start();
    await("CDC service healthy again")
        .atMost(PATIENCE)
        .pollInterval(POLL)
        .failFast("the CDC process exited", () -> !cdc.isAlive())
        .until(cdc::healthy);
  }

  private static String currentWalLsn() throws Exception {
    try (Connection psql = POSTGRES.connect();
        PreparedStatement query = psql.prepareStatement("SELECT pg_current_wal_lsn()::text");
        ResultSet lsn = query.executeQuery()) {
      lsn.next();
      return lsn.getString(1);
    }
  }

  /**
   * Whether the CDC service committed its offsets past {@code lsn}: it published what is before.
   */
  private static boolean slotConfirmedPast(String lsn) throws Exception {
    try (Connection psql = POSTGRES.connect();
        PreparedStatement query =
            psql.prepareStatement(
                "SELECT confirmed_flush_lsn >= ?::pg_lsn FROM pg_replication_slots"
                    + " WHERE slot_name = ?")) {
      query.setString(1, lsn);
      query.setString(2, SLOT);
      try (ResultSet slot = query.executeQuery()) {
        return slot.next() && slot.getBoolean(1);
      }
    }
  }

  private static boolean slotExists() throws Exception {
    try (Connection psql = POSTGRES.connect();
        PreparedStatement query =
            psql.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
      query.setString(1, SLOT);
      try (ResultSet slot = query.executeQuery()) {
        return slot.next();
      }
    }
  }

  private static Map<String, String> cdcConfig() {
    EmbeddedPostgresServer postgres = POSTGRES.server();
    Map<String, String> config = new HashMap<>();
    config.put("debezium.source.database.hostname", postgres.host());
    config.put("debezium.source.database.port", Integer.toString(postgres.port()));
    config.put("debezium.source.database.dbname", postgres.database());
    config.put("debezium.source.database.user", postgres.user());
    config.put("debezium.source.slot.name", SLOT);
    config.put("debezium.source.name", "cdc-faults");
    config.put("debezium.source.topic.prefix", "faults");
    config.put("debezium.source.offset.storage.topic", "_cdc_offsets_faults");
    // Offsets are committed every 2 s: a kill -9 lands between a publish and its commit.
    config.put("debezium.source.offset.flush.interval.ms", "2000");
    config.put("debezium.source.heartbeat.interval.ms", "500");
    config.put("debezium.source.poll.interval.ms", "100");
    config.put("debezium.source.retriable.restart.connector.wait.ms", "500");
    config.put("debezium.sink.kafka.producer.bootstrap.servers", KAFKA.bootstrapServers());
    config.put("debezium.sink.kafka.producer.linger.ms", "5");
    config.put("cdc.schema.registry.url", REGISTRY.url());
    config.put("cdc.restart.backoff.initial.ms", "200");
    config.put("cdc.restart.backoff.max.ms", "2000");
    return config;
  }

  /** The password comes from the environment, as in production. */
  private static Map<String, String> cdcEnvironment() {
    return Map.of("DEBEZIUM_SOURCE_DATABASE_PASSWORD", POSTGRES.server().password());
  }

  private static List<String> commonArgs() {
    return List.of(
        "--kafka.bootstrap-servers", KAFKA.bootstrapServers(),
        "--schema-registry.url", REGISTRY.url(),
        "--schema-registry.auto-register", "true",
        "--kafka.starting-offsets", "EARLIEST",
        "--kafka.transaction-timeout", "5 min",
        "--checkpoint.interval", "1 s",
        "--checkpoint.timeout", "1 min");
  }

  private static List<String> sagaArgs() {
    String deadline = FORM.sagaDeadline().toMillis() + " ms";
    return List.of(
        "--saga.deadline.inventory",
        deadline,
        "--saga.deadline.payment",
        deadline,
        "--saga.deadline.shipment",
        deadline,
        "--saga.deadline.delivery",
        deadline,
        "--saga.deadline.compensation",
        "5 min",
        "--saga.deadline.unknown-saga",
        "10 min",
        "--saga.retention",
        "1 h",
        "--saga.dedupe.ttl",
        "2 h");
  }

  private static List<String> iotArgs() {
    return List.of(
        "--dedupe.ttl", "2 h",
        "--iot.window.size", "10 s",
        "--iot.sliding.size", "30 s",
        "--iot.sliding.slide", "10 s",
        // A run's readings span 4 s of event time: a minute of lateness absorbs any skew between
        // source subtasks after a restore or an idle gap (see "Things to know" in the README).
        "--iot.allowed-lateness", "60 s",
        "--iot.out-of-orderness", "2 s",
        "--iot.idleness", "30 s",
        "--iot.registration-grace", "30 s");
  }
}
