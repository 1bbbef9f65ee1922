package org.edapipeline.localstack;

import static org.edapipeline.localstack.OptionChecks.invalid;
import static org.edapipeline.localstack.OptionChecks.positive;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.edapipeline.jobs.iot.IotOptions;
import org.edapipeline.jobs.saga.SagaOptions;
import org.edapipeline.localstack.devices.DeviceSettings;
import org.edapipeline.localstack.services.ServiceSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code local-stack simulate}: only the simulated services and devices, against an external Kafka,
 * PostgreSQL and schema registry (as in docker-compose.yml), until Ctrl-C, SIGTERM or {@code
 * --duration}. Exit codes: 0 stopped cleanly, 1 could not start (the message names the option to
 * check), 2 bad usage.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs only the simulated order/inventory/payment/shipment services and IoT devices against"
          + " an external Kafka, PostgreSQL and schema registry, with a CDC outbox source and the"
          + " Flink jobs running elsewhere: no embedded services, no CDC, no Flink.",
      "Applies the outbox, processed_events and the services' own tables to the database"
          + " (Flyway, idempotent), checks that Kafka has every catalogue topic, waits for the CDC"
          + " source's replication slot, then simulates until Ctrl-C, SIGTERM or --duration.",
      ""
    },
    footer = {
      "",
      "Every option also reads the environment variable SIMULATOR_<OPTION> (upper case, _ for -:"
          + " --jdbc-url from SIMULATOR_JDBC_URL, --order-rate from SIMULATOR_ORDER_RATE); a value"
          + " given here wins. Pass the password through SIMULATOR_JDBC_PASSWORD rather than the"
          + " command line, where other users of the machine can read it.",
      "Exit codes: 0 stopped, 1 could not start, 2 bad usage."
    })
