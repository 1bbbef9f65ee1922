package org.edapipeline.embedded.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.edapipeline.embedded.postgres.EmbeddedPostgresServerITCase.peekPgoutput;
import static org.edapipeline.embedded.postgres.EmbeddedPostgresServerITCase.show;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.edapipeline.embedded.EmbeddedServiceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stop, restart and close of a server of its own per test, as fault tests use them. */
class EmbeddedPostgresServerRestartITCase {

  @Test
  void shouldKeepCommittedRowsAndReplicationSlotsAcrossRestart() throws SQLException {
    Path dataDirectory;
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start()) {
      dataDirectory = postgres.dataDirectory();
      String jdbcUrl = postgres.jdbcUrl();
      assertThat(postmastersOf(dataDirectory)).isNotEmpty();
      try (Connection connection = postgres.connect();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE outbox (id bigint PRIMARY KEY, payload text NOT NULL)");
        statement.execute("CREATE PUBLICATION outbox_publication FOR TABLE outbox");
        statement.execute("SELECT pg_create_logical_replication_slot('outbox_slot', 'pgoutput')");
        statement.execute("INSERT INTO outbox VALUES (1, 'before-restart')");
      }

      postgres.stop();

      assertThat(postgres.isRunning()).isFalse();
      assertThatThrownBy(postgres::connect).isInstanceOf(SQLException.class);

      postgres.restart();

      assertThat(postgres.isRunning()).isTrue();
      assertThat(postgres.jdbcUrl()).isEqualTo(jdbcUrl);
      try (Connection connection =
              DriverManager.getConnection(jdbcUrl, postgres.user(), postgres.password());
          Statement statement = connection.createStatement()) {
        statement.execute("INSERT INTO outbox VALUES (2, 'after-restart')");

        assertThat(payloads(statement)).containsExactly("before-restart", "after-restart");
        // The slot kept its position: it still holds the insert from before the restart.
        List<byte[]> messages = peekPgoutput(statement, "outbox_slot", "outbox_publication");
        assertThat(messages)
            .filteredOn(m -> m[0] == 'I')
            .extracting(m -> new String(m, StandardCharsets.UTF_8))
            .satisfiesExactly(
                first -> assertThat(first).contains("before-restart"),
                second -> assertThat(second).contains("after-restart"));
        statement.execute("SELECT pg_drop_replication_slot('outbox_slot')");
      }
    }
    assertThat(dataDirectory).doesNotExist();
    assertThat(postmastersOf(dataDirectory)).isEmpty();
  }

  @Test
  void shouldKeepCallerOwnedDataDirectoryForTheNextServer(@TempDir Path directory)
      throws SQLException {
    EmbeddedPostgresServer.Builder builder =
        EmbeddedPostgresServer.builder()
            .dataDirectory(directory)
            .database("orders")
            .serverConfig("max_connections", "50");
    try (EmbeddedPostgresServer postgres = builder.start();
        Connection connection = postgres.connect();
        Statement statement = connection.createStatement()) {
      assertThat(postgres.jdbcUrl()).endsWith("/orders");
      assertThat(show(connection, "max_connections")).isEqualTo("50");
      statement.execute("CREATE TABLE outbox (id bigint PRIMARY KEY, payload text NOT NULL)");
      statement.execute("INSERT INTO outbox VALUES (1, 'kept')");
    }
    assertThat(directory.resolve("PG_VERSION")).exists();

    try (EmbeddedPostgresServer postgres = builder.start();
        Connection connection = postgres.connect();
        Statement statement = connection.createStatement()) {
      assertThat(payloads(statement)).containsExactly("kept");
    }
  }

  @Test
  void shouldFailClearlyWhenTheFixedPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> EmbeddedPostgresServer.builder().port(port).start().close())
          .isInstanceOf(EmbeddedServiceException.class)
          .hasMessageContaining("localhost:" + port)
          .hasMessageContaining("in use");
    }
  }

  private static List<String> payloads(Statement statement) throws SQLException {
    List<String> payloads = new ArrayList<>();
    try (ResultSet result = statement.executeQuery("SELECT payload FROM outbox ORDER BY id")) {
      while (result.next()) {
        payloads.add(result.getString(1));
      }
    }
    return payloads;
  }

  private static List<ProcessHandle> postmastersOf(Path dataDirectory) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(line -> line.contains(dataDirectory.toString()))
                    .orElse(false))
        .toList();
  }
}
