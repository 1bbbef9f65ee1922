package org.edapipeline.bench.harness.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.service.outbox.OutboxWriter;

/**
 * Writes outbox rows as a service does, through {@link OutboxWriter} (insert and delete in the
 * caller's transaction), either as fast as it can in multi-row transactions (the pre-load) or paced
 * at a fixed rate, one row per transaction on several connections, recording each row's commit time
 * (the latency phase).
 */
final class OutboxLoader implements AutoCloseable {

  /** Connections of the paced phase. */
  static final int WRITERS = 4;

  private final SchemaRegistryClient registry;
  private final OutboxWriter writer;
  private final Connection connection;
  private final String jdbcUrl;
  private final String user;
  private final String password;

  OutboxLoader(String jdbcUrl, String user, String password, String registryUrl)
      throws SQLException {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.registry =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(registryUrl).build());
    this.writer = OutboxWriter.builder(registry).build();
    this.connection = DriverManager.getConnection(jdbcUrl, user, password);
    connection.setAutoCommit(false);
  }

  /** Writes rows {@code 0..rows-1} of {@code data}, {@code perTransaction} rows a transaction. */
  void load(OutboxDataSet data, long rows, int perTransaction) throws SQLException {
    List<SpecificRecord> batch = new ArrayList<>(perTransaction);
    for (long i = 0; i < rows; i++) {
      batch.add(data.event(i));
      if (batch.size() == perTransaction || i == rows - 1) {
        writer.writeAll(connection, batch);
        connection.commit();
        batch.clear();
      }
    }
  }

  /**
   * Open loop: row {@code i} is due at {@code start + i / rate}, whatever happened before; each is
   * committed alone and its commit time (epoch ms, when {@code commit()} returned) put into {@code
   * commits} by event id. {@link #WRITERS} connections write in parallel (row {@code i} on writer
   * {@code i % WRITERS}, so an aggregate's rows stay on one connection, in order), so one commit's
   * round trip does not bound the rate.
   *
   * @return the largest delay of a commit behind its intended time, in ms (the loader's own lag)
   */
  long paced(OutboxDataSet data, long rows, int ratePerSecond, Map<UUID, Long> commits)
      throws Exception {
    long start = System.nanoTime();
    long intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<Long>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(
            pool.submit(
                () -> {
                  long maxLagNanos = 0;
                  try (Connection own = DriverManager.getConnection(jdbcUrl, user, password)) {
                    own.setAutoCommit(false);
                    OutboxWriter outbox = OutboxWriter.builder(registry).build();
                    for (long i = writer; i < rows; i += WRITERS) {
                      long due = start + i * intervalNanos;
                      long wait = due - System.nanoTime();
                      if (wait > 0) {
                        LockSupport.parkNanos(wait);
                      }
                      outbox.write(own, data.event(i));
                      own.commit();
                      commits.put(data.eventId(i), System.currentTimeMillis());
                      maxLagNanos = Math.max(maxLagNanos, System.nanoTime() - due);
                    }
                  }
                  return maxLagNanos;
                }));
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

  @Override
  public void close() throws Exception {
    try {
      connection.close();
    } finally {
      registry.close();
    }
  }
}
