package org.edapipeline.bench.harness.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.bench.harness.BenchContext;
import org.edapipeline.bench.harness.ContenderDef;
import org.edapipeline.bench.harness.ContenderProcess;
import org.edapipeline.bench.harness.InputLoader;
import org.edapipeline.bench.harness.JvmOptions;
import org.edapipeline.bench.harness.OutputCounter;
import org.edapipeline.bench.harness.RunResult;
import org.edapipeline.bench.harness.Suite;
import org.edapipeline.bench.harness.TopicAdmin;
import org.edapipeline.bench.harness.cdc.OurCdcProcess;
import org.edapipeline.bench.harness.cdc.ReplicationSlots;
import org.edapipeline.bench.harness.saga.SagaDataSet;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.service.ServiceSchema;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * End to end: outbox commit → our CDC service ({@code cdc-outbox-source.jar}) → Kafka → our saga
 * job ({@code SagaJobContender}: RocksDB, exactly-once sinks, checkpoint every {@link
 * #CHECKPOINT_INTERVAL}) → the saga's status visible on {@code saga.state} to a read_committed
 * consumer.
 *
 * <p><b>Sustainable rate</b>, measured once in {@link #prepare} by a saturation run: the whole
 * pipeline started, {@link SagaDataSet} sagas written as outbox rows as fast as PostgreSQL takes
 * them (transactions of 50 rows); rate = events / (last terminal status visible − first commit).
 * <b>Runs</b>: the same pipeline, fresh (topics recreated, a fresh slot, a fresh job), fed by an
 * open-loop generator at 50% and at 80% of that rate, one row per transaction, each row due at a
 * fixed time whatever happened before; latency per saga = its terminal status visible (the poll
 * that returned it) − the due time of the row that ends it (ShipmentDelivered → COMPLETED,
 * InventoryReleased → COMPENSATED). Exactly-once output is published on checkpoints, so these
 * latencies are bounded below by the checkpoint interval, here {@link #CHECKPOINT_INTERVAL}. CPU is
 * the two processes' (CDC service + job) from their ready lines to completion.
 */
public final class EndToEndSuite implements Suite {

  /** Checkpoint interval of the saga job in this suite: short, since visibility waits for it. */
  public static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

  static final int QUICK_SATURATION_SAGAS = 2_000;
  static final int FULL_SATURATION_SAGAS = 10_000;
  static final Duration QUICK_PHASE = Duration.ofSeconds(20);
  static final Duration FULL_PHASE = Duration.ofSeconds(30);
  static final int PARTITIONS = 4;

  private static final String SAGA_JOB = "org.edapipeline.bench.flink.SagaJobContender";
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final Map<String, Double> FRACTIONS = Map.of("ours@50%", 0.5, "ours@80%", 0.8);

  private static final String LATENCY =
      "; latency per saga = terminal status visible to a read_committed consumer of "
          + Topics.SAGA_STATE.name()
          + " − the due time of the outbox row that ends the saga (bounded below by the checkpoint"
          + " interval)";

  private ReplicationSlots slots;
  private double sustainableEventsPerSecond;
  private Duration phase;

  @Override
  public String id() {
    return "e2e";
  }

  @Override
  public String title() {
    return "End to end: outbox commit → saga status visible (read_committed)";
  }

  @Override
  public List<String> contenders() {
    return List.of("ours@50%", "ours@80%");
  }

  @Override
  public List<String> describe() {
    String pipeline =
        "our CDC service (jar) and our saga job (RocksDB, exactly-once, checkpoint every "
            + CHECKPOINT_INTERVAL.toMillis()
            + " ms), open-loop generator at ";
    return List.of(
        pipeline + "50% of the sustainable rate measured by a saturation run" + LATENCY,
        pipeline + "80% of the sustainable rate measured by a saturation run" + LATENCY);
  }

  @Override
  public void prepare(BenchContext context) throws Exception {
    OurCdcProcess.requireJar(context);
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(context.postgresJdbcUrl());
    dataSource.setUser(context.postgresUser());
    dataSource.setPassword(context.postgresPassword());
    ServiceSchema.migrate(dataSource);
    slots =
        new ReplicationSlots(
            context.postgresJdbcUrl(), context.postgresUser(), context.postgresPassword());
    phase = context.quick() ? QUICK_PHASE : FULL_PHASE;
    int sagas = context.quick() ? QUICK_SATURATION_SAGAS : FULL_SATURATION_SAGAS;
    RunResult saturation = pipeline(context, "saturation", 0, sagas, Double.NaN);
    sustainableEventsPerSecond = saturation.eventsPerSecond();
  }

  @Override
  public RunResult run(BenchContext context, String contender, int pair) throws Exception {
    Double fraction = FRACTIONS.get(contender);
    if (fraction == null) {
      throw new IllegalArgumentException("e2e: no contender " + contender);
    }
    double rate = fraction * sustainableEventsPerSecond;
    double eventsPerSaga = new SagaDataSet(20, Instant.now()).events() / 20.0;
    int sagas = (int) Math.max(1, Math.round(rate * phase.toSeconds() / eventsPerSaga));
    return pipeline(context, contender, pair, sagas, rate);
  }

  /** One pipeline run; {@code eventsPerSecond} NaN = saturation (flood), else paced. */
  private RunResult pipeline(
      BenchContext context, String name, int pair, int sagas, double eventsPerSecond)
      throws Exception {
    // Contender ids have '@' and '%', which a file URI (Flink's checkpoint path) would escape.
    Path runDir = context.runDir(id(), name.replace("@", "-").replace("%", "pct"), pair);
    String slot = ("bench_e2e_" + name + "_" + pair).replaceAll("[^a-z0-9_]", "_");
    List<Topic<?, ?>> inputs =
        List.of(
            Topics.ORDER_EVENTS,
            Topics.INVENTORY_EVENTS,
            Topics.PAYMENT_EVENTS,
            Topics.SHIPMENT_EVENTS);
    List<Topic<?, ?>> outputs = new ArrayList<>(List.of(Topics.SAGA_STATE, Topics.SAGA_COMMANDS));
    inputs.forEach(t -> outputs.add(Topics.dlqOf(t)));
    outputs.add(Topics.dlqOf(Topics.SAGA_COMMANDS));
    TopicAdmin.recreate(context.bootstrapServers(), InputLoader.newTopics(inputs, PARTITIONS));
    TopicAdmin.recreate(context.bootstrapServers(), InputLoader.newTopics(outputs, PARTITIONS));
    slots.create(slot);
    SagaDataSet data = new SagaDataSet(sagas, Instant.now().minus(Duration.ofMinutes(10)));
    Map<String, Long> intendedEnd = new ConcurrentHashMap<>();
    ExecutorService generatorThread =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "e2e-generator"));
    try (SchemaRegistryClient registry =
            new RestSchemaRegistryClient(
                SchemaRegistryClientConfig.builder(context.schemaRegistryUrl()).build());
        OutputCounter counter =
            new OutputCounter(context.bootstrapServers(), List.of(Topics.SAGA_STATE.name()));
        ContenderProcess job = startJob(context, runDir.resolve("saga-job"), name, pair, inputs);
        ContenderProcess cdc =
            OurCdcProcess.start(name + "-cdc", context, runDir.resolve("cdc"), slot)) {
      SagaOutboxGenerator generator =
          new SagaOutboxGenerator(
              context.postgresJdbcUrl(),
              context.postgresUser(),
              context.postgresPassword(),
              registry);
      job.awaitReady(READY_TIMEOUT);
      cdc.awaitReady(READY_TIMEOUT);
      SagaTerminalLatency latency = new SagaTerminalLatency(registry, intendedEnd, sagas);
      Instant start = Instant.now();
      Future<Long> lag =
          generatorThread.submit(
              () -> {
                if (Double.isNaN(eventsPerSecond)) {
                  generator.flood(data, sagas, intendedEnd);
                  return 0L;
                }
                return generator.paced(data, sagas, eventsPerSecond, intendedEnd);
              });
      Instant deadline = start.plus(phase).plusSeconds(180 + sagas / 50);
      Instant done;
      try {
        done =
            counter.awaitCompletion(
                latency,
                deadline,
                () -> job.isAlive() && cdc.isAlive() && (!lag.isDone() || ok(lag)));
      } catch (IllegalStateException e) {
        throw new IllegalStateException(
            name + ": " + e.getMessage() + "\njob:\n" + job.logTail() + "\ncdc:\n" + cdc.logTail(),
            e);
      }
      Duration cpu = job.cpuSinceReady().plus(cdc.cpuSinceReady());
      Map<String, Double> extra = new LinkedHashMap<>();
      extra.put("e2e.checkpoint.interval.ms", (double) CHECKPOINT_INTERVAL.toMillis());
      extra.put("e2e.sagas", (double) sagas);
      extra.put("e2e.wrong.terminal", (double) latency.wrong());
      extra.put("e2e.generator.max.lag.ms", (double) lag.get());
      if (!Double.isNaN(eventsPerSecond)) {
        extra.put("e2e.rate.events.per.s", eventsPerSecond);
        extra.put("e2e.sustainable.events.per.s", sustainableEventsPerSecond);
      }
      job.stop(Duration.ofSeconds(60)).forEach((k, v) -> extra.put("job." + k, v));
      cdc.stop(Duration.ofSeconds(60));
      return new RunResult(
          id(),
          name,
          pair,
          data.events(),
          cpu,
          Duration.between(start, done),
          latency.histogram(),
          extra);
    } finally {
      generatorThread.shutdownNow();
      slots.drop(slot);
    }
  }

  /** Whether the generator finished without error (the pipeline may still be catching up). */
  private static boolean ok(Future<Long> generator) {
    if (!generator.isDone()) {
      return false;
    }
    try {
      generator.get();
      return true;
    } catch (Exception e) {
      throw new IllegalStateException("the outbox generator failed: " + e, e);
    }
  }

  private ContenderProcess startJob(
      BenchContext context, Path runDir, String name, int pair, List<Topic<?, ?>> inputs)
      throws Exception {
    Map<String, String> spec = new LinkedHashMap<>();
    spec.put(ContenderSpec.CONTENDER, name + "-saga-job");
    spec.put(
        ContenderSpec.RUN_ID,
        "e2e-" + name.replaceAll("[^a-z0-9]", "") + "-" + pair + "-" + System.nanoTime());
    spec.put(ContenderSpec.WORK_DIR, runDir.toString());
    spec.put(ContenderSpec.BOOTSTRAP_SERVERS, context.bootstrapServers());
    spec.put(ContenderSpec.SCHEMA_REGISTRY_URL, context.schemaRegistryUrl());
    spec.put(
        ContenderSpec.INPUT_TOPICS, String.join(",", inputs.stream().map(Topic::name).toList()));
    spec.put(
        ContenderSpec.OUTPUT_TOPICS, Topics.SAGA_STATE.name() + "," + Topics.SAGA_COMMANDS.name());
    spec.put(ContenderSpec.PARTITIONS, Integer.toString(PARTITIONS));
    spec.put(ContenderSpec.CHECKPOINT_INTERVAL_MS, Long.toString(CHECKPOINT_INTERVAL.toMillis()));
    spec.put(ContenderSpec.STATE_BACKEND, "rocksdb");
    spec.put(ContenderSpec.DELIVERY, "exactly-once");
    return ContenderProcess.start(
        name + "-saga-job",
        context.classpathOf(ContenderDef.FLINK_MODULE),
        SAGA_JOB,
        JvmOptions.flink(context, runDir),
        ContenderSpec.of(spec));
  }
}
