package org.edapipeline.localstack;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop database the services write to and the CDC source streams, as given by {@link
 * DatabaseOptions}. The password is never shown: {@link #toString()} and {@link #mask} hide it.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/database}
 * @param user the role the services connect as
 * @param password its password; null for none
 */
public record DatabaseConnection(String jdbcUrl, String user, String password) {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseConnection.class);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
  private static final String MASK = "******";
  private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

  public DatabaseConnection {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
  }

  /**
   * {@code text} with the password, and any {@code password=} parameter of a JDBC URL, masked: for
   * log lines and error messages that may quote the URL or a driver's message.
   */
  public String mask(String text) {
    if (text == null) {
      return null;
    }
    String masked = URL_PASSWORD.matcher(text).replaceAll("$1" + MASK);
    if (password != null && !password.isEmpty()) {
      masked = masked.replace(password, MASK);
    }
    return masked;
  }

  /** A data source that opens a new connection per call (each service keeps its own). */
  PGSimpleDataSource dataSource() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    try {
      dataSource.setURL(jdbcUrl);
    } catch (RuntimeException e) {
      throw new StartupCheckException(
          "Invalid --jdbc-url " + mask(jdbcUrl) + ": " + mask(e.getMessage()));
    }
    dataSource.setUser(user);
    if (password != null) {
      dataSource.setPassword(password);
    }
    dataSource.setApplicationName("edapipeline-simulators");
    return dataSource;
  }

  /**
   * Waits until the database accepts a connection: a server still starting (connection refused,
   * SQLSTATE class 08, or 57P03) is waited for, anything else (a wrong database, user or password)
   * fails at once.
   *
   * @throws StartupCheckException naming {@code --jdbc-url} if it does not within {@code timeout}
   *     or cannot be used at all
   */
  void awaitReachable(PGSimpleDataSource dataSource, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean logged = false;
    while (true) {
      try (Connection connection = dataSource.getConnection()) {
        return;
      } catch (SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        boolean starting = state.startsWith("08") || state.equals("57P03");
        if (!starting || System.nanoTime() > deadline) {
          throw new StartupCheckException(
              "Cannot connect to the database at --jdbc-url "
                  + mask(jdbcUrl)
                  + " as --jdbc-user "
                  + user
                  + (starting ? " within " + timeout + " (--startup-timeout)" : "")
                  + ": "
                  + mask(e.getMessage()));
        }
        if (!logged) {
          LOG.info("Waiting for the database at {}: {}", mask(jdbcUrl), mask(e.getMessage()));
          logged = true;
        }
        TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE.toMillis());
      }
    }
  }

  /**
   * Applies the migrations of {@link Simulators#migrate} (idempotent).
   *
   * @throws StartupCheckException naming {@code --jdbc-url} and {@code --jdbc-user} if the database
   *     cannot be reached or migrated
   */
  void migrate(PGSimpleDataSource dataSource) {
    try {
      Simulators.migrate(dataSource);
    } catch (RuntimeException e) {
      throw new StartupCheckException(
          "Cannot migrate the database at --jdbc-url "
              + mask(jdbcUrl)
              + " as --jdbc-user "
              + user
              + ": "
              + mask(Messages.withRootCause(e)));
    }
  }

  @Override
  public String toString() {
    return "jdbc "
        + mask(jdbcUrl)
        + " as "
        + user
        + (password == null ? " (no password)" : " (password " + MASK + ")");
  }
}
