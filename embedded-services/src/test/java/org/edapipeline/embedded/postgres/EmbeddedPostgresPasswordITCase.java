package org.edapipeline.embedded.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code passwordAuthentication()}: roles need their password, the admin stays trusted. */
class EmbeddedPostgresPasswordITCase {

  @RegisterExtension
  static final PostgresExtension PG =
      new PostgresExtension(EmbeddedPostgresServer.builder().passwordAuthentication());

  @Test
  void shouldRequireTheRolesPasswordAndSurviveARestart() throws Exception {
    try (Connection admin = PG.connect();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE ROLE app LOGIN PASSWORD 'right-password'");
    }
    String url = PG.server().jdbcUrl();
    try (Connection app = DriverManager.getConnection(url, "app", "right-password")) {
      assertThat(app.isValid(5)).isTrue();
    }
    assertThatThrownBy(() -> DriverManager.getConnection(url, "app", "wrong-password"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed")
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("28P01");

    PG.server().restart();
    assertThatThrownBy(() -> DriverManager.getConnection(url, "app", "wrong-password"))
        .isInstanceOf(SQLException.class);
    try (Connection app = DriverManager.getConnection(url, "app", "right-password")) {
      assertThat(app.isValid(5)).isTrue();
    }
  }
}
