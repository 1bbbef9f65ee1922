package org.edapipeline.embedded.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.edapipeline.embedded.EmbeddedServiceException;
import org.edapipeline.embedded.support.Directories;
import org.edapipeline.embedded.support.FreePorts;
import org.edapipeline.embedded.support.ShutdownHooks;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky's embedded binaries, PostgreSQL 18) running as a child process,
 * configured for logical decoding: {@code wal_level=logical}, ten replication slots and WAL
 * senders, and {@code synchronous_commit=on}.
 *
 * <p>The port and the data directory are fixed at the first start: {@link #stop()} shuts the server
 * down cleanly and {@link #restart()} brings it back on the same {@link #jdbcUrl()} with its
 * tables, publications and replication slots. {@link #close()} stops it and deletes the data
 * directory if this class created it.
 *
 * <pre>{@code
 * try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
 *     Connection connection = postgres.connect()) {
 *   connection.createStatement().execute("CREATE TABLE outbox (...)");
 * }
 * }</pre>
 *
 * <p>Authentication is {@code trust}: the server accepts any password for {@link #user()}. It runs
 * as root too, as on CI. Instances are thread-safe.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private static final String HOST = "localhost";
  private static final String SUPERUSER = "postgres";
  private static final String PASSWORD = "postgres";
  private static final String MAINTENANCE_DATABASE = "postgres";
  private static final int MAX_START_ATTEMPTS = 3;

  private final Map<String, String> serverConfig;
  private final Path dataDirectory;
  private final boolean deleteDataDirectoryOnClose;
  private final int port;
  private final String database;
  private final Duration startupTimeout;
  private final Thread shutdownHook;

  private EmbeddedPostgres postgres; // guarded by this
  private boolean closed; // guarded by this

  private EmbeddedPostgresServer(
      Builder builder, int port, Path dataDirectory, boolean deleteDataDirectoryOnClose) {
    this.serverConfig = Map.copyOf(builder.effectiveServerConfig());
    this.database = builder.database;
    this.startupTimeout = builder.startupTimeout;
    this.port = port;
    this.dataDirectory = dataDirectory;
    this.deleteDataDirectoryOnClose = deleteDataDirectoryOnClose;
    this.shutdownHook =
        ShutdownHooks.register("embedded-postgres-" + port + "-shutdown", this::close);
  }

  /** Starts a server with the defaults: free port, temporary data directory. */
  public static EmbeddedPostgresServer start() {
    return builder().start();
  }

  /** Returns a builder to choose the port, the data directory, the database or server configs. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the server again on the same port and data directory, after {@link #stop()} or, while it
   * runs, after stopping it first. Blocks until it accepts connections.
   *
   * @throws EmbeddedServiceException if PostgreSQL fails to start, for example because another
   *     process took the port while the server was stopped
   * @throws IllegalStateException after {@link #close()}
   */
  public synchronized void restart() {
    stop();
    startServer();
  }

  /**
   * Shuts the server down ({@code pg_ctl stop -m fast}: open transactions roll back, committed ones
   * are kept) and keeps its data. Connections fail until {@link #restart()}. A no-op while it is
   * stopped.
   *
   * @throws EmbeddedServiceException if the server is still running afterwards
   */
  public synchronized void stop() {
    if (postgres == null) {
      return;
    }
    long startNanos = System.nanoTime();
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("PostgreSQL on port {} did not release its lock file cleanly", port, e);
    } finally {
      postgres = null;
    }
    // zonky logs a failed pg_ctl stop instead of throwing it.
    if (Files.exists(dataDirectory.resolve("postmaster.pid"))) {
      throw new EmbeddedServiceException(
          "PostgreSQL on port " + port + " did not stop: " + dataDirectory + " has postmaster.pid");
    }
    LOG.info(
        "PostgreSQL on port {} stopped in {} ms",
        port,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  /** Whether the server is running (started and not stopped). */
  public synchronized boolean isRunning() {
    return postgres != null;
  }

  /**
   * Stops the server and deletes the data directory if this class created it. Idempotent; the
   * server cannot be started again.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        stop();
      } finally {
        if (deleteDataDirectoryOnClose) {
          Directories.deleteRecursively(dataDirectory);
        }
      }
    }
    ShutdownHooks.remove(shutdownHook);
  }

  /** The host clients connect to, {@code localhost}. */
  public String host() {
    return HOST;
  }

  /** The port; the same across {@link #stop()} and {@link #restart()}. */
  public int port() {
    return port;
  }

  /** The superuser, {@code postgres}; it may also open replication connections. */
  public String user() {
    return SUPERUSER;
  }

  /** A password for {@link #user()}; the server trusts local connections and does not check it. */
  public String password() {
    return PASSWORD;
  }

  /** The database that {@link #jdbcUrl()}, {@link #dataSource()} and {@link #connect()} use. */
  public String database() {
    return database;
  }

  /** The data directory ({@code PGDATA}). */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /**
   * The JDBC URL of {@link #database()}, without credentials: pass {@link #user()} and {@link
   * #password()} separately.
   */
  public String jdbcUrl() {
    return jdbcUrl(database);
  }

  /** The JDBC URL of another database on this server, without credentials. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
  }

  /** A data source for {@link #database()} that logs in as {@link #user()}. */
  public DataSource dataSource() {
    return dataSource(database);
  }

  /** A data source for another database on this server that logs in as {@link #user()}. */
  public DataSource dataSource(String database) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {HOST});
    dataSource.setPortNumbers(new int[] {port});
    dataSource.setDatabaseName(database);
    dataSource.setUser(SUPERUSER);
    dataSource.setPassword(PASSWORD);
    return dataSource;
  }

  /** A new connection to {@link #database()}; the caller closes it. */
  public Connection connect() throws SQLException {
    return dataSource().getConnection();
  }

  /**
   * Creates a database unless it exists.
   *
   * @return its JDBC URL
   */
  public String createDatabase(String name) {
    Objects.requireNonNull(name, "name");
    try (Connection connection = dataSource(MAINTENANCE_DATABASE).getConnection()) {
      if (!databaseExists(connection, name)) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("CREATE DATABASE " + quoteIdentifier(name));
        }
        LOG.debug("Created database {}", name);
      }
    } catch (SQLException e) {
      throw new EmbeddedServiceException(
          "Cannot create database " + name + " on PostgreSQL port " + port, e);
    }
    return jdbcUrl(name);
  }

  @Override
  public String toString() {
    return "EmbeddedPostgresServer[" + jdbcUrl() + ", data=" + dataDirectory + "]";
  }

  private synchronized void startServer() {
    if (closed) {
      throw new IllegalStateException("PostgreSQL on port " + port + " is closed");
    }
    if (!FreePorts.isFree(port)) {
      throw new PortInUseException(
          "PostgreSQL cannot start on " + HOST + ":" + port + ": the port is in use");
    }
    long startNanos = System.nanoTime();
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(dataDirectory)
            // Kept across stop() and restart(); close() deletes it if it is ours.
            .setCleanDataDirectory(false)
            // Ours stops the server and deletes the directory, and goes away on close().
            .setRegisterShutdownHook(false)
            .setPGStartupWait(startupTimeout);
    serverConfig.forEach(builder::setServerConfig);
    try {
      postgres = builder.start();
    } catch (IOException | RuntimeException e) {
      throw new EmbeddedServiceException(
          "PostgreSQL did not start on port " + port + " with data in " + dataDirectory, e);
    }
    LOG.info(
        "PostgreSQL started on port {} in {} ms (data in {})",
        port,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
        dataDirectory);
  }

  /** Rewrites {@code pg_hba.conf}: trust for the admin, scram-sha-256 for every other role. */
  private void requirePasswordsFromOtherRoles() {
    String admin = user();
    StringBuilder hba =
        new StringBuilder(
            "# Written by EmbeddedPostgresServer.Builder.passwordAuthentication(): the admin"
                + " role is trusted, every other role must give its password.\n");
    for (String database : List.of("all", "replication")) {
      hba.append("local ").append(database).append(' ').append(admin).append(" trust\n");
      for (String address : List.of("127.0.0.1/32", "::1/128")) {
        hba.append("host ")
            .append(database)
            .append(' ')
            .append(admin)
            .append(' ')
            .append(address)
            .append(" trust\n");
      }
    }
    for (String database : List.of("all", "replication")) {
      hba.append("local ").append(database).append(" all scram-sha-256\n");
      for (String address : List.of("127.0.0.1/32", "::1/128")) {
        hba.append("host ")
            .append(database)
            .append(" all ")
            .append(address)
            .append(" scram-sha-256\n");
      }
    }
    try {
      Files.writeString(dataDirectory.resolve("pg_hba.conf"), hba.toString());
      try (Connection connection = connect();
          Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_reload_conf()");
      }
    } catch (IOException | SQLException e) {
      throw new EmbeddedServiceException(
          "Cannot require passwords on PostgreSQL port " + port + " (" + dataDirectory + ")", e);
    }
  }

  private static boolean databaseExists(Connection connection, String name) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      query.setString(1, name);
      try (ResultSet result = query.executeQuery()) {
        return result.next();
      }
    }
  }

  private static String quoteIdentifier(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static final class PortInUseException extends EmbeddedServiceException {
    private static final long serialVersionUID = 1L;

    PortInUseException(String message) {
      super(message);
    }
  }

  /**
   * Configures an {@link EmbeddedPostgresServer}. A builder can start several servers; each gets
   * its own port and, unless {@link #dataDirectory(Path)} is set, its own temporary directory.
   */
  public static final class Builder {
    /** Set through the builder's methods, so that a restart finds the server where it was. */
    private static final Set<String> MANAGED_CONFIGS =
        Set.of("port", "data_directory", "hba_file", "ident_file");

    private int port;
    private Path dataDirectory;
    private String database = MAINTENANCE_DATABASE;
    private Duration startupTimeout = Duration.ofSeconds(30);
    private final Map<String, String> serverConfig = new LinkedHashMap<>();
    private boolean passwordAuthentication;

    private Builder() {}

    /**
     * Makes every role other than the admin {@link EmbeddedPostgresServer#user()} authenticate with
     * its password ({@code scram-sha-256}, TCP and replication connections included), as a real
     * server would, instead of zonky's {@code trust} for everyone: for tests of roles, passwords
     * and a wrong password. The admin keeps {@code trust}. Written to {@code pg_hba.conf} in the
     * data directory at the first start, so it survives {@link EmbeddedPostgresServer#restart()}.
     */
    public Builder passwordAuthentication() {
      this.passwordAuthentication = true;
      return this;
    }

    /** The port; 0 (the default) picks a free one at start. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Not a TCP port: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Keeps the data in this directory, which {@link EmbeddedPostgresServer#close()} leaves in
     * place; a directory from an earlier run is reused as it is. By default a temporary directory
     * is created and deleted on close.
     */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
      return this;
    }

    /**
     * The database of {@link EmbeddedPostgresServer#jdbcUrl()}, created at start if missing; {@code
     * postgres} by default.
     */
    public Builder database(String database) {
      this.database = Objects.requireNonNull(database, "database");
      return this;
    }

    /** How long to wait for the server to accept connections; 30 s by default. */
    public Builder startupTimeout(Duration startupTimeout) {
      if (startupTimeout.isNegative() || startupTimeout.isZero()) {
        throw new IllegalArgumentException("Not a timeout: " + startupTimeout);
      }
      this.startupTimeout = startupTimeout;
      return this;
    }

    /**
     * Sets a server config ({@code postgresql.conf} key), overriding the defaults listed in the
     * README.
     *
     * @throws IllegalArgumentException for the port and file locations, which the server manages
     */
    public Builder serverConfig(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (MANAGED_CONFIGS.contains(key)) {
        throw new IllegalArgumentException(
            key + " is managed by EmbeddedPostgresServer; use port(..) or dataDirectory(..)");
      }
      serverConfig.put(key, value);
      return this;
    }

    /**
     * Starts a new server, waits until it accepts connections and creates the {@link
     * #database(String)} if missing.
     *
     * @throws EmbeddedServiceException if it does not start
     */
    public EmbeddedPostgresServer start() {
      for (int attempt = 1; ; attempt++) {
        boolean temporary = dataDirectory == null;
        Path directory = temporary ? Directories.createTemp("embedded-postgres-") : dataDirectory;
        int serverPort = port != 0 ? port : FreePorts.pick();
        EmbeddedPostgresServer server =
            new EmbeddedPostgresServer(this, serverPort, directory.toAbsolutePath(), temporary);
        try {
          server.startServer();
          if (!MAINTENANCE_DATABASE.equals(database)) {
            server.createDatabase(database);
          }
          if (passwordAuthentication) {
            server.requirePasswordsFromOtherRoles();
          }
          return server;
        } catch (PortInUseException e) {
          server.close();
          // A port picked free can be taken by another process before PostgreSQL binds it.
          if (attempt == MAX_START_ATTEMPTS || port != 0) {
            throw e;
          }
          LOG.info("{}; starting PostgreSQL on another port", e.getMessage());
        } catch (RuntimeException e) {
          server.close();
          throw e;
        }
      }
    }

    private Map<String, String> effectiveServerConfig() {
      Map<String, String> config = new LinkedHashMap<>();
      // Logical decoding (pgoutput) for Debezium: slots and WAL senders for a few connectors.
      config.put("wal_level", "logical");
      config.put("max_replication_slots", "10");
      config.put("max_wal_senders", "10");
      // zonky turns this off. Then a commit returns before its WAL is flushed, and logical
      // decoding reads flushed WAL only: a row just committed is not yet in the CDC stream.
      config.put("synchronous_commit", "on");
      config.putAll(serverConfig);
      return config;
    }
  }
}
