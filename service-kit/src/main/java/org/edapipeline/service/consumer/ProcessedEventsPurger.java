package org.edapipeline.service.consumer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes {@code processed_events} rows older than a retention, in bounded batches of their own
 * transactions, so the ledger does not grow forever and no single delete holds long locks or
 * produces one huge WAL burst.
 *
 * <p><b>The retention rule.</b> A row may only go once its event can no longer be delivered again:
 * the retention must exceed the longest redelivery window of every topic the consumer reads, that
 * is the topic's Kafka retention ({@code retention.ms}, 7 days by default) plus how far back anyone
 * may rewind the group's offsets or replay a dead-letter queue (14 days in the catalogue). An event
 * redelivered after its row was purged is handled a second time. Hence no default: the service
 * states its retention, e.g. 30 days for topics kept 7 days.
 *
 * <p>Run {@link #purge()} from a scheduler of the service (once an hour is plenty); it is safe to
 * run while consumers write, and from several instances at once.
 */
public final class ProcessedEventsPurger {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessedEventsPurger.class);

  /** Default rows per delete: small enough for short locks, large enough to keep up. */
  public static final int DEFAULT_BATCH_SIZE = 5_000;

  /**
   * One bounded batch, oldest first, through the {@code processed_at} index. {@code SKIP LOCKED}
   * lets purgers on several instances share the work instead of waiting on each other.
   */
  private static final String DELETE_BATCH =
      "DELETE FROM processed_events WHERE ctid = ANY (ARRAY("
          + "SELECT ctid FROM processed_events WHERE processed_at < ?"
          + " ORDER BY processed_at LIMIT ? FOR UPDATE SKIP LOCKED))";

  private final DataSource dataSource;
  private final Duration retention;
  private final int batchSize;
  private final Clock clock;

  /**
   * @param retention how long a row is kept; see the class documentation for the rule
   * @param batchSize rows deleted per transaction
   * @throws IllegalArgumentException if {@code retention} or {@code batchSize} is not positive
   */
  public ProcessedEventsPurger(
      DataSource dataSource, Duration retention, int batchSize, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive: " + retention);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
    }
    this.batchSize = batchSize;
  }

  /** With {@link #DEFAULT_BATCH_SIZE} and the UTC system clock. */
  public ProcessedEventsPurger(DataSource dataSource, Duration retention) {
    this(dataSource, retention, DEFAULT_BATCH_SIZE, Clock.systemUTC());
  }

  public Duration retention() {
    return retention;
  }

  /**
   * Deletes every row processed before now minus the retention, batch after batch.
   *
   * @return rows deleted
   */
  public long purge() throws SQLException {
    Instant cutoff = clock.instant().minus(retention);
    long total = 0;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true); // each batch its own transaction
      try (PreparedStatement delete = connection.prepareStatement(DELETE_BATCH)) {
        delete.setTimestamp(1, Timestamp.from(cutoff));
        delete.setInt(2, batchSize);
        int deleted;
        do {
          deleted = delete.executeUpdate();
          total += deleted;
        } while (deleted == batchSize);
      }
    }
    if (total > 0) {
      LOG.info("Purged {} processed_events rows older than {}", total, cutoff);
    }
    return total;
  }
}
