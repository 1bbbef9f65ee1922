package org.edapipeline.localstack;

import java.util.List;
import javax.sql.DataSource;
import org.edapipeline.localstack.devices.DeviceSettings;
import org.edapipeline.localstack.devices.DeviceSimulator;
import org.edapipeline.localstack.services.ServiceSettings;
import org.edapipeline.localstack.services.SimulatedServices;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.service.ServiceSchema;

/**
 * The simulated services and devices together, as both the one-JVM stack and the {@code simulate}
 * command run them: the same database migrations, the same start order, the same stop order.
 */
public final class Simulators implements AutoCloseable {

  /** The services' Kafka consumer groups, for lag reports. */
  public static final List<String> CONSUMER_GROUPS =
      List.of(
          SimulatedServices.INVENTORY_SERVICE,
          SimulatedServices.PAYMENT_SERVICE,
          SimulatedServices.SHIPMENT_SERVICE,
          SimulatedServices.ORDER_SERVICE);

  private final SimulatedServices services;
  private final DeviceSimulator devices;

  private Simulators(SimulatedServices services, DeviceSimulator devices) {
    this.services = services;
    this.devices = devices;
  }

  /**
   * Applies what the services need to the shop database, idempotently (Flyway, each with its own
   * history table): service-kit's {@code outbox} (with its publication) and {@code
   * processed_events}, and the services' own schemas.
   */
  public static void migrate(DataSource dataSource) {
    ServiceSchema.migrate(dataSource);
    SimulatedServices.migrate(dataSource);
  }

  /**
   * Starts the services, then the devices (which register themselves first). The database must be
   * migrated, every catalogue topic must exist, and the CDC source's replication slot must exist
   * already: the outbox keeps no rows, only the WAL does.
   */
  public static Simulators start(
      DataSource dataSource,
      SchemaRegistryClient registry,
      String bootstrapServers,
      ServiceSettings serviceSettings,
      DeviceSettings deviceSettings) {
    SimulatedServices services =
        SimulatedServices.start(dataSource, registry, bootstrapServers, serviceSettings);
    try {
      return new Simulators(
          services, DeviceSimulator.start(deviceSettings, bootstrapServers, registry));
    } catch (RuntimeException | Error e) {
      services.close();
      throw e;
    }
  }

  /** The services that are down now (simulated outage), by name. */
  public List<String> servicesDown() {
    return services.down();
  }

  /** Stops the devices, then the services. */
  @Override
  public void close() {
    try {
      devices.close();
    } finally {
      services.close();
    }
  }
}
