package org.edapipeline.service.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A consumer JVM killed ({@code destroyForcibly()}, SIGKILL) between the database commit and the
 * Kafka offset commit: after a restart, every event still has exactly one effect.
 */
class IdempotentConsumerCrashITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final PostgresExtension PG = new PostgresExtension();

  @RegisterExtension
  @Order(3)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final int EVENTS = 5;
  private static final int KILLED_AFTER = 3;

  private Process child;

  @AfterEach
  void killChild() throws InterruptedException {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldGiveOneEffectPerEventAfterAKillBetweenDatabaseAndOffsetCommit() throws Exception {
    DataSource db = PG.dataSource();
    PaymentsFixture.createSchema(db);
    PaymentsFixture.recordOutbox(db);
    Topic<String, PaymentProcessed> topic = PaymentsFixture.topic("payments-crash");
    KAFKA.createTopic(topic.name(), topic.partitions());
    KAFKA.createTopic(Topics.dlqOf(topic).name(), topic.partitions());
    String group = topic.name();
    try (SchemaRegistryClient registry =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(REGISTRY.url()).build())) {
      PaymentsFixture fixture = new PaymentsFixture(KAFKA.bootstrapServers(), registry);
      List<PaymentProcessed> payments = PaymentsFixture.payments("crash", EVENTS);
      for (PaymentProcessed p : payments) {
        fixture.send(topic, 0, p.getPaymentId(), fixture.encode(topic, p));
      }

      Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
      Files.createDirectories(tmp);
      Path signal = tmp.resolve(group + ".committed");
      child = startChild(topic, group, signal, tmp.resolve(group + ".log"));
      await().atMost(TIMEOUT).until(() -> Files.exists(signal) || !child.isAlive());
      assertThat(child.isAlive()).as("child consumer running, see its log in %s", tmp).isTrue();
      // Committed in the database, not in Kafka.
      assertThat(PaymentsFixture.count(db, "charges")).isEqualTo(KILLED_AFTER);
      assertThat(PaymentsFixture.count(db, "processed_events")).isEqualTo(KILLED_AFTER);
      assertThat(committedOffsets(group)).isEmpty();

      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

      RecordingListener listener = new RecordingListener();
      IdempotentConsumerConfig config = fixture.config(group, topic).build();
      IdempotentConsumer<PaymentProcessed> restarted =
          IdempotentConsumer.builder(config, db, registry, PaymentProcessed.class)
              .handler(fixture::charge)
              .listener(listener)
              .build();
      Thread thread = new Thread(restarted, "restarted-consumer");
      thread.start();
      try {
        await().atMost(TIMEOUT).until(() -> listener.finished() == EVENTS);
      } finally {
        restarted.close();
        thread.join(TIMEOUT.toMillis());
      }

      assertThat(listener.duplicates).hasSize(KILLED_AFTER);
      assertThat(listener.processed).hasSize(EVENTS - KILLED_AFTER);
      Set<String> ids =
          payments.stream()
              .map(p -> p.getMetadata().getEventId().toString())
              .collect(Collectors.toSet());
      Map<String, Long> once = ids.stream().collect(Collectors.toMap(id -> id, id -> 1L));
      assertThat(PaymentsFixture.chargesPerEvent(db)).isEqualTo(once);
      assertThat(PaymentsFixture.outboxRowsPerEvent(db)).isEqualTo(once);
      assertThat(eventIds(db)).isEqualTo(ids);
    } finally {
      PaymentsFixture.stopRecordingOutbox(db);
    }
  }

  private Process startChild(Topic<?, ?> topic, String group, Path signal, Path log)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
            "-cp",
            System.getProperty("java.class.path"),
            CrashingConsumerMain.class.getName(),
            KAFKA.bootstrapServers(),
            REGISTRY.url(),
            PG.jdbcUrl(),
            PG.server().user(),
            PG.server().password(),
            topic.name(),
            group,
            signal.toString(),
            Integer.toString(KILLED_AFTER));
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    return builder.start();
  }

  private static Set<String> committedOffsets(String group) throws Exception {
    try (Admin admin = KAFKA.admin()) {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get()
          .entrySet()
          .stream()
          .filter(e -> e.getValue() != null)
          .map(e -> e.getKey().toString())
          .collect(Collectors.toSet());
    }
  }

  private static Set<String> eventIds(DataSource db) throws SQLException {
    Set<String> ids = new HashSet<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT event_id FROM processed_events")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }
}
