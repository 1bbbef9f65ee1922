package org.edapipeline.embedded.junit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.edapipeline.embedded.postgres.EmbeddedPostgresServer;

/**
 * Runs one {@link EmbeddedPostgresServer} per test class.
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
 *
 * @Test
 * void shouldStoreOrder() throws SQLException {
 *   try (Connection connection = PG.connect()) { ... }
 * }
 * }</pre>
 */
public class PostgresExtension extends EmbeddedServiceExtension<EmbeddedPostgresServer> {
  private final EmbeddedPostgresServer.Builder builder;

  /** A server with the defaults of {@link EmbeddedPostgresServer#builder()}. */
  public PostgresExtension() {
    this(EmbeddedPostgresServer.builder());
  }

  /** A server started from this builder, for example with a database or server configs. */
  public PostgresExtension(EmbeddedPostgresServer.Builder builder) {
    this.builder = Objects.requireNonNull(builder, "builder");
  }

  @Override
  protected EmbeddedPostgresServer startService() {
    return builder.start();
  }

  /** The running server, for {@code stop()}, {@code restart()} and its other methods. */
  public EmbeddedPostgresServer server() {
    return service();
  }

  /** See {@link EmbeddedPostgresServer#jdbcUrl()}. */
  public String jdbcUrl() {
    return server().jdbcUrl();
  }

  /** See {@link EmbeddedPostgresServer#dataSource()}. */
  public DataSource dataSource() {
    return server().dataSource();
  }

  /** See {@link EmbeddedPostgresServer#connect()}; the caller closes the connection. */
  public Connection connect() throws SQLException {
    return server().connect();
  }
}
