package org.edapipeline.bench.harness.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.bench.harness.PacedOutboxWriter;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.service.outbox.OutboxWriter;

/**
 * Writes outbox rows as a service does, through {@link OutboxWriter} (insert and delete in the
 * caller's transaction), either as fast as it can in multi-row transactions (the pre-load) or paced
 * at a fixed rate, one row per transaction on several connections ({@link PacedOutboxWriter}),
 * recording each row's commit time (the latency phase).
 */
final class OutboxLoader implements AutoCloseable {

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
   * Open loop ({@link PacedOutboxWriter}): row {@code i} is due at {@code start + i / rate}, is
   * committed alone, and its commit time (epoch ms, when {@code commit()} returned) is put into
   * {@code commits} by event id. Row {@code i} is written by writer {@code i % WRITERS}, so an
   * aggregate's rows stay on one connection, in order.
   *
   * @return the largest delay of a commit behind its intended time, in ms (the loader's own lag)
   */
  long paced(OutboxDataSet data, long rows, int ratePerSecond, Map<UUID, Long> commits)
      throws Exception {
    return new PacedOutboxWriter(jdbcUrl, user, password, registry)
        .write(
            ratePerSecond,
            writer -> {
              List<PacedOutboxWriter.Row> own = new ArrayList<>();
              for (long i = writer; i < rows; i += PacedOutboxWriter.WRITERS) {
                UUID eventId = data.eventId(i);
                own.add(
                    new PacedOutboxWriter.Row(
                        i,
                        data.event(i),
                        due -> {},
                        () -> commits.put(eventId, System.currentTimeMillis())));
              }
              return own;
            });
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
