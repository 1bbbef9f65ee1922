package org.edapipeline.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.edapipeline.cdc.CdcTestSupport.PATIENCE;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.awaitility.Awaitility;
import org.edapipeline.cdc.config.CdcConfig;
import org.edapipeline.cdc.config.InvalidConfigException;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.embedded.kafka.EmbeddedKafkaBroker;
import org.edapipeline.embedded.kafka.SaslSslListener;
import org.edapipeline.embedded.postgres.EmbeddedPostgresServer;
import org.edapipeline.embedded.registry.EmbeddedSchemaRegistry;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.service.outbox.OutboxWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service by configuration alone against secured services: Kafka over SASL_SSL with
 * SCRAM-SHA-512 (TLS certificates made by the test), a registry with basic auth, and PostgreSQL
 * with password authentication, connected as the least-privilege role of {@code
 * db/cdc/cdc_role.sql} and nothing more. A wrong Kafka or database password fails the start within
 * seconds, naming the key, without the password.
 */
class CdcSecurityITCase {

  private static final String KAFKA_USER = "cdc";
  private static final String KAFKA_PASSWORD = "kafka-Secret-4711";
  private static final String REGISTRY_USER = "cdc-registry";
  private static final String REGISTRY_PASSWORD = "registry-Secret-0815";
  private static final String DATABASE_PASSWORD = "pg-Secret-2342";
  private static final String ROLE = "edapipeline_cdc";
  private static final String DATABASE = "shop";
  private static final Duration FAST = Duration.ofSeconds(15);

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA =
      new KafkaExtension(EmbeddedKafkaBroker.builder().scramUser(KAFKA_USER, KAFKA_PASSWORD));

  @RegisterExtension
  @Order(2)
  static final PostgresExtension PG =
      new PostgresExtension(
          EmbeddedPostgresServer.builder().database(DATABASE).passwordAuthentication());

  @RegisterExtension
  @Order(3)
  static final SchemaRegistryExtension REGISTRY =
      new SchemaRegistryExtension(
          KAFKA, EmbeddedSchemaRegistry.builder().basicAuth(REGISTRY_USER, REGISTRY_PASSWORD));

  private static DataSource admin;
  private CdcService service;

  @BeforeAll
  static void createSchemaRoleAndTopics() throws Exception {
    CdcTestSupport.createCatalogueTopics(KAFKA);
    admin = PG.server().dataSource();
    org.edapipeline.service.ServiceSchema.migrate(admin);
    try (Connection connection = admin.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(roleScript());
      // As a user would, outside any file.
      statement.execute("ALTER ROLE " + ROLE + " PASSWORD '" + DATABASE_PASSWORD + "'");
    }
  }

  @AfterEach
  void stopService() throws SQLException {
    if (service != null) {
      service.close();
      service = null;
    }
    CdcTestSupport.dropSlot(admin, slot());
  }

  @Test
  void shouldStreamOverSaslSslAsTheLeastPrivilegeRole() throws Exception {
    service = CdcService.start(CdcConfig.from(fileValues(), environment(KAFKA_PASSWORD)));
    Awaitility.await()
        .atMost(PATIENCE)
        .until(() -> service.metrics().engineRunning() && CdcTestSupport.slotActive(admin, slot()));

    String orderId = "secure-" + UUID.randomUUID();
    SpecificRecord event = CdcTestSupport.event("order", orderId, 1, "security");
    try (SchemaRegistryClient registry = registryClient();
        Connection connection = admin.getConnection()) {
      connection.setAutoCommit(false);
      OutboxWriter.builder(registry).build().write(connection, event);
      connection.commit();
    }
    try (TopicReader reader =
        new TopicReader(
            KAFKA.saslSsl().clientConfig(KAFKA_USER, KAFKA_PASSWORD),
            List.of(Topics.ORDER_EVENTS),
            orderId)) {
      assertThat(reader.readUntil(r -> !r.isEmpty(), PATIENCE, "the event over SASL_SSL"))
          .extracting(TopicReader::key)
          .containsExactly(orderId);
    }
    assertThat(service.metrics().engineRestarts()).isZero();
    assertThat(activeSlotUser()).isEqualTo(ROLE);

    for (String path : List.of("/health", "/metrics")) {
      String body = CdcITCaseBase.get(service.httpPort(), path).body();
      assertThat(body)
          .as(path)
          .doesNotContain(KAFKA_PASSWORD, REGISTRY_PASSWORD, DATABASE_PASSWORD);
    }
  }

  @Test
  void shouldGiveTheRoleNothingBeyondReplicationAndTheOutbox() throws Exception {
    try (Connection cdc =
            DriverManager.getConnection(PG.server().jdbcUrl(), ROLE, DATABASE_PASSWORD);
        Statement statement = cdc.createStatement()) {
      statement.executeQuery("SELECT count(*) FROM outbox").close();
      assertRefused(statement, "SELECT count(*) FROM processed_events");
      assertRefused(statement, "CREATE TABLE mine (id int)");
      assertRefused(statement, "CREATE PUBLICATION mine FOR TABLE outbox");
      assertRefused(statement, "INSERT INTO outbox (id) VALUES (gen_random_uuid())");
      assertRefused(statement, "DELETE FROM outbox");
    }
    try (Connection connection = admin.getConnection();
        Statement statement = connection.createStatement();
        var role =
            statement.executeQuery(
                "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolcanlogin"
                    + " FROM pg_roles WHERE rolname = '"
                    + ROLE
                    + "'")) {
      assertThat(role.next()).isTrue();
      assertThat(List.of(role.getBoolean(1), role.getBoolean(2), role.getBoolean(3)))
          .containsOnly(false);
      assertThat(role.getBoolean(4)).as("REPLICATION").isTrue();
      assertThat(role.getBoolean(5)).as("LOGIN").isTrue();
    }
  }

