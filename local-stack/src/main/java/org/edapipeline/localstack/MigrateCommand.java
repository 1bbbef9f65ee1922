package org.edapipeline.localstack;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code local-stack migrate}: applies the shop database's migrations and exits, for deployments
 * where the outbox (and its publication) must exist before the CDC source starts, as in
 * docker-compose.yml. Exit codes: 0 migrated (or already up to date), 1 the database cannot be
 * used, 2 bad usage.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Applies the shop database's migrations and exits: service-kit's outbox (with the"
          + " publication the CDC source streams) and processed_events, and the simulated"
          + " services' schemas (Flyway, each with its own history table; idempotent).",
      ""
    },
    footer = {
      "",
      "Every option also reads the environment variable SIMULATOR_<OPTION> (--jdbc-url from"
          + " SIMULATOR_JDBC_URL); a value given here wins.",
      "Exit codes: 0 migrated or up to date, 1 the database cannot be used, 2 bad usage."
    })
final class MigrateCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(MigrateCommand.class);

  @Spec CommandSpec spec;

  @Mixin DatabaseOptions database;

  @Option(
      names = "--startup-timeout",
      converter = DurationConverter.class,
      defaultValue = "${env:SIMULATOR_STARTUP_TIMEOUT:-2m}",
      description =
          "How long to wait for a database that is still starting. Default: ${DEFAULT-VALUE}.")
  Duration startupTimeout;

  @Override
  public Integer call() throws InterruptedException {
    DatabaseConnection connection = database.toConnection();
    OptionChecks.positive(spec, "--startup-timeout", startupTimeout);
    PGSimpleDataSource dataSource = connection.dataSource();
    connection.awaitReachable(dataSource, startupTimeout);
    connection.migrate(dataSource);
    LOG.info("Migrated {}", connection);
    return 0;
  }
}
