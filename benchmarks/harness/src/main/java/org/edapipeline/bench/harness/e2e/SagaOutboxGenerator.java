package org.edapipeline.bench.harness.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.bench.harness.PacedOutboxWriter;
import org.edapipeline.bench.harness.saga.SagaDataSet;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.service.outbox.OutboxWriter;

/**
 * Writes whole sagas' events as outbox rows, as the services would: each saga's events in order.
 *
 * <p>Paced ({@link #paced}): open loop, one row per transaction, the {@code k}-th event of the
 * whole sequence (saga 0's events, then saga 1's, …) due at {@code start + k / rate} whatever
 * happened before ({@link PacedOutboxWriter}: no coordinated omission, latencies count from the due
 * time); saga {@code i} is written by writer {@code i % WRITERS}, so its events stay in order.
 * Saturating ({@link #flood}): one connection, transactions of {@link #FLOOD_ROWS_PER_TRANSACTION}
 * rows, as fast as PostgreSQL takes them.
 */
final class SagaOutboxGenerator {

  static final int FLOOD_ROWS_PER_TRANSACTION = 50;

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final SchemaRegistryClient registry;

  SagaOutboxGenerator(String jdbcUrl, String user, String password, SchemaRegistryClient registry) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.registry = registry;
  }

  /**
   * Writes sagas {@code 0..sagas-1} at {@code eventsPerSecond}; puts each saga's due time of its
   * last row ({@link System#nanoTime()}) into {@code intendedEnd} before writing that row.
   *
   * @return the largest delay of a commit behind its due time, in ms (the generator's own lag)
   */
  long paced(SagaDataSet data, int sagas, double eventsPerSecond, Map<String, Long> intendedEnd)
      throws Exception {
    long[] firstEvent = new long[sagas];
    for (int i = 1; i < sagas; i++) {
      firstEvent[i] = firstEvent[i - 1] + data.saga(i - 1).size();
    }
    return new PacedOutboxWriter(jdbcUrl, user, password, registry)
        .write(
            eventsPerSecond,
            writer -> {
              List<PacedOutboxWriter.Row> own = new ArrayList<>();
              for (int i = writer; i < sagas; i += PacedOutboxWriter.WRITERS) {
                List<SagaDataSet.Event> events = data.saga(i);
                String orderId = SagaDataSet.orderId(i);
                for (int e = 0; e < events.size(); e++) {
                  SpecificRecord value = events.get(e).value();
                  own.add(
                      e == events.size() - 1
                          ? new PacedOutboxWriter.Row(
                              firstEvent[i] + e,
                              value,
                              due -> intendedEnd.put(orderId, due),
                              () -> {})
                          : PacedOutboxWriter.Row.of(firstEvent[i] + e, value));
                }
              }
              return own;
            });
  }

  /** Writes sagas {@code 0..sagas-1} as fast as possible; each saga's end is its last commit. */
  void flood(SagaDataSet data, int sagas, Map<String, Long> intendedEnd) throws SQLException {
    OutboxWriter outbox = OutboxWriter.builder(registry).build();
    try (Connection connection = connect()) {
      List<SpecificRecord> batch = new ArrayList<>();
      List<String> ending = new ArrayList<>();
      for (int i = 0; i < sagas; i++) {
        data.saga(i).forEach(event -> batch.add(event.value()));
        ending.add(SagaDataSet.orderId(i));
        if (batch.size() >= FLOOD_ROWS_PER_TRANSACTION || i == sagas - 1) {
          long now = System.nanoTime();
          ending.forEach(order -> intendedEnd.put(order, now));
          outbox.writeAll(connection, batch);
          connection.commit();
          batch.clear();
          ending.clear();
        }
      }
    }
  }

  private Connection connect() throws SQLException {
    Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
    connection.setAutoCommit(false);
    return connection;
  }
}
