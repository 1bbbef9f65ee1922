package org.edapipeline.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.edapipeline.cdc.CdcService;
import org.edapipeline.cdc.config.CdcConfig;
import org.edapipeline.embedded.kafka.EmbeddedKafkaBroker;
import org.edapipeline.embedded.postgres.EmbeddedPostgresServer;
import org.edapipeline.embedded.registry.EmbeddedSchemaRegistry;
import org.edapipeline.jobs.iot.IotAggregationJob;
import org.edapipeline.jobs.saga.SagaCorrelationJob;
import org.edapipeline.localstack.flink.FlinkRest;
import org.edapipeline.localstack.flink.FlinkRuntime;
import org.edapipeline.localstack.flink.PipelineJobs;
import org.edapipeline.localstack.monitor.DlqMetricsService;
import org.edapipeline.localstack.summary.Summary;
import org.edapipeline.localstack.summary.SummaryCollector;
import org.edapipeline.localstack.summary.SummaryFormatter;
import org.edapipeline.localstack.summary.SummaryJson;
import org.edapipeline.sagaquery.SagaQueryService;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system in this JVM. {@link #start} brings up, in order: PostgreSQL, Kafka and the Flink
 * MiniCluster (in parallel), the schema registry, every catalogue topic, the migrations, the CDC
 * outbox source (waiting until its replication slot exists, since the outbox keeps no rows), both
 * Flink jobs (waiting until all their tasks run), the saga query service, the summary, and the
 * simulated services and devices. {@link #close} stops everything in reverse order, writing the
 * report once the simulators have stopped; it is idempotent and safe from any thread.
 */
public final class LocalStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

  /** The shop database: outbox, processed_events and the services' schemas. */
  public static final String DATABASE = "shop";

  /** The CDC source's replication slot. */
  static final String SLOT = "edapipeline_outbox";

  private static final String LOCALHOST = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  /** How often the DLQ depth monitor looks at the queues between summaries. */
  private static final Duration DLQ_CHECK_INTERVAL = Duration.ofSeconds(5);

  /** How often the CDC source reads its replication slot's lag. */
  private static final Duration SLOT_LAG_INTERVAL = Duration.ofSeconds(2);

  private record Stage(String name, AutoCloseable resource) {}

  private final LocalStackConfig config;
  private final PrintStream console;
  private final Deque<Stage> stages = new ArrayDeque<>();
  private final Path workDirectory;
  private StackInfo info;
  private SummaryCollector collector;
  private volatile Simulators simulators;
  private Summary lastSummary;
  private boolean closed;

  private LocalStack(LocalStackConfig config, PrintStream console) throws IOException {
    this.config = config;
    this.console = console;
    this.workDirectory = Files.createTempDirectory("local-stack-");
  }

  /**
   * Starts everything and returns once the system is ready (the {@code --info} file is written).
   *
   * @param console where the summary is printed
   * @throws PortInUseException if a fixed port (web UI, metrics) is taken
   */
  public static LocalStack start(LocalStackConfig config, PrintStream console) throws Exception {
    LocalStack stack = new LocalStack(config, console);
    try {
      stack.startAll();
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    long started = System.nanoTime();
    FlinkRuntime.checkPorts(config.webPort(), config.flinkMetricsPort());
    if (config.dlqMetricsPort() != 0) {
      PortInUseException.checkFree(
          LOCALHOST, config.dlqMetricsPort(), "the DLQ depth metrics", "--dlq-metrics-port");
    }

    LOG.info("Starting PostgreSQL, Kafka and the Flink MiniCluster");
    CompletableFuture<EmbeddedPostgresServer> postgresStart =
        CompletableFuture.supplyAsync(
            () ->
                EmbeddedPostgresServer.builder()
                    .port(config.postgresPort())
                    .database(DATABASE)
                    .start());
    CompletableFuture<EmbeddedKafkaBroker> kafkaStart =
        CompletableFuture.supplyAsync(
            () -> EmbeddedKafkaBroker.builder().port(config.kafkaPort()).start());
    CompletableFuture<FlinkRuntime> flinkStart =
        CompletableFuture.supplyAsync(
            () ->
                FlinkRuntime.start(
                    config.webPort(),
                    config.flinkMetricsPort(),
                    config.pipeline().slots(),
                    createDirectory(workDirectory.resolve("flink-tmp"))));
    EmbeddedPostgresServer postgres =
        register("PostgreSQL", join(postgresStart, kafkaStart, flinkStart));
    EmbeddedKafkaBroker kafka = register("Kafka", join(kafkaStart, postgresStart, flinkStart));
    FlinkRuntime flink = register("Flink MiniCluster", join(flinkStart, postgresStart, kafkaStart));
    String bootstrap = kafka.bootstrapServers();

    EmbeddedSchemaRegistry registryServer =
        register(
            "schema registry",
            EmbeddedSchemaRegistry.builder().kafkaBootstrapServers(bootstrap).start());
    SchemaRegistryClientConfig registryConfig =
        SchemaRegistryClientConfig.builder(registryServer.url()).build();
    SchemaRegistryClient registry =
        register("schema registry client", new RestSchemaRegistryClient(registryConfig));
    createTopics(kafka);

    Simulators.migrate(postgres.dataSource());

    CdcService cdc =
        register(
            "CDC outbox source",
            CdcService.start(cdcConfig(postgres, bootstrap, registryServer.url(), SLOT)));
    awaitSlot(postgres, SLOT);

    LOG.info("Submitting the Flink jobs");
    PipelineJobs jobs =
        new PipelineJobs(
            config.pipeline(),
            bootstrap,
            registryServer.url(),
            workDirectory.resolve("checkpoints"));
    register("Flink jobs", flink::cancelJobs);
    flink.submit(jobs.sagaGraph(jobs.sagaConfig()));
    flink.submit(jobs.iotGraph(jobs.iotConfig()));
    FlinkRest rest = new FlinkRest(flink.webUiUrl());
    awaitJobsRunning(rest);

    Properties kafkaProps = new Properties();
    kafkaProps.setProperty("bootstrap.servers", bootstrap);
    SagaQueryService query =
        register(
            "saga query service",
            SagaQueryService.start(
                kafkaProps, registryConfig, new InetSocketAddress(LOCALHOST, config.queryPort())));

    List<String> groups =
        new ArrayList<>(List.of(SagaCorrelationJob.JOB_NAME, IotAggregationJob.JOB_NAME));
    if (config.simulators()) {
      groups.addAll(Simulators.CONSUMER_GROUPS);
    }
    DlqMetricsService dlq =
        register(
            "DLQ depth monitor",
            DlqMetricsService.start(
                bootstrap,
                registryServer.url(),
                LOCALHOST,
                config.dlqMetricsPort(),
                DLQ_CHECK_INTERVAL));
    collector =
        register(
            "summary",
            new SummaryCollector(
                bootstrap,
                registry,
                rest,
                dlq::checkNow,
                cdc,
                groups,
                () -> simulators == null ? List.of() : simulators.servicesDown()));
    register("report", this::writeReport);

    if (config.simulators()) {
      simulators =
          register(
              "simulated services and devices",
              Simulators.start(
                  postgres.dataSource(), registry, bootstrap, config.services(), config.devices()));
    }

    info =
        new StackInfo(
            bootstrap,
            postgres.jdbcUrl(),
            "localhost",
            postgres.port(),
            DATABASE,
            postgres.user(),
            registryServer.url(),
            flink.webUiUrl(),
            query.url(),
            "http://" + LOCALHOST + ":" + cdc.httpPort() + "/health",
            flink.metricsUrl(),
            dlq.metricsUrl(),
            "http://" + LOCALHOST + ":" + cdc.httpPort() + "/metrics");
    if (config.infoFile() != null) {
      SummaryJson.write(config.infoFile(), info.toJson());
    }
    startSummary();
    LOG.info(
        "Ready in {} s. Flink web UI: {} | sagas: {}/sagas | Kafka: {} | PostgreSQL: {}{}",
        String.format("%.1f", (System.nanoTime() - started) / 1e9),
        info.webUiUrl(),
        info.queryUrl(),
        info.kafkaBootstrapServers(),
        info.psql(),
        config.simulators() ? "" : " | no simulators: waiting for events from outside");
    LOG.info(
        "Prometheus metrics: Flink {} | DLQ depth {} | CDC {}",
        info.flinkMetricsUrl(),
        info.dlqMetricsUrl(),
        info.cdcMetricsUrl());
  }

  private void startSummary() {
    if (config.summaryInterval().isZero()) {
      return;
    }
    ScheduledExecutorService printer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "local-stack-summary");
              thread.setDaemon(true);
              return thread;
            });
    long period = config.summaryInterval().toMillis();
    printer.scheduleWithFixedDelay(
        () -> {
          try {
            Summary summary = snapshot();
            console.print(SummaryFormatter.format(summary));
            console.flush();
          } catch (RuntimeException e) {
            LOG.warn("Summary failed: {}", e.toString());
          }
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
    register(
        "summary printer",
        () -> {
          printer.shutdown();
          printer.awaitTermination(30, TimeUnit.SECONDS);
        });
  }

  /** Where everything runs; null before the stack is ready. */
  public StackInfo info() {
    return info;
  }

  /** A summary of the system now, read from its outputs. */
  public synchronized Summary snapshot() {
    if (collector == null) {
      throw new IllegalStateException("not started");
    }
    lastSummary = collector.snapshot();
    return lastSummary;
  }

  /** The summary taken when the stack stopped (after the simulators stopped); null before. */
  public synchronized Summary finalSummary() {
    return closed ? lastSummary : null;
  }

  private void writeReport() throws IOException {
    Summary summary = snapshot();
    console.print(SummaryFormatter.format(summary));
    if (config.reportFile() != null) {
      SummaryJson.write(config.reportFile(), SummaryJson.report(summary));
      LOG.info("Report written to {}", config.reportFile().toAbsolutePath());
    }
  }

  /** Stops everything, newest first. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    LOG.info("Stopping the local stack");
    while (true) {
      Stage stage;
      synchronized (stages) {
        stage = stages.pollLast();
      }
      if (stage == null) {
        break;
      }
      try {
        LOG.debug("Stopping {}", stage.name());
        stage.resource().close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.warn("Stopping {} failed: {}", stage.name(), e.toString());
      }
    }
    deleteRecursively(workDirectory);
    LOG.info("Stopped");
  }

  private <T extends AutoCloseable> T register(String name, T resource) {
    synchronized (stages) {
      stages.addLast(new Stage(name, resource));
    }
    return resource;
  }

  private void createTopics(EmbeddedKafkaBroker kafka) throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    for (Topic<?, ?> topic : Topics.all()) {
      topics.add(new NewTopic(topic.name(), topic.partitions(), (short) 1).configs(topic.config()));
    }
    try (Admin admin = kafka.admin()) {
      try {
        admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
    LOG.info("Created {} topics (Topics.all())", topics.size());
  }

  /**
   * The CDC source's configuration against the embedded services: also what the end-to-end tests
   * run, with a slot of their own.
   */
  static CdcConfig cdcConfig(
      EmbeddedPostgresServer postgres, String bootstrap, String registryUrl, String slot) {
    Map<String, String> cdc = new HashMap<>();
    cdc.put(CdcConfig.DATABASE_HOSTNAME, postgres.host());
    cdc.put(CdcConfig.DATABASE_PORT, Integer.toString(postgres.port()));
    cdc.put(CdcConfig.DATABASE_DBNAME, DATABASE);
    cdc.put(CdcConfig.DATABASE_USER, postgres.user());
    cdc.put(CdcConfig.SOURCE_PREFIX + "slot.name", slot);
    cdc.put(CdcConfig.BOOTSTRAP_SERVERS, bootstrap);
    cdc.put(CdcConfig.REGISTRY_URL, registryUrl);
    cdc.put(CdcConfig.HTTP_HOST, LOCALHOST);
    cdc.put(CdcConfig.HTTP_PORT, "0");
    cdc.put(CdcConfig.SLOT_LAG_INTERVAL_MS, Long.toString(SLOT_LAG_INTERVAL.toMillis()));
    // Outbox rows reach Kafka quickly: the saga's latency starts here.
    cdc.put(CdcConfig.SOURCE_PREFIX + "poll.interval.ms", "100");
    return CdcConfig.from(cdc, Map.of());
  }

  /** Services may write only once the slot exists: the outbox keeps no rows, only the WAL does. */
  static void awaitSlot(EmbeddedPostgresServer postgres, String slotName) throws Exception {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Connection connection = postgres.connect();
        PreparedStatement query =
            connection.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
      query.setString(1, slotName);
      while (true) {
        try (ResultSet slot = query.executeQuery()) {
          if (slot.next()) {
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "The CDC source did not create its replication slot "
                  + slotName
                  + " within "
                  + READY_TIMEOUT);
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not check the replication slot: " + e, e);
    }
  }

  private static void awaitJobsRunning(FlinkRest rest) throws Exception {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    List<FlinkRest.JobOverview> jobs = List.of();
    while (System.nanoTime() < deadline) {
      try {
        jobs = rest.jobs();
        if (jobs.size() == 2 && jobs.stream().allMatch(FlinkRest.JobOverview::fullyRunning)) {
          return;
        }
        if (jobs.stream().anyMatch(j -> j.state().equals("FAILED"))) {
          break;
        }
      } catch (IOException e) {
        LOG.debug("Flink REST not answering yet: {}", e.toString());
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new IllegalStateException("The Flink jobs did not reach RUNNING: " + jobs);
  }

  @SafeVarargs
  private static <T> T join(CompletableFuture<T> future, CompletableFuture<?>... others)
      throws Exception {
    try {
      return future.join();
    } catch (CompletionException e) {
      // Close what the others started: this one failed, so the start is over.
      for (CompletableFuture<?> other : others) {
        other.thenAccept(LocalStack::closeQuietly);
      }
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static void closeQuietly(Object resource) {
    if (resource instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // Already failing: the original error is what matters.
      }
    }
  }

  private static Path createDirectory(Path directory) {
    try {
      return Files.createDirectories(directory);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create " + directory, e);
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("Could not delete {}: {}", directory, e.toString());
    }
  }
}
