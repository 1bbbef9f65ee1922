package org.edapipeline.service.consumer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The {@code processed_events} table: one row per (consumer, event) handled. Inserting the marker
 * in the handler's transaction is what makes a redelivery a no-op.
 */
final class ProcessedEventsLedger {

  /**
   * {@code ON CONFLICT DO NOTHING}: a concurrent insert of the same key waits for the other
   * transaction; if that one commits, this insert reports 0 rows instead of failing, so two racing
   * consumers never both run the handler and neither sees an error.
   */
  private static final String MARK =
      "INSERT INTO processed_events (consumer, event_id, topic, kafka_partition, kafka_offset)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (consumer, event_id) DO NOTHING";

  private final String consumerName;

  ProcessedEventsLedger(String consumerName) {
    this.consumerName = consumerName;
  }

  /**
   * Records {@code record}'s event as processed, in the caller's transaction.
   *
   * @return false if it already was: skip the handler
   */
  boolean markProcessed(Connection connection, DecodedRecord<?> record) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(MARK)) {
      insert.setString(1, consumerName);
      insert.setString(2, record.eventId().toString());
      insert.setString(3, record.topic());
      insert.setInt(4, record.partition());
      insert.setLong(5, record.offset());
      return insert.executeUpdate() == 1;
    }
  }
}
