package org.edapipeline.service;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The tables a service needs to take part in the pipeline: {@code outbox} (with its publication)
 * and {@code processed_events}. Applied with Flyway from {@code classpath:db/edapipeline}, with a
 * history table of its own so it sits beside the service's own migrations without touching them.
 */
public final class ServiceSchema {

  /** Where the migrations live on the classpath, for services that run Flyway themselves. */
  public static final String MIGRATIONS_LOCATION = "classpath:db/edapipeline";

  /** Flyway history table of these migrations, distinct from the service's own. */
  public static final String HISTORY_TABLE = "edapipeline_schema_history";

  private ServiceSchema() {}

  /**
   * Applies the pending migrations to the database's default schema.
   *
   * @return how many migrations were applied (0 when already up to date)
   */
  public static int migrate(DataSource dataSource) {
    MigrateResult result =
        Flyway.configure()
            .dataSource(dataSource)
            .locations(MIGRATIONS_LOCATION)
            .table(HISTORY_TABLE)
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
    return result.migrationsExecuted;
  }
}