final class SimulateCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(SimulateCommand.class);

  /** The CDC source's default slot ({@code debezium.source.slot.name}). */
  static final String DEFAULT_SLOT = "edapipeline_outbox";

  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._\\-\\[\\]:]+:\\d{1,5}");
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  @Spec CommandSpec spec;

  @Option(
      names = "--kafka-bootstrap-servers",
      required = true,
      paramLabel = "HOST:PORT[,…]",
      defaultValue = "${env:SIMULATOR_KAFKA_BOOTSTRAP_SERVERS}",
      description = "Kafka, with every topic of the catalogue created.")
  String kafkaBootstrapServers;

  @Mixin DatabaseOptions database;

  @Option(
      names = "--schema-registry-url",
      required = true,
      paramLabel = "URL",
      defaultValue = "${env:SIMULATOR_SCHEMA_REGISTRY_URL}",
      description = "The Confluent-API schema registry, e.g. http://schema-registry:8081.")
  String schemaRegistryUrl;

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      defaultValue = "${env:SIMULATOR_DURATION}",
      description = "Stop after this long (e.g. 60s, 10m). Default: run until Ctrl-C or SIGTERM.")
  Duration duration;

  @Option(
      names = "--cdc-slot",
      paramLabel = "SLOT",
      defaultValue = "${env:SIMULATOR_CDC_SLOT:-" + DEFAULT_SLOT + "}",
      description =
          "The CDC source's replication slot: nothing is written before it exists, since the"
              + " outbox keeps no rows. Default: ${DEFAULT-VALUE}.")
  String cdcSlot;

  @Option(
      names = "--startup-timeout",
      converter = DurationConverter.class,
      defaultValue = "${env:SIMULATOR_STARTUP_TIMEOUT:-2m}",
      description =
          "How long the start waits for the database, Kafka's answer and the CDC source's slot."
              + " Default: ${DEFAULT-VALUE}.")
  Duration startupTimeout;

  @Mixin SimulatorOptions simulatorOptions;

  @Option(
      names = "--window",
      converter = DurationConverter.class,
      defaultValue = "${env:SIMULATOR_WINDOW}",
      description =
          "The IoT job's iot.window.size as deployed, so late readings are really late. Default:"
              + " the job's default, 1m.")
  Duration window;

  @Option(
      names = "--allowed-lateness",
      converter = DurationConverter.class,
      defaultValue = "${env:SIMULATOR_ALLOWED_LATENESS}",
      description = "The IoT job's iot.allowed-lateness as deployed. Default: the job's, 2m.")
  Duration allowedLateness;

  @Option(
      names = "--out-of-orderness",
      converter = DurationConverter.class,
      defaultValue = "${env:SIMULATOR_OUT_OF_ORDERNESS}",
      description = "The IoT job's iot.out-of-orderness as deployed. Default: the job's, 10s.")
  Duration outOfOrderness;

  @Option(
      names = "--alert-windows",
      defaultValue = "${env:SIMULATOR_ALERT_WINDOWS}",
      description =
          "The IoT job's iot.alert.consecutive-windows as deployed (how long devices overheat)."
              + " Default: the job's, 3.")
  Integer alertWindows;

  private final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    SimulateConfig config = toConfig();
    CountDownLatch stopped = new CountDownLatch(1);
    // No embedded services here whose own hooks could race ours: a shutdown hook (Ctrl-C,
    // SIGTERM) asks the run to stop and waits until the simulators have closed.
    Thread hook =
        new Thread(
            () -> {
              stop();
              try {
                if (!stopped.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                  LOG.warn("The simulators did not stop within {}", STOP_TIMEOUT);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "simulate-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (ExternalSimulators run = ExternalSimulators.start(config, stop)) {
      if (run == null) {
        return 0; // stopped while starting
      }
      if (config.duration() == null) {
        LOG.info("Simulating; Ctrl-C or SIGTERM stops");
        stop.await();
      } else {
        LOG.info("Simulating for {}", config.duration());
        stop.await(config.duration().toMillis(), TimeUnit.MILLISECONDS);
      }
      LOG.info("Stopping the simulators");
    } finally {
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is what is stopping us: it returns now that the simulators are closed.
      }
    }
    LOG.info("Stopped");
    return 0;
  }

  /** Asks a running {@link #call()} to stop, as Ctrl-C does. */
  void stop() {
    stop.countDown();
  }

  /**
   * The typed configuration.
   *
   * @throws ParameterException naming the option of a missing or invalid value
   */
  SimulateConfig toConfig() {
    String bootstrap = kafkaBootstrapServers.strip();
    for (String server : bootstrap.split(",")) {
      if (!HOST_PORT.matcher(server.strip()).matches()) {
        throw invalid(
            spec,
            "--kafka-bootstrap-servers",
            "expected host:port[,host:port…], got '" + kafkaBootstrapServers + "'");
      }
    }
    DatabaseConnection connection = database.toConnection();
    checkHttpUrl("--schema-registry-url", schemaRegistryUrl);
    if (cdcSlot.isBlank()) {
      throw invalid(spec, "--cdc-slot", "must not be empty");
    }
    if (duration != null) {
      positive(spec, "--duration", duration);
    }
    positive(spec, "--startup-timeout", startupTimeout);
    Duration windowSize =
        positive(spec, "--window", orDefault(window, IotOptions.WINDOW_SIZE.defaultValue()));
    Duration lateness = orDefault(allowedLateness, IotOptions.ALLOWED_LATENESS.defaultValue());
    if (lateness.isNegative()) {
      throw invalid(spec, "--allowed-lateness", "must not be negative, got " + lateness);
    }
    Duration bound =
        positive(
            spec,
            "--out-of-orderness",
            orDefault(outOfOrderness, IotOptions.OUT_OF_ORDERNESS.defaultValue()));
    int windows = orDefault(alertWindows, IotOptions.ALERT_CONSECUTIVE_WINDOWS.defaultValue());
    if (windows < 1) {
      throw invalid(spec, "--alert-windows", "must be at least 1, got " + windows);
    }
    // The deployed saga job's defaults: deliveries come within its shortest deadline, and the
    // payment service gives up when the job stops waiting for retries.
    ServiceSettings services =
        simulatorOptions.serviceSettings(
            SagaOptions.INVENTORY_DEADLINE.defaultValue(), SagaOptions.MAX_ATTEMPTS.defaultValue());
    DeviceSettings devices = simulatorOptions.deviceSettings(windowSize, lateness, bound, windows);
    return new SimulateConfig(
        bootstrap,
        connection,
        schemaRegistryUrl.strip(),
        duration,
        cdcSlot.strip(),
        startupTimeout,
        services,
        devices);
  }

  private void checkHttpUrl(String option, String value) {
    try {
      URI uri = new URI(value.strip());
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw invalid(spec, option, "expected http(s)://host:port, got '" + value + "'");
  }

  private static <T> T orDefault(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
