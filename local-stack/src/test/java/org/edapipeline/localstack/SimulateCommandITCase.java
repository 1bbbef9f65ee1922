package org.edapipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.edapipeline.cdc.CdcService;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.embedded.postgres.EmbeddedPostgresServer;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code local-stack migrate} and {@code simulate} as docker-compose.yml runs them: against a
 * PostgreSQL, Kafka and schema registry they did not start, with a CDC outbox source started in
 * between (the migration creates the outbox publication it needs; the simulators start once it is
 * healthy, and migrate again). Orders must be placed and answered by the inventory, payment and
 * shipment services through the outbox and CDC, readings must reach {@code iot.readings}, and a
 * stop must be clean. A database it cannot use stops the start at once, naming the option and never
 * printing the password; a missing option too.
 */
class SimulateCommandITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final PostgresExtension POSTGRES =
      new PostgresExtension(EmbeddedPostgresServer.builder().database(LocalStack.DATABASE));

  @RegisterExtension
  @Order(3)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  private static final String SLOT = "edapipeline_outbox_simulate_it";
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final List<Topic<?, ?>> SAGA_TOPICS =
      List.of(
          Topics.ORDER_EVENTS,
          Topics.INVENTORY_EVENTS,
          Topics.PAYMENT_EVENTS,
          Topics.SHIPMENT_EVENTS);

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void createTopics() {
    for (Topic<?, ?> topic : Topics.all()) {
      KAFKA.createTopic(topic.name(), topic.partitions(), topic.config());
    }
  }

  private CommandLine commandLine() {
    CommandLine commandLine = LocalStackMain.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine;
  }

  private static List<String> connection(String jdbcUrl) {
    return List.of(
        "simulate",
        "--kafka-bootstrap-servers",
        KAFKA.bootstrapServers(),
        "--jdbc-url",
        jdbcUrl,
        "--jdbc-user",
        POSTGRES.server().user(),
        "--schema-registry-url",
        REGISTRY.url(),
        "--cdc-slot",
        SLOT);
  }

  @Test
  void shouldPlaceOrdersThatTheServicesAnswerThroughTheOutboxAndSendReadings() throws Exception {
    // Compose's order: the one-shot migration, then the CDC source (which cannot start without
    // the outbox's publication), then, once it is healthy, the simulators (which migrate again).
    assertThat(
            commandLine()
                .execute(
                    "migrate",
                    "--jdbc-url",
                    POSTGRES.server().jdbcUrl(),
                    "--jdbc-user",
                    POSTGRES.server().user()))
        .as(err.toString())
        .isZero();
    assertThat(tableExists("outbox")).isTrue();
    try (CdcService cdc =
        CdcService.start(
            LocalStack.cdcConfig(
                POSTGRES.server(), KAFKA.bootstrapServers(), REGISTRY.url(), SLOT))) {
      URI health = URI.create("http://127.0.0.1:" + cdc.httpPort() + "/health");
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(
              () ->
                  HTTP.send(HttpRequest.newBuilder(health).build(), BodyHandlers.discarding())
                          .statusCode()
                      == 200);
      List<String> args = new ArrayList<>(connection(POSTGRES.server().jdbcUrl()));
      args.addAll(
          List.of(
              "--order-rate", "20",
              "--stock-out-rate", "0",
              "--payment-decline-rate", "0",
              "--payment-transient-rate", "0",
              "--shipment-failure-rate", "0",
              "--outage-every", "0",
              "--devices", "4",
              "--reading-interval", "200ms",
              "--startup-timeout", "30s"));
      CommandLine commandLine = commandLine();
      SimulateCommand command = commandLine.getSubcommands().get("simulate").getCommand();
      CompletableFuture<Integer> run =
          CompletableFuture.supplyAsync(() -> commandLine.execute(args.toArray(String[]::new)));
      try {
        Map<String, Set<String>> orderIdsByTopic = new HashMap<>();
        long[] readings = {0};
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
          List<String> names = new ArrayList<>();
          SAGA_TOPICS.forEach(t -> names.add(t.name()));
          names.add(Topics.IOT_READINGS.name());
          consumer.subscribe(names);
          await()
              .atMost(WAIT)
              .pollInterval(Duration.ofMillis(100))
              .failFast("simulate ended early: " + err, run::isDone)
              .until(
                  () -> {
                    for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                      if (record.topic().equals(Topics.IOT_READINGS.name())) {
                        readings[0]++;
                      } else {
                        orderIdsByTopic
                            .computeIfAbsent(record.topic(), t -> new HashSet<>())
                            .add(header(record, EventHeaders.CORRELATION_ID));
                      }
                    }
                    return readings[0] > 0 && !completedOrders(orderIdsByTopic).isEmpty();
                  });
        }
        assertThat(readings[0]).isPositive();
        // One order (the correlation id of every event of its saga) answered by every service.
        assertThat(completedOrders(orderIdsByTopic)).isNotEmpty();
      } finally {
        command.stop(); // what Ctrl-C and SIGTERM do
      }
      assertThat(run.get(30, TimeUnit.SECONDS)).as(err.toString()).isZero();
    }

    // The services' own tables are in the external database.
    try (Connection connection = POSTGRES.connect();
        Statement statement = connection.createStatement();
        ResultSet orders = statement.executeQuery("SELECT count(*) FROM order_service.orders")) {
      assertThat(orders.next()).isTrue();
      assertThat(orders.getLong(1)).isPositive();
    }
  }

  @Test
  void shouldFailFastNamingTheOptionOfADatabaseItCannotUseWithoutPrintingThePassword() {
    String password = "pw-" + System.nanoTime();
    List<String> args = new ArrayList<>(connection(POSTGRES.server().jdbcUrl("no_such_database")));
    args.addAll(List.of("--jdbc-password", password));
    long started = System.nanoTime();

    int exitCode = commandLine().execute(args.toArray(String[]::new));

    assertThat(exitCode).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    assertThat(err.toString())
        .contains("--jdbc-url")
        .contains("no_such_database")
        .doesNotContain(password);
    assertThat(out.toString()).doesNotContain(password);
  }

  @Test
  void shouldFailFastNamingAMissingOption() {
    assertThat(
            commandLine()
                .execute(
                    "simulate",
                    "--jdbc-url",
                    POSTGRES.server().jdbcUrl(),
                    "--jdbc-user",
                    "postgres",
                    "--schema-registry-url",
                    REGISTRY.url()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--kafka-bootstrap-servers");
  }

  private static boolean tableExists(String table) throws Exception {
    try (Connection connection = POSTGRES.connect();
        Statement statement = connection.createStatement();
        ResultSet found =
            statement.executeQuery("SELECT to_regclass('public." + table + "') IS NOT NULL")) {
      return found.next() && found.getBoolean(1);
    }
  }

  /** Correlation ids (order ids) seen on every one of the four services' topics. */
  private static Set<String> completedOrders(Map<String, Set<String>> idsByTopic) {
    Set<String> common = null;
    for (Topic<?, ?> topic : SAGA_TOPICS) {
      Set<String> ids = idsByTopic.getOrDefault(topic.name(), Set.of());
      if (common == null) {
        common = new HashSet<>(ids);
      } else {
        common.retainAll(ids);
      }
    }
    return common;
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static KafkaConsumer<byte[], byte[]> consumer() {
    Map<String, Object> config = KAFKA.clientConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "simulate-it-" + System.nanoTime());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
