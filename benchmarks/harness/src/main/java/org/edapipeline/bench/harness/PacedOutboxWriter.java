package org.edapipeline.bench.harness;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.service.outbox.OutboxWriter;

/**
 * An open-loop load generator for the outbox: row {@code slot} is due at {@code start + slot /
 * rate} whatever happened before, so a writer that falls behind does not slow the schedule down (no
 * coordinated omission: latencies count from the due time). Each row is written through {@link
 * OutboxWriter} and committed alone, as a service would; {@link #WRITERS} connections write in
 * parallel so that one commit's round trip does not bound the rate. Which rows a connection writes,
 * in order, is the caller's choice: keep an aggregate's rows on one connection to keep them in
 * order.
 */
public final class PacedOutboxWriter {

  /** Connections writing in parallel. */
  public static final int WRITERS = 4;

  /**
   * One row of the schedule.
   *
   * @param slot its place in the schedule: due at {@code start + slot / rate}
   * @param value the event written as the outbox row
   * @param onDue called with its due time ({@link System#nanoTime()}) before it is written
   * @param onCommit called once its transaction has committed
   */
  public record Row(long slot, SpecificRecord value, LongConsumer onDue, Runnable onCommit) {

    /** A row nobody waits for. */
    public static Row of(long slot, SpecificRecord value) {
      return new Row(slot, value, due -> {}, () -> {});
    }
  }

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final SchemaRegistryClient registry;

  public PacedOutboxWriter(
      String jdbcUrl, String user, String password, SchemaRegistryClient registry) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.registry = registry;
  }

  /**
   * Writes the schedule at {@code rowsPerSecond} and returns when every row has committed.
   *
   * @param rowsOfWriter the rows writer {@code w} (0 ≤ w < {@link #WRITERS}) writes, in order
   * @return the largest delay of a commit behind its due time, in ms (the generator's own lag)
   */
  public long write(double rowsPerSecond, IntFunction<Iterable<Row>> rowsOfWriter)
      throws Exception {
    long start = System.nanoTime();
    double intervalNanos = TimeUnit.SECONDS.toNanos(1) / rowsPerSecond;
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<Long>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        Iterable<Row> rows = rowsOfWriter.apply(w);
        writers.add(pool.submit(() -> writeAll(rows, start, intervalNanos)));
      }
      long maxLagNanos = 0;
      for (Future<Long> writer : writers) {
        maxLagNanos = Math.max(maxLagNanos, writer.get());
      }
      return TimeUnit.NANOSECONDS.toMillis(maxLagNanos);
    } finally {
      pool.shutdownNow();
    }
  }

  private long writeAll(Iterable<Row> rows, long start, double intervalNanos) throws Exception {
    long maxLagNanos = 0;
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
      connection.setAutoCommit(false);
      OutboxWriter outbox = OutboxWriter.builder(registry).build();
      for (Row row : rows) {
        long due = start + (long) (row.slot() * intervalNanos);
        row.onDue().accept(due);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        outbox.write(connection, row.value());
        connection.commit();
        row.onCommit().run();
        maxLagNanos = Math.max(maxLagNanos, System.nanoTime() - due);
      }
    }
    return maxLagNanos;
  }
}
