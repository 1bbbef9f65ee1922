package org.edapipeline.cdc.metrics;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import org.edapipeline.cdc.config.SecretMasker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads how much WAL the replication slot holds back ({@code pg_current_wal_lsn() -
 * confirmed_flush_lsn}) over a plain JDBC connection of its own, opened on first use and again
 * after a failure. A probe that cannot answer gives -1; it never throws.
 */
public final class SlotLagProbe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SlotLagProbe.class);

  private static final String QUERY =
      "SELECT pg_current_wal_lsn() - confirmed_flush_lsn, confirmed_flush_lsn::text"
          + " FROM pg_replication_slots WHERE slot_name = ?";

  private final String url;
  private final Properties properties = new Properties();
  private final String slotName;
  private final SecretMasker masker;
  private Connection connection;

  /**
   * @param source the connector properties ({@code database.*}, {@code slot.name})
   */
  public SlotLagProbe(Map<String, String> source, SecretMasker masker) {
    this.url =
        "jdbc:postgresql://"
            + source.get("database.hostname")
            + ":"
            + source.get("database.port")
            + "/"
            + source.get("database.dbname");
    properties.setProperty("user", source.get("database.user"));
    if (source.containsKey("database.password")) {
      properties.setProperty("password", source.get("database.password"));
    }
    if (source.containsKey("database.sslmode")) {
      properties.setProperty("sslmode", source.get("database.sslmode"));
    }
    properties.setProperty("connectTimeout", "2");
    properties.setProperty("socketTimeout", "5");
    properties.setProperty("ApplicationName", "edapipeline-cdc-slot-probe");
    this.slotName = source.get("slot.name");
    this.masker = masker;
  }

  /** Bytes of WAL the slot holds back, or -1 if the slot or the database cannot be read. */
  public synchronized long lagBytes() {
    try {
      if (connection == null || connection.isClosed()) {
        connection = DriverManager.getConnection(url, properties);
      }
      try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
        statement.setString(1, slotName);
        try (ResultSet result = statement.executeQuery()) {
          if (!result.next()) {
            return -1;
          }
          long lag = result.getLong(1);
          return result.wasNull() ? -1 : lag;
        }
      }
    } catch (SQLException e) {
      LOG.debug("Slot lag unavailable: {}", masker.describe(e));
      close();
      return -1;
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("Closing the probe connection failed: {}", masker.describe(e));
      }
      connection = null;
    }
  }
}
