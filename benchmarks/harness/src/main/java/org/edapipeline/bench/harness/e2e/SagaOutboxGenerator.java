package org.edapipeline.bench.harness.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.bench.harness.saga.SagaDataSet;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.service.outbox.OutboxWriter;

/**
 * Writes whole sagas' events as outbox rows, as the services would: each saga's events in order.
 *
 * <p>Paced ({@link #paced}): open loop, one row per transaction, the {@code k}-th event of the
 * whole sequence (saga 0's events, then saga 1's, …) due at {@code start + k / rate} whatever
 * happened before, so a late writer does not slow the schedule down (no coordinated omission:
 * latencies count from the due time). {@link #WRITERS} connections write in parallel, saga {@code
 * i} on writer {@code i % WRITERS}, so one commit's round trip does not bound the rate. Saturating
 * ({@link #flood}): one connection, transactions of {@link #FLOOD_ROWS_PER_TRANSACTION} rows, as
 * fast as PostgreSQL takes them.
 */
final class SagaOutboxGenerator {

  static final int FLOOD_ROWS_PER_TRANSACTION = 50;
  static final int WRITERS = 4;

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
    long start = System.nanoTime();
    double intervalNanos = TimeUnit.SECONDS.toNanos(1) / eventsPerSecond;
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<Long>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(
            pool.submit(
                () -> {
                  long maxLag = 0;
                  try (Connection connection = connect()) {
                    OutboxWriter outbox = OutboxWriter.builder(registry).build();
                    for (int i = writer; i < sagas; i += WRITERS) {
                      List<SagaDataSet.Event> events = data.saga(i);
                      for (int e = 0; e < events.size(); e++) {
                        long due = start + (long) ((firstEvent[i] + e) * intervalNanos);
                        if (e == events.size() - 1) {
                          intendedEnd.put(SagaDataSet.orderId(i), due);
                        }
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                          LockSupport.parkNanos(wait);
                        }
                        outbox.write(connection, events.get(e).value());
                        connection.commit();
                        maxLag = Math.max(maxLag, System.nanoTime() - due);
                      }
                    }
                  }
                  return maxLag;
                }));
      }
      long maxLag = 0;
      for (Future<Long> writer : writers) {
        maxLag = Math.max(maxLag, writer.get());
      }
      return TimeUnit.NANOSECONDS.toMillis(maxLag);
    } finally {
      pool.shutdownNow();
    }
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
