package org.edapipeline.bench.harness.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Creates a fresh {@code pgoutput} slot per run and drops it afterwards. */
public final class ReplicationSlots {

  private static final Duration DROP_PATIENCE = Duration.ofSeconds(60);

  private final String jdbcUrl;
  private final String user;
  private final String password;

  public ReplicationSlots(String jdbcUrl, String user, String password) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
  }

  /** Creates the slot (dropping a leftover of the same name first); WAL from now on is kept. */
  public void create(String slot) throws Exception {
    drop(slot);
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        PreparedStatement create =
            connection.prepareStatement(
                "SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
      create.setString(1, slot);
      create.execute();
    }
  }

  /** Drops the slot if it exists, waiting for its last reader to let go. */
  public void drop(String slot) throws Exception {
    long deadline = System.nanoTime() + DROP_PATIENCE.toNanos();
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        PreparedStatement drop =
            connection.prepareStatement(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                    + " WHERE slot_name = ?")) {
      drop.setString(1, slot);
      while (true) {
        try {
          drop.execute();
          return;
        } catch (SQLException e) {
          // 55006: the slot is still active (a stopped contender's walsender is ending).
          if (!"55006".equals(e.getSQLState()) || System.nanoTime() > deadline) {
            throw e;
          }
          TimeUnit.MILLISECONDS.sleep(200);
        }
      }
    }
  }
}
