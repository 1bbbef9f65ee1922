package org.edapipeline.localstack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulators of {@link Simulators} on external services: checks each service once at start
 * (failing with a message that names the option to fix), migrates the database, waits for the CDC
 * source's replication slot, then starts them. {@link #close} stops the simulators, then the
 * registry client.
 */
final class ExternalSimulators implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalSimulators.class);

  private static final Duration SLOT_POLL = Duration.ofMillis(500);

  private final SchemaRegistryClient registry;
  private final Simulators simulators;

  private ExternalSimulators(SchemaRegistryClient registry, Simulators simulators) {
    this.registry = registry;
    this.simulators = simulators;
  }

  /**
   * Checks, migrates, waits and starts.
   *
   * @param stop counted down to abandon the start (then null is returned)
   * @throws StartupCheckException naming the option of a service that cannot be used
   */
  static ExternalSimulators start(SimulateConfig config, CountDownLatch stop)
      throws InterruptedException {
    LOG.info("Starting the simulators: {}", config);
    DatabaseConnection database = config.database();
    PGSimpleDataSource dataSource = database.dataSource();
    database.awaitReachable(dataSource, config.startupTimeout());
    database.migrate(dataSource);
    LOG.info("Database migrated (outbox, processed_events, the services' schemas)");
    checkTopics(config);
    SchemaRegistryClient registry =
        new RestSchemaRegistryClient(
            SchemaRegistryClientConfig.builder(config.schemaRegistryUrl()).build());
    try {
      checkRegistry(config, registry);
      if (!awaitSlot(config, dataSource, stop)) {
        registry.close();
        return null;
      }
      Simulators simulators =
          Simulators.start(
              dataSource,
              registry,
              config.kafkaBootstrapServers(),
              config.services(),
              config.devices());
      LOG.info(
          "Simulating {} orders/s and {} devices against Kafka {}, {} and {}",
          config.services().ordersPerSecond(),
          config.devices().devices(),
          config.kafkaBootstrapServers(),
          config.database().mask(config.database().jdbcUrl()),
          config.schemaRegistryUrl());
      return new ExternalSimulators(registry, simulators);
    } catch (RuntimeException | InterruptedException e) {
      registry.close();
      throw e;
    }
  }

  private static void checkTopics(SimulateConfig config) throws InterruptedException {
    Set<String> expected = new TreeSet<>();
    for (Topic<?, ?> topic : Topics.all()) {
      expected.add(topic.name());
    }
    int timeout = (int) Math.min(Integer.MAX_VALUE, config.startupTimeout().toMillis());
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafkaBootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                timeout,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Math.min(timeout, 30_000)))) {
      Set<String> existing = admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS);
      expected.removeAll(existing);
    } catch (ExecutionException | TimeoutException e) {
      throw new StartupCheckException(
          "Kafka at --kafka-bootstrap-servers "
              + config.kafkaBootstrapServers()
              + " did not answer within "
              + config.startupTimeout()
              + " (--startup-timeout): "
              + Messages.withRootCause(e));
    }
    if (!expected.isEmpty()) {
      throw new StartupCheckException(
          "Kafka at --kafka-bootstrap-servers "
              + config.kafkaBootstrapServers()
              + " lacks the catalogue's topics "
              + expected
              + ": create them first (deploy/compose/create-topics.sh)");
    }
  }

  private static void checkRegistry(SimulateConfig config, SchemaRegistryClient registry) {
    try {
      List<String> subjects = registry.subjects();
      LOG.debug("Registry has {} subjects", subjects.size());
    } catch (RuntimeException e) {
      throw new StartupCheckException(
          "The schema registry at --schema-registry-url "
              + config.schemaRegistryUrl()
              + " does not answer: "
              + Messages.withRootCause(e));
    }
  }

  /** True once the slot exists; false if stopped first. */
  private static boolean awaitSlot(
      SimulateConfig config, PGSimpleDataSource dataSource, CountDownLatch stop)
      throws InterruptedException {
    long deadline = System.nanoTime() + config.startupTimeout().toNanos();
    boolean logged = false;
    while (true) {
      try (Connection connection = dataSource.getConnection();
          PreparedStatement query =
              connection.prepareStatement(
                  "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
        query.setString(1, config.cdcSlot());
        try (ResultSet slot = query.executeQuery()) {
          if (slot.next()) {
            return true;
          }
        }
      } catch (SQLException e) {
        throw new StartupCheckException(
            "Cannot read pg_replication_slots at --jdbc-url "
                + config.database().mask(config.database().jdbcUrl())
                + ": "
                + config.database().mask(e.getMessage()));
      }
      if (System.nanoTime() > deadline) {
        throw new StartupCheckException(
            "The CDC source's replication slot "
                + config.cdcSlot()
                + " (--cdc-slot) does not exist after "
                + config.startupTimeout()
                + " (--startup-timeout): start the CDC outbox source on this database first;"
                + " events written before its slot exists would be lost");
      }
      if (!logged) {
        LOG.info(
            "Waiting for the CDC source's replication slot {} before writing any event",
            config.cdcSlot());
        logged = true;
      }
      if (stop.await(SLOT_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
    }
  }

  /** Stops the simulators, then the registry client. */
  @Override
  public void close() {
    try {
      simulators.close();
    } finally {
      registry.close();
    }
  }
}
