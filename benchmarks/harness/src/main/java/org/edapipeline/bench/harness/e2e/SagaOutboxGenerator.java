package org.edapipeline.bench.harness.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.bench.harness.saga.SagaDataSet;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.service.outbox.OutboxWriter;

/**
 * Writes whole sagas' events as outbox rows, as the services would, in saga order: saga 0's events,
 * then saga 1's, … .
 *
 * <p>Paced ({@link #paced}): open loop, one row per transaction, row {@code k} due at {@code start
 * + k / rate} whatever happened before (a late loader does not slow the schedule down, so no
 * coordinated omission: latencies count from the due time). Saturating ({@link #flood}): rows in
 * transactions of {@link #FLOOD_ROWS_PER_TRANSACTION}, as fast as PostgreSQL takes them.
 */
final class SagaOutboxGenerator implements AutoCloseable {

  static final int FLOOD_ROWS_PER_TRANSACTION = 50;

  private final OutboxWriter writer;
  private final Connection connection;

  SagaOutboxGenerator(String jdbcUrl, String user, String password, SchemaRegistryClient registry)
      throws SQLException {
    this.writer = OutboxWriter.builder(registry).build();
    this.connection = DriverManager.getConnection(jdbcUrl, user, password);
    connection.setAutoCommit(false);
  }

  /**
   * Writes sagas {@code 0..sagas-1} at {@code eventsPerSecond}; puts each saga's due time of its
   * last row ({@link System#nanoTime()}) into {@code intendedEnd} before writing that row.
   *
   * @return the largest delay of a commit behind its due time, in ms (the generator's own lag)
   */
  long paced(SagaDataSet data, int sagas, double eventsPerSecond, Map<String, Long> intendedEnd)
      throws SQLException {
    long start = System.nanoTime();
    double intervalNanos = TimeUnit.SECONDS.toNanos(1) / eventsPerSecond;
    long k = 0;
    long maxLag = 0;
    for (int i = 0; i < sagas; i++) {
      List<SagaDataSet.Event> events = data.saga(i);
      for (int e = 0; e < events.size(); e++, k++) {
        long due = start + (long) (k * intervalNanos);
        if (e == events.size() - 1) {
          intendedEnd.put(SagaDataSet.orderId(i), due);
        }
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        writer.write(connection, events.get(e).value());
        connection.commit();
        maxLag = Math.max(maxLag, System.nanoTime() - due);
      }
    }
    return TimeUnit.NANOSECONDS.toMillis(maxLag);
  }

  /** Writes sagas {@code 0..sagas-1} as fast as possible; each saga's end is its last commit. */
  void flood(SagaDataSet data, int sagas, Map<String, Long> intendedEnd) throws SQLException {
    List<SpecificRecord> batch = new ArrayList<>();
    List<String> ending = new ArrayList<>();
    for (int i = 0; i < sagas; i++) {
      data.saga(i).forEach(event -> batch.add(event.value()));
      ending.add(SagaDataSet.orderId(i));
      if (batch.size() >= FLOOD_ROWS_PER_TRANSACTION || i == sagas - 1) {
        long now = System.nanoTime();
        ending.forEach(order -> intendedEnd.put(order, now));
        writer.writeAll(connection, batch);
        connection.commit();
        batch.clear();
        ending.clear();
      }
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
