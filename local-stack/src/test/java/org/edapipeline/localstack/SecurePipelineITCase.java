package org.edapipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.edapipeline.cdc.CdcService;
import org.edapipeline.cdc.config.CdcConfig;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.embedded.kafka.EmbeddedKafkaBroker;
import org.edapipeline.embedded.kafka.SaslSslListener;
import org.edapipeline.embedded.postgres.EmbeddedPostgresServer;
import org.edapipeline.embedded.registry.EmbeddedSchemaRegistry;
import org.edapipeline.jobs.common.JobConfigurationException;
import org.edapipeline.jobs.common.TransactionTimeoutCheck;
import org.edapipeline.jobs.saga.SagaJobConfig;
import org.edapipeline.localstack.OutboxSqlCommand.EventType;
import org.edapipeline.localstack.flink.FlinkRest;
import org.edapipeline.localstack.flink.FlinkRuntime;
import org.edapipeline.localstack.flink.PipelineJobs;
import org.edapipeline.sagaquery.SagaQueryService;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.service.ServiceSchema;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 8, "Security, tested the same way": the pipeline configured for secured services and
 * nothing else. Kafka is reached only over SASL_SSL with SCRAM-SHA-512 (TLS certificates made by
 * the test), one user per component; the registry wants basic auth; PostgreSQL wants passwords and
 * the CDC service logs in as the least-privilege role of {@code db/cdc/cdc_role.sql}.
 *
 * <p>An outbox row goes through the CDC service, Kafka and the saga correlation job (MiniCluster,
 * exactly-once) into {@code saga.state}, read back over SASL_SSL, and through the saga query
 * service. Every log line of the JVM at INFO and above (Kafka, Debezium, Flink, the services, with
 * stack traces) is scanned for the test's passwords, and so are the CDC service's {@code /health}
 * and {@code /metrics} and the Flink REST API's view of the job: none may appear. A wrong password
 * fails the job's start within seconds, with a message that says so.
 */
class SecurePipelineITCase {

  private static final String CDC_USER = "cdc";
  private static final String CDC_KAFKA_PASSWORD = "cdc-Kafka-Secret-31";
  private static final String FLINK_USER = "flink";
  private static final String FLINK_KAFKA_PASSWORD = "flink-Kafka-Secret-47";
  private static final String QUERY_USER = "saga-query";
  private static final String QUERY_KAFKA_PASSWORD = "query-Kafka-Secret-59";
  private static final String REGISTRY_USER = "pipeline";
  private static final String REGISTRY_PASSWORD = "registry-Secret-73";
  private static final String CDC_ROLE = "edapipeline_cdc";
  private static final String DATABASE_PASSWORD = "postgres-Secret-89";
  private static final String SLOT = "edapipeline_outbox_secure_it";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration FAST = Duration.ofSeconds(15);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Logged on purpose, to prove that the scan finds what it looks for. */
  private static final String CANARY = "canary-Secret-97";

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA =
      new KafkaExtension(
          EmbeddedKafkaBroker.builder()
              .scramUser(CDC_USER, CDC_KAFKA_PASSWORD)
              .scramUser(FLINK_USER, FLINK_KAFKA_PASSWORD)
              .scramUser(QUERY_USER, QUERY_KAFKA_PASSWORD));

  @RegisterExtension
  @Order(2)
  static final PostgresExtension POSTGRES =
      new PostgresExtension(
          EmbeddedPostgresServer.builder().database(LocalStack.DATABASE).passwordAuthentication());

  @RegisterExtension
  @Order(3)
  static final SchemaRegistryExtension REGISTRY =
      new SchemaRegistryExtension(
          KAFKA, EmbeddedSchemaRegistry.builder().basicAuth(REGISTRY_USER, REGISTRY_PASSWORD));

  @TempDir Path directory;

