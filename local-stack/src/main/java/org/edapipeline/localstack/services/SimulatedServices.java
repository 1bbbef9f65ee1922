package org.edapipeline.localstack.services;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.service.outbox.OutboxWriter;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order, inventory, payment and shipment services of the choreography, each a {@link
 * ServiceProcess} with its own PostgreSQL schema, writing its state and its events in one
 * transaction through the {@link OutboxWriter}, and consuming the previous step's events and the
 * saga's commands as an idempotent consumer. An outage scheduler takes them down in turn.
 */
public final class SimulatedServices implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedServices.class);

  /** Service names: consumer names in {@code processed_events} and Kafka consumer groups. */
  public static final String ORDER_SERVICE = "order-service";

  public static final String INVENTORY_SERVICE = "inventory-service";
  public static final String PAYMENT_SERVICE = "payment-service";
  public static final String SHIPMENT_SERVICE = "shipment-service";

  /** The services an outage may take down, in turn, with the deadline each one makes fire. */
  public static final List<String> OUTAGE_ROTATION =
      List.of(PAYMENT_SERVICE, INVENTORY_SERVICE, SHIPMENT_SERVICE);

  /** Flyway location and history table of the services' own schemas. */
  static final String MIGRATIONS = "classpath:db/localstack";

  static final String HISTORY_TABLE = "local_stack_schema_history";

  private static final Duration TASK_PERIOD = Duration.ofMillis(250);

  private final Map<String, ServiceProcess> processes = new LinkedHashMap<>();
  private final OutageSchedule outages;
  private final ScheduledExecutorService outageClock;
  private long startedNanos;
  private String currentOutage;

  private SimulatedServices(ServiceContext context) {
    this.outages = context.settings().outages();
    OrderService orders = new OrderService(context);
    InventoryService inventory = new InventoryService(context);
    PaymentService payments = new PaymentService(context);
    ShipmentService shipments = new ShipmentService(context);
    add(
        new ServiceProcess(
            ORDER_SERVICE,
            context,
            List.of(Topics.SAGA_COMMANDS),
            orders,
            orders,
            Duration.ofNanos((long) (1e9 / context.settings().ordersPerSecond()))));
    add(
        new ServiceProcess(
            INVENTORY_SERVICE,
            context,
            List.<Topic<?, ?>>of(Topics.ORDER_EVENTS, Topics.SAGA_COMMANDS),
            inventory,
            null,
            null));
    add(
        new ServiceProcess(
            PAYMENT_SERVICE,
            context,
            List.<Topic<?, ?>>of(Topics.INVENTORY_EVENTS, Topics.SAGA_COMMANDS),
            payments,
            payments,
            TASK_PERIOD));
    add(
        new ServiceProcess(
            SHIPMENT_SERVICE,
            context,
            List.of(Topics.PAYMENT_EVENTS),
            shipments,
            shipments,
            TASK_PERIOD));
    this.outageClock =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "service-outages");
              thread.setDaemon(true);
              return thread;
            });
  }

  private void add(ServiceProcess process) {
    processes.put(process.name(), process);
  }

  /**
   * Creates the services' schemas (Flyway, history table {@value #HISTORY_TABLE}) in the database
   * that already has the outbox migrations.
   */
  public static void migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations(MIGRATIONS)
        .table(HISTORY_TABLE)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }

  /**
   * Starts the four services and the outage schedule. The CDC source's replication slot must exist
   * already: the outbox keeps no rows, only the WAL does.
   */
  public static SimulatedServices start(
      DataSource dataSource,
      SchemaRegistryClient registry,
      String bootstrapServers,
      ServiceSettings settings) {
    ServiceContext context =
        new ServiceContext(
            dataSource,
            OutboxWriter.builder(registry).build(),
            registry,
            bootstrapServers,
            settings);
    SimulatedServices services = new SimulatedServices(context);
    services.startedNanos = System.nanoTime();
    services.processes.values().forEach(ServiceProcess::start);
    if (services.outages.enabled()) {
      services.outageClock.scheduleAtFixedRate(
          services::applyOutages, 200, 200, TimeUnit.MILLISECONDS);
    }
    return services;
  }

  /** The services that are down now, by name. */
  public List<String> down() {
    List<String> down = new ArrayList<>();
    processes.values().stream().filter(ServiceProcess::isDown).forEach(p -> down.add(p.name()));
    return down;
  }

  private void applyOutages() {
    try {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
      Optional<OutageSchedule.Outage> outage = outages.at(elapsed);
      String target = outage.map(OutageSchedule.Outage::service).orElse(null);
      if (currentOutage != null && !currentOutage.equals(target)) {
        processes.get(currentOutage).up();
        LOG.info("{} is back", currentOutage);
        currentOutage = null;
      }
      if (target != null && currentOutage == null) {
        LOG.info(
            "{} is DOWN for {} s (simulated outage): its deadlines will fire",
            target,
            outages.duration().toSeconds());
        processes.get(target).down();
        currentOutage = target;
      }
    } catch (RuntimeException e) {
      LOG.warn("Outage scheduler: {}", e.toString());
    }
  }

  /** Stops the outages and every service, the order service (the origin of new work) first. */
  @Override
  public void close() {
    outageClock.shutdownNow();
    try {
      outageClock.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    processes.values().forEach(ServiceProcess::close);
  }
}
