package org.edapipeline.bench.harness.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.service.ServiceSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CDC suite's paced phase ({@link OutboxLoader#paced}, i.e. {@code PacedOutboxWriter}) against
 * a real PostgreSQL: every row is committed once, alone, each aggregate's rows in order, and the
 * schedule is open loop (the last row cannot commit before it is due).
 */
class OutboxLoaderITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final PostgresExtension PG = new PostgresExtension();

  @RegisterExtension
  @Order(3)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  private static final String SLOT = "outbox_loader_test";
  private static final int ROWS = 120;
  private static final int RATE = 400;
  private static final int AGGREGATES = 8;

  @BeforeAll
  static void schemaAndSlot() throws Exception {
    ServiceSchema.migrate(PG.dataSource());
    try (Connection connection = PG.connect();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "SELECT pg_create_logical_replication_slot('" + SLOT + "', 'test_decoding')");
    }
  }

  @Test
  void writesEveryRowOnceInAggregateOrderOnTheSchedule() throws Exception {
    OutboxDataSet data = new OutboxDataSet(7, AGGREGATES, Instant.parse("2026-01-01T00:00:00Z"));
    Map<UUID, Long> commits = new ConcurrentHashMap<>();
    long started = System.nanoTime();
    try (OutboxLoader loader =
        new OutboxLoader(
            PG.jdbcUrl(), PG.server().user(), PG.server().password(), REGISTRY.url())) {
      long lagMillis = loader.paced(data, ROWS, RATE, commits);
      assertThat(lagMillis).isNotNegative();
    }
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(commits).hasSize(ROWS);
    for (long i = 0; i < ROWS; i++) {
      assertThat(commits).containsKey(data.eventId(i));
    }
    // Row ROWS-1 is due (ROWS-1)/RATE s after the start: an open loop cannot finish earlier.
    assertThat(elapsedMillis).isGreaterThanOrEqualTo((ROWS - 1) * 1000L / RATE);

    // The WAL has each row once, one transaction per row, each aggregate's rows in order.
    List<String> inserts = new ArrayList<>();
    int transactions = 0;
    try (Connection connection = PG.connect();
        Statement statement = connection.createStatement();
        ResultSet changes =
            statement.executeQuery(
                "SELECT data FROM pg_logical_slot_get_changes('" + SLOT + "', NULL, NULL)")) {
      while (changes.next()) {
        String change = changes.getString(1);
        if (change.startsWith("COMMIT")) {
          transactions++;
        } else if (change.startsWith("table public.outbox: INSERT:")) {
          inserts.add(change);
        }
      }
    }
    assertThat(inserts).hasSize(ROWS);
    assertThat(transactions).isEqualTo(ROWS);
    Map<String, List<Long>> rowsByAggregate = new HashMap<>();
    for (String insert : inserts) {
      long row = rowOf(data, insert);
      rowsByAggregate.computeIfAbsent("agg-" + (row % AGGREGATES), a -> new ArrayList<>()).add(row);
    }
    assertThat(rowsByAggregate).hasSize(AGGREGATES);
    rowsByAggregate.values().forEach(rows -> assertThat(rows).isSorted());
  }

  /** The row number whose event id the decoded insert carries. */
  private static long rowOf(OutboxDataSet data, String insert) {
    for (long i = 0; i < ROWS; i++) {
      if (insert.contains(data.eventId(i).toString())) {
        return i;
      }
    }
    throw new AssertionError("no known event id in " + insert);
  }
}
