package org.edapipeline.localstack;

import java.time.Duration;
import java.util.Objects;
import org.edapipeline.localstack.devices.DeviceSettings;
import org.edapipeline.localstack.services.ServiceSettings;

/**
 * What the {@code simulate} command runs against, typed and checked once ({@link SimulateCommand}
 * parses the command line and environment into it).
 *
 * @param kafkaBootstrapServers the Kafka cluster with every catalogue topic
 * @param database the shop database, the one the CDC source streams (its password never shows)
 * @param schemaRegistryUrl the Confluent-API schema registry
 * @param duration how long to run; null until stopped (Ctrl-C, SIGTERM)
 * @param cdcSlot the CDC source's replication slot: nothing is written before it exists
 * @param startupTimeout how long the start waits for the database, Kafka's answer and the slot
 * @param services the simulated services' rates
 * @param devices the simulated devices' behaviour
 */
public record SimulateConfig(
    String kafkaBootstrapServers,
    DatabaseConnection database,
    String schemaRegistryUrl,
    Duration duration,
    String cdcSlot,
    Duration startupTimeout,
    ServiceSettings services,
    DeviceSettings devices) {

  public SimulateConfig {
    Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
    Objects.requireNonNull(cdcSlot, "cdcSlot");
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(devices, "devices");
  }
}