  @Test
  void shouldFailTheStartWithinSecondsOnAWrongKafkaPassword() {
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                service =
                    CdcService.start(
                        CdcConfig.from(fileValues(), environment("wrong-kafka-password"))))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("debezium.sink.kafka.producer.sasl.jaas.config")
        .hasMessageContaining("refused authentication")
        .hasMessageContaining("SCRAM-SHA-512")
        .hasMessageNotContaining("wrong-kafka-password");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);
  }

  @Test
  void shouldFailTheStartWithinSecondsOnAWrongDatabasePassword() {
    Map<String, String> environment = environment(KAFKA_PASSWORD);
    environment.put(CdcConfig.environmentName(CdcConfig.DATABASE_PASSWORD), "wrong-pg-password");
    long start = System.nanoTime();
    assertThatThrownBy(() -> service = CdcService.start(CdcConfig.from(fileValues(), environment)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith(CdcConfig.DATABASE_PASSWORD)
        .hasMessageContaining("password authentication failed for user \"" + ROLE + "\"")
        .hasMessageNotContaining("wrong-pg-password");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);
  }

  private static void assertRefused(Statement statement, String sql) {
    assertThatThrownBy(() -> statement.execute(sql))
        .as(sql)
        .isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("42501"); // insufficient_privilege
  }

  /** What goes into the properties file: no secret (the service refuses them there). */
  private static Map<String, String> fileValues() {
    SaslSslListener kafka = KAFKA.saslSsl();
    Map<String, String> values = new HashMap<>();
    values.put(CdcConfig.DATABASE_HOSTNAME, PG.server().host());
    values.put(CdcConfig.DATABASE_PORT, Integer.toString(PG.server().port()));
    values.put(CdcConfig.DATABASE_DBNAME, DATABASE);
    values.put(CdcConfig.DATABASE_USER, ROLE);
    values.put("debezium.source.slot.name", slot());
    values.put("debezium.source.heartbeat.interval.ms", "500");
    values.put("debezium.source.offset.flush.interval.ms", "200");
    values.put(CdcConfig.OFFSET_TOPIC, "_offsets_security");
    values.put(CdcConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    values.put(CdcConfig.PRODUCER_PREFIX + "security.protocol", "SASL_SSL");
    values.put(CdcConfig.PRODUCER_PREFIX + "sasl.mechanism", "SCRAM-SHA-512");
    values.put(CdcConfig.PRODUCER_PREFIX + "ssl.truststore.type", kafka.truststoreType());
    values.put(
        CdcConfig.PRODUCER_PREFIX + "ssl.truststore.location", kafka.truststore().toString());
    values.put(CdcConfig.REGISTRY_URL, REGISTRY.url());
    values.put(CdcConfig.HTTP_HOST, "127.0.0.1");
    values.put(CdcConfig.HTTP_PORT, "0");
    return values;
  }

  /** The secrets, from the environment as in production. */
  private static Map<String, String> environment(String kafkaPassword) {
    Map<String, String> environment = new HashMap<>();
    environment.put("DEBEZIUM_SOURCE_DATABASE_PASSWORD", DATABASE_PASSWORD);
    environment.put(
        "DEBEZIUM_SINK_KAFKA_PRODUCER_SASL_JAAS_CONFIG",
        SaslSslListener.jaasConfig(KAFKA_USER, kafkaPassword));
    environment.put(
        "DEBEZIUM_SINK_KAFKA_PRODUCER_SSL_TRUSTSTORE_PASSWORD",
        KAFKA.saslSsl().truststorePassword());
    environment.put("CDC_BASIC_AUTH_USER_INFO", REGISTRY_USER + ":" + REGISTRY_PASSWORD);
    return environment;
  }

  private static String slot() {
    return "security_slot";
  }

  private static SchemaRegistryClient registryClient() {
    return new RestSchemaRegistryClient(
        SchemaRegistryClientConfig.builder(REGISTRY.url())
            .basicAuth(REGISTRY_USER, REGISTRY_PASSWORD)
            .build());
  }

  private static String activeSlotUser() throws SQLException {
    try (Connection connection = admin.getConnection();
        Statement statement = connection.createStatement();
        var result =
            statement.executeQuery(
                "SELECT a.usename FROM pg_replication_slots s"
                    + " JOIN pg_stat_activity a ON a.pid = s.active_pid"
                    + " WHERE s.slot_name = '"
                    + slot()
                    + "'")) {
      return result.next() ? result.getString(1) : null;
    }
  }

  /** The script users run, from the service's jar. */
  static String roleScript() throws Exception {
    try (InputStream in = CdcService.class.getResourceAsStream("/db/cdc/cdc_role.sql")) {
      assertThat(in).as("db/cdc/cdc_role.sql on the classpath").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
