package org.edapipeline.service.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.edapipeline.service.ServiceSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The purge deletes exactly the rows older than the retention, batch by batch. */
class ProcessedEventsPurgerITCase {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  private static final Instant NOW = Instant.parse("2026-03-31T12:00:00Z");
  private static final Duration RETENTION = Duration.ofDays(30);

  @BeforeAll
  static void migrate() {
    ServiceSchema.migrate(PG.dataSource());
  }

  @Test
  void shouldPurgeOnlyRowsOlderThanTheRetentionInBatches() throws SQLException {
    DataSource db = PG.dataSource();
    Instant cutoff = NOW.minus(RETENTION);
    for (int i = 0; i < 7; i++) {
      insert(db, "old-" + i, cutoff.minusSeconds(1 + i * 3600L));
    }
    insert(db, "at-cutoff", cutoff);
    insert(db, "young", cutoff.plusSeconds(1));
    insert(db, "new", NOW);
    ProcessedEventsPurger purger =
        new ProcessedEventsPurger(db, RETENTION, 3, Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(purger.purge()).isEqualTo(7);

    assertThat(eventIds(db)).containsExactlyInAnyOrder("at-cutoff", "young", "new");
    assertThat(purger.purge()).isZero();
  }

  @Test
  void shouldRefuseANonPositiveRetentionOrBatch() {
    assertThatThrownBy(() -> new ProcessedEventsPurger(PG.dataSource(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retention");
    assertThatThrownBy(
            () -> new ProcessedEventsPurger(PG.dataSource(), RETENTION, 0, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchSize");
  }

  private static void insert(DataSource db, String eventId, Instant processedAt)
      throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO processed_events (consumer, event_id, topic, kafka_partition,"
                    + " kafka_offset, processed_at) VALUES ('purger-test', ?, 't', 0, 0, ?)")) {
      insert.setString(1, eventId);
      insert.setTimestamp(2, Timestamp.from(processedAt));
      insert.executeUpdate();
    }
  }

  private static List<String> eventIds(DataSource db) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT event_id FROM processed_events")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }
}
