package org.edapipeline.localstack;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.edapipeline.localstack.devices.DeviceSettings;
import org.edapipeline.localstack.services.ServiceSettings;

/**
 * What the {@code simulate} command runs against, typed and checked once ({@link SimulateCommand}
 * parses the command line and environment into it).
 *
 * @param kafkaBootstrapServers the Kafka cluster with every catalogue topic
 * @param jdbcUrl the shop database ({@code jdbc:postgresql:…}), the one the CDC source streams
 * @param jdbcUser the role the services connect as (it must be allowed to create their tables)
 * @param jdbcPassword its password; null for none. Never logged: {@link #toString()} masks it
 * @param schemaRegistryUrl the Confluent-API schema registry
 * @param duration how long to run; null until stopped (Ctrl-C, SIGTERM)
 * @param cdcSlot the CDC source's replication slot: nothing is written before it exists
 * @param startupTimeout how long the start waits for Kafka, the registry and the slot
 * @param services the simulated services' rates
 * @param devices the simulated devices' behaviour
 */
public record SimulateConfig(
    String kafkaBootstrapServers,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    String schemaRegistryUrl,
    Duration duration,
    String cdcSlot,
    Duration startupTimeout,
    ServiceSettings services,
    DeviceSettings devices) {

  private static final String MASK = "******";
  private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

  public SimulateConfig {
    Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(jdbcUser, "jdbcUser");
    Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
    Objects.requireNonNull(cdcSlot, "cdcSlot");
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(devices, "devices");
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
    if (jdbcPassword != null && !jdbcPassword.isEmpty()) {
      masked = masked.replace(jdbcPassword, MASK);
    }
    return masked;
  }

  @Override
  public String toString() {
    return "SimulateConfig[kafkaBootstrapServers="
        + kafkaBootstrapServers
        + ", jdbcUrl="
        + mask(jdbcUrl)
        + ", jdbcUser="
        + jdbcUser
        + ", jdbcPassword="
        + (jdbcPassword == null ? "none" : MASK)
        + ", schemaRegistryUrl="
        + schemaRegistryUrl
        + ", duration="
        + duration
        + ", cdcSlot="
        + cdcSlot
        + ", startupTimeout="
        + startupTimeout
        + ", services="
        + services
        + ", devices="
        + devices
        + "]";
  }
}
