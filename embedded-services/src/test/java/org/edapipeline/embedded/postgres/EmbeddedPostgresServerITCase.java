package org.edapipeline.embedded.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Logical decoding and helpers of one server shared by the class. */
class EmbeddedPostgresServerITCase {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @Test
  void shouldRunWithLogicalDecodingSettings() throws SQLException {
    try (Connection connection = PG.connect()) {
      assertThat(show(connection, "wal_level")).isEqualTo("logical");
      assertThat(show(connection, "synchronous_commit")).isEqualTo("on");
      assertThat(Integer.parseInt(show(connection, "max_replication_slots")))
          .isGreaterThanOrEqualTo(10);
      assertThat(Integer.parseInt(show(connection, "max_wal_senders"))).isGreaterThanOrEqualTo(10);
      assertThat(show(connection, "server_version")).startsWith("18.");
    }
  }

  @Test
  void shouldDecodeCommittedInsertThroughPgoutput() throws SQLException {
    try (Connection connection = PG.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE decoded (id bigint PRIMARY KEY, payload text NOT NULL)");
      statement.execute("CREATE PUBLICATION decoded_publication FOR TABLE decoded");
      statement.execute("SELECT pg_create_logical_replication_slot('decoded_slot', 'pgoutput')");
      try {
        statement.execute("INSERT INTO decoded VALUES (1, 'order-placed-42')");

        List<byte[]> messages = peekPgoutput(statement, "decoded_slot", "decoded_publication");

        // pgoutput: Begin, Relation, Insert, Commit; the insert carries the row as text.
        assertThat(messages).extracting(m -> (char) m[0]).containsExactly('B', 'R', 'I', 'C');
        assertThat(new String(messages.get(2), StandardCharsets.UTF_8)).contains("order-placed-42");
      } finally {
        // A slot retains WAL for as long as it exists.
        statement.execute("SELECT pg_drop_replication_slot('decoded_slot')");
      }
    }
  }

  @Test
  void shouldCreateDatabaseOnceAndConnectToIt() throws SQLException {
    String url = PG.server().createDatabase("inventory");
    assertThat(PG.server().createDatabase("inventory")).isEqualTo(url);

    assertThat(url).isEqualTo(PG.server().jdbcUrl("inventory"));
    try (Connection connection = PG.server().dataSource("inventory").getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT current_database()")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getString(1)).isEqualTo("inventory");
    }
  }

  @Test
  void shouldDescribeConnectionCoordinates() throws SQLException {
    EmbeddedPostgresServer server = PG.server();

    assertThat(server.jdbcUrl())
        .isEqualTo("jdbc:postgresql://localhost:" + server.port() + "/postgres");
    assertThat(server.host()).isEqualTo("localhost");
    assertThat(server.database()).isEqualTo("postgres");
    try (Connection connection =
        java.sql.DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password())) {
      assertThat(connection.isValid(5)).isTrue();
    }
  }

  static String show(Connection connection, String setting) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SHOW " + setting)) {
      assertThat(result.next()).isTrue();
      return result.getString(1);
    }
  }

  static List<byte[]> peekPgoutput(Statement statement, String slot, String publication)
      throws SQLException {
    List<byte[]> messages = new ArrayList<>();
    try (ResultSet result =
        statement.executeQuery(
            "SELECT data FROM pg_logical_slot_peek_binary_changes('"
                + slot
                + "', NULL, NULL, 'proto_version', '1', 'publication_names', '"
                + publication
                + "')")) {
      while (result.next()) {
        messages.add(result.getBytes(1));
      }
    }
    return messages;
  }
}