  @Test
  void shouldRunThePipelineOverSaslSslWithoutShowingAnySecret() throws Exception {
    // Setup as an operator would do it, before the pipeline runs.
    for (Topic<?, ?> topic : Topics.all()) {
      KAFKA.createTopic(topic.name(), topic.partitions(), topic.config());
    }
    ServiceSchema.migrate(POSTGRES.dataSource());
    try (Connection admin = POSTGRES.connect();
        Statement statement = admin.createStatement()) {
      statement.execute(cdcRoleScript());
      statement.execute("ALTER ROLE " + CDC_ROLE + " PASSWORD '" + DATABASE_PASSWORD + "'");
    }
    String orderId = "secure-" + UUID.randomUUID();

    List<String> scanned = new ArrayList<>(secrets());
    scanned.add(CANARY);
    try (CapturedLogs logs = CapturedLogs.scanningFor(scanned)) {
      // The scan finds a secret: this one line must be its only finding.
      LoggerFactory.getLogger(SecurePipelineITCase.class).info("canary {}", CANARY);
      logs.watchFor("Starting the CDC outbox source");
      logs.watchFor("PostgresConnectorTask");
      logs.watchFor("saga-correlation");
      List<String> exposed = new ArrayList<>();
      try (CdcService cdc = CdcService.start(cdcConfig());
          FlinkRuntime flink = FlinkRuntime.start(0, 0, 2, directory.resolve("flink-tmp"));
          SchemaRegistryClient registry = registryClient();
          SagaQueryService query = startQueryService();
          Connection psql = POSTGRES.connect();
          Statement outbox = psql.createStatement()) {
        await().atMost(WAIT).pollInterval(POLL).until(() -> slotActive(psql));
        assertThat(slotUser(psql)).as("the CDC service's database role").isEqualTo(CDC_ROLE);

        SagaJobConfig sagaConfig = sagaConfig(FLINK_KAFKA_PASSWORD);
        // Builds the graph as the job's main does, including TransactionTimeoutCheck over SASL_SSL.
        // sagaGraph uses only the configuration it is given (the stack's settings stay unused).
        JobID job =
            flink.submit(
                new PipelineJobs(null, null, null, directory.resolve("checkpoints"))
                    .sagaGraph(sagaConfig));
        awaitRunning(flink, job);

        outbox.execute(
            OutboxSqlCommand.insert(
                registry, OutboxSqlCommand.build(EventType.OrderPlaced, orderId)));

        assertThat(committedSagaStateKeys(orderId)).as("saga.state over SASL_SSL").isNotEmpty();
        await()
            .atMost(WAIT)
            .pollInterval(POLL)
            .untilAsserted(
                () ->
                    assertThat(get(query.url() + "/sagas/" + orderId))
                        .contains("\"status\":\"STARTED\""));

        String cdcBase = "http://127.0.0.1:" + cdc.httpPort();
        exposed.add(get(cdcBase + "/health"));
        exposed.add(get(cdcBase + "/metrics"));
        String jobUrl = flink.webUiUrl() + "/jobs/" + job.toHexString();
        exposed.add(get(jobUrl));
        exposed.add(get(jobUrl + "/config"));
        exposed.add(get(jobUrl + "/exceptions"));
        exposed.add(get(flink.webUiUrl() + "/jobmanager/config"));
        exposed.add(get(query.url() + "/health"));
      }
      for (String text : exposed) {
        for (String secret : secrets()) {
          assertThat(text).as("HTTP output").doesNotContain(secret);
        }
      }
      // The capture works: it saw the service's, Debezium's and Flink's INFO lines.
      assertThat(logs.events()).isGreaterThan(100);
      assertThat(logs.sawLineContaining("Starting the CDC outbox source")).isTrue();
      assertThat(logs.sawLineContaining("PostgresConnectorTask")).isTrue();
      assertThat(logs.sawLineContaining("saga-correlation")).isTrue();
      assertThat(logs.linesWithSecrets())
          .as("log lines containing a password")
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains("canary <SECRET>");
    }
  }

