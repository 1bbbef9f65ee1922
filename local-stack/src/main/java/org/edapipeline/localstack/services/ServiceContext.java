package org.edapipeline.localstack.services;

import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.service.outbox.OutboxWriter;

/**
 * What every simulated service uses: the shop database, the outbox writer, the registry and Kafka.
 *
 * @param dataSource the shop database (outbox, processed_events and the services' schemas)
 * @param outbox writes events in the caller's transaction
 * @param registry schema registry client, shared
 * @param bootstrapServers Kafka, for the services' idempotent consumers
 * @param settings rates and failure rates
 */
record ServiceContext(
    DataSource dataSource,
    OutboxWriter outbox,
    SchemaRegistryClient registry,
    String bootstrapServers,
    ServiceSettings settings) {

  /** True with probability {@code rate}. */
  static boolean chance(double rate) {
    return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
  }
}