  @Test
  void shouldFailTheJobAtStartWithinSecondsOnAWrongKafkaPassword() {
    SagaJobConfig config = sagaConfig("wrong-Kafka-Password");
    long start = System.nanoTime();
    assertThatThrownBy(() -> TransactionTimeoutCheck.validate(config.common()))
        .isInstanceOf(JobConfigurationException.class)
        .hasMessageContaining("refused authentication")
        .hasMessageContaining("kafka.properties.sasl.jaas.config")
        .hasMessageContaining("SCRAM-SHA-512")
        .hasMessageNotContaining("wrong-Kafka-Password");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);
  }

  private static List<String> secrets() {
    return List.of(
        CDC_KAFKA_PASSWORD,
        FLINK_KAFKA_PASSWORD,
        QUERY_KAFKA_PASSWORD,
        REGISTRY_PASSWORD,
        DATABASE_PASSWORD,
        KAFKA.saslSsl().truststorePassword());
  }

  /** The CDC service: no secret in the file values, every secret from the environment. */
  private static CdcConfig cdcConfig() {
    EmbeddedPostgresServer postgres = POSTGRES.server();
    SaslSslListener kafka = KAFKA.saslSsl();
    Map<String, String> file = new HashMap<>();
    file.put(CdcConfig.DATABASE_HOSTNAME, postgres.host());
    file.put(CdcConfig.DATABASE_PORT, Integer.toString(postgres.port()));
    file.put(CdcConfig.DATABASE_DBNAME, LocalStack.DATABASE);
    file.put(CdcConfig.DATABASE_USER, CDC_ROLE);
    file.put(CdcConfig.SOURCE_PREFIX + "slot.name", SLOT);
    file.put(CdcConfig.SOURCE_PREFIX + "poll.interval.ms", "100");
    file.put(CdcConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    file.put(CdcConfig.PRODUCER_PREFIX + "security.protocol", "SASL_SSL");
    file.put(CdcConfig.PRODUCER_PREFIX + "sasl.mechanism", SaslSslListener.MECHANISM);
    file.put(CdcConfig.PRODUCER_PREFIX + "ssl.truststore.type", kafka.truststoreType());
    file.put(CdcConfig.PRODUCER_PREFIX + "ssl.truststore.location", kafka.truststore().toString());
    file.put(CdcConfig.REGISTRY_URL, REGISTRY.url());
    file.put(CdcConfig.HTTP_HOST, "127.0.0.1");
    file.put(CdcConfig.HTTP_PORT, "0");
    Map<String, String> environment = new HashMap<>();
    environment.put("DEBEZIUM_SOURCE_DATABASE_PASSWORD", DATABASE_PASSWORD);
    environment.put(
        "DEBEZIUM_SINK_KAFKA_PRODUCER_SASL_JAAS_CONFIG",
        SaslSslListener.jaasConfig(CDC_USER, CDC_KAFKA_PASSWORD));
    environment.put(
        "DEBEZIUM_SINK_KAFKA_PRODUCER_SSL_TRUSTSTORE_PASSWORD", kafka.truststorePassword());
    environment.put("CDC_BASIC_AUTH_USER_INFO", REGISTRY_USER + ":" + REGISTRY_PASSWORD);
    return CdcConfig.from(file, environment);
  }

  /** The saga job's options as a user passes them: {@code --kafka.properties.*} and friends. */
  private SagaJobConfig sagaConfig(String kafkaPassword) {
    SaslSslListener kafka = KAFKA.saslSsl();
    String day = Duration.ofDays(1).toMillis() + " ms";
    List<String> args =
        new ArrayList<>(
            List.of(
                "--kafka.bootstrap-servers",
                kafka.bootstrapServers(),
                "--kafka.properties.security.protocol",
                "SASL_SSL",
                "--kafka.properties.sasl.mechanism",
                SaslSslListener.MECHANISM,
                "--kafka.properties.sasl.jaas.config",
                SaslSslListener.jaasConfig(FLINK_USER, kafkaPassword),
                "--kafka.properties.ssl.truststore.type",
                kafka.truststoreType(),
                "--kafka.properties.ssl.truststore.location",
                kafka.truststore().toString(),
                "--kafka.properties.ssl.truststore.password",
                kafka.truststorePassword(),
                "--schema-registry.url",
                REGISTRY.url(),
                "--schema-registry.properties.basic.auth.user.info",
                REGISTRY_USER + ":" + REGISTRY_PASSWORD,
                "--schema-registry.auto-register",
                "true",
                "--kafka.starting-offsets",
                "EARLIEST",
                "--kafka.transaction-timeout",
                "5 min",
                "--checkpoint.interval",
                "1 s",
                "--checkpoint.timeout",
                "1 min",
                "--checkpoint.directory",
                directory.resolve("checkpoints").toUri().toString(),
                "--parallelism",
                "2",
                "--restart.attempts",
                "1"));
    for (String deadline : List.of("inventory", "payment", "shipment", "delivery")) {
      args.addAll(List.of("--saga.deadline." + deadline, day));
    }
    args.addAll(
        List.of(
            "--saga.deadline.compensation",
            day,
            "--saga.deadline.unknown-saga",
            day,
            "--saga.retention",
            "10 min",
            "--saga.dedupe.ttl",
            "1 h"));
    return SagaJobConfig.parse(args.toArray(String[]::new));
  }

  private static SagaQueryService startQueryService() throws Exception {
    Properties kafka = new Properties();
    kafka.putAll(KAFKA.saslSsl().clientConfig(QUERY_USER, QUERY_KAFKA_PASSWORD));
    return SagaQueryService.start(kafka, registryConfig(), new InetSocketAddress("127.0.0.1", 0));
  }

  private static SchemaRegistryClientConfig registryConfig() {
    return SchemaRegistryClientConfig.builder(REGISTRY.url())
        .basicAuth(REGISTRY_USER, REGISTRY_PASSWORD)
        .build();
  }

  private static SchemaRegistryClient registryClient() {
    return new RestSchemaRegistryClient(registryConfig());
  }

  /** Keys of committed {@code saga.state} records for the order, read over SASL_SSL. */
  private static List<String> committedSagaStateKeys(String orderId) {
    Map<String, Object> config = KAFKA.saslSsl().clientConfig(QUERY_USER, QUERY_KAFKA_PASSWORD);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.SAGA_STATE.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await()
          .atMost(WAIT)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
                return keys.contains(orderId);
              });
    }
    return keys;
  }

  private static String cdcRoleScript() throws Exception {
    try (InputStream in = CdcService.class.getResourceAsStream("/db/cdc/cdc_role.sql")) {
      assertThat(in).as("db/cdc/cdc_role.sql in the CDC service's jar").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static boolean slotActive(Connection psql) throws Exception {
    try (PreparedStatement query =
        psql.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
      query.setString(1, SLOT);
      try (ResultSet slot = query.executeQuery()) {
        return slot.next() && slot.getBoolean(1);
      }
    }
  }

  private static String slotUser(Connection psql) throws Exception {
    try (PreparedStatement query =
        psql.prepareStatement(
            "SELECT a.usename FROM pg_replication_slots s"
                + " JOIN pg_stat_activity a ON a.pid = s.active_pid WHERE s.slot_name = ?")) {
      query.setString(1, SLOT);
      try (ResultSet slot = query.executeQuery()) {
        return slot.next() ? slot.getString(1) : null;
      }
    }
  }

  /** Waits until every task runs; a failed job fails the test with its exceptions. */
  private static void awaitRunning(FlinkRuntime flink, JobID job) {
    FlinkRest rest = new FlinkRest(flink.webUiUrl());
    String jobUrl = flink.webUiUrl() + "/jobs/" + job.toHexString();
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
        .until(
            () -> {
              FlinkRest.JobOverview overview =
                  rest.jobs().stream()
                      .filter(j -> j.id().equals(job.toHexString()))
                      .findFirst()
                      .orElseThrow();
              if (overview.state().equals("FAILED") || overview.state().equals("FAILING")) {
                throw new AssertionError("The job failed: " + get(jobUrl + "/exceptions"));
              }
              return overview.fullyRunning();
            });
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return response.body();
  }
}
