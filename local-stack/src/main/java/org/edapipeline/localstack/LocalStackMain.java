package org.edapipeline.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.edapipeline.localstack.devices.DeviceSettings;
import org.edapipeline.localstack.flink.PipelineSettings;
import org.edapipeline.localstack.services.ServiceSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code java -jar local-stack.jar}: the whole pipeline in one JVM, until Ctrl-C or {@code
 * --duration}. Exit codes: 0 stopped cleanly, 1 failed, 2 bad usage or the web UI's port taken.
 */
@Command(
    name = "local-stack",
    mixinStandardHelpOptions = true,
    version = "local-stack 0.1.0",
    sortOptions = false,
    subcommands = {OutboxSqlCommand.class, SimulateCommand.class, MigrateCommand.class},
    description = {
      "Runs the whole event-driven pipeline in one JVM: embedded PostgreSQL, Kafka and schema"
          + " registry, the CDC outbox source, simulated order/inventory/payment/shipment services"
          + " and IoT devices, both Flink jobs on a MiniCluster with the web UI, and the saga query"
          + " service. Prints a summary every few seconds; Ctrl-C stops everything cleanly.",
      ""
    },
    footer = {
      "",
      "The simulators' options also read environment variables SIMULATOR_<OPTION>"
          + " (--order-rate: SIMULATOR_ORDER_RATE); a value given here wins.",
      "Only the simulators, against your own Kafka, PostgreSQL and registry: local-stack"
          + " simulate --help"
    })
public final class LocalStackMain implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Stop after this long (e.g. 60s, 10m). Default: run until Ctrl-C.")
  Duration duration;

  @Option(
      names = "--no-simulators",
      description =
          "Only infrastructure, CDC, jobs and query service: no simulated services or devices;"
              + " inject your own events (see --info and the outbox-sql command).")
  boolean noSimulators;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Write a JSON summary here at exit.")
  Path report;

  @Option(
      names = "--info",
      paramLabel = "FILE",
      description =
          "Write the connection details (Kafka, JDBC, registry, web UI, query URL, metrics"
              + " endpoints) here as JSON once everything is ready.")
  Path info;

  @Option(
      names = "--summary-interval",
      converter = DurationConverter.class,
      defaultValue = "5s",
      description =
          "How often the console summary is printed; 0 for never. Default: ${DEFAULT-VALUE}.")
  Duration summaryInterval;

  @Option(
      names = "--web-port",
      defaultValue = "8081",
      description = "Flink web UI and REST API port (0: any free port). Default: ${DEFAULT-VALUE}.")
  int webPort;

  @Option(
      names = "--query-port",
      defaultValue = "8089",
      description = "Saga query service port (0: any free port). Default: ${DEFAULT-VALUE}.")
  int queryPort;

  @Option(
      names = "--flink-metrics-port",
      defaultValue = "9249",
      description =
          "Flink's Prometheus metrics (http://localhost:<port>/metrics; 0: any free port)."
              + " Default: ${DEFAULT-VALUE}.")
  int flinkMetricsPort;

  @Option(
      names = "--dlq-metrics-port",
      defaultValue = "9464",
      description =
          "The DLQ depth monitor's Prometheus metrics (http://localhost:<port>/metrics; 0: any"
              + " free port). Default: ${DEFAULT-VALUE}.")
  int dlqMetricsPort;

  @Option(
      names = "--kafka-port",
      defaultValue = "0",
      description = "Kafka port. Default: a free port.")
  int kafkaPort;

  @Option(
      names = "--postgres-port",
      defaultValue = "0",
      description = "PostgreSQL port. Default: a free port.")
  int postgresPort;

  @Option(
      names = "--parallelism",
      defaultValue = "2",
      description = "Parallelism of each Flink job. Default: ${DEFAULT-VALUE}.")
  int parallelism;

  @Option(
      names = "--checkpoint-interval",
      converter = DurationConverter.class,
      defaultValue = "5s",
      description =
          "Exactly-once checkpoint interval: when outputs become visible. Default: ${DEFAULT-VALUE}.")
  Duration checkpointInterval;

  @Mixin SimulatorOptions simulatorOptions;

  @Option(
      names = "--saga-deadline",
      converter = DurationConverter.class,
      description = "The saga's deadline per step. Default: 10s, or 5m with --no-simulators.")
  Duration sagaDeadline;

  @Option(
      names = "--compensation-deadline",
      converter = DurationConverter.class,
      description =
          "How long the saga waits for compensations. Default: 10s, or 5m with --no-simulators.")
  Duration compensationDeadline;

  @Option(
      names = "--window",
      converter = DurationConverter.class,
      defaultValue = "10s",
      description =
          "IoT tumbling window (sliding: 3 windows, sliding by 1). Default: ${DEFAULT-VALUE}.")
  Duration window;

  @Option(
      names = "--allowed-lateness",
      converter = DurationConverter.class,
      defaultValue = "10s",
      description = "How long IoT windows accept corrections. Default: ${DEFAULT-VALUE}.")
  Duration allowedLateness;

  @Option(
      names = "--out-of-orderness",
      converter = DurationConverter.class,
      defaultValue = "2s",
      description = "IoT watermark bound. Default: ${DEFAULT-VALUE}.")
  Duration outOfOrderness;

  @Option(
      names = "--idleness",
      converter = DurationConverter.class,
      defaultValue = "10s",
      description = "IoT idle-partition timeout. Default: ${DEFAULT-VALUE}.")
  Duration idleness;

  @Option(
      names = "--alert-windows",
      defaultValue = "2",
      description =
          "Breaching windows in a row before a threshold alert. Default: ${DEFAULT-VALUE}.")
  int alertWindows;

  /** Transient failures of a step before the saga compensates; the payment service's attempts. */
  static final int RETRY_ATTEMPTS = 3;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new LocalStackMain());
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof PortInUseException) {
            cmd.getErr().println(e.getMessage());
            return 2;
          }
          if (e instanceof StartupCheckException) {
            cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
            return 1;
          }
          cmd.getErr().println("The local stack failed: " + e);
          LoggerFactory.getLogger(LocalStackMain.class).error("The local stack failed", e);
          return 1;
        });
    return commandLine;
  }

  @Override
  public Integer call() throws Exception {
    LocalStackConfig config = toConfig();
    Logger log = LoggerFactory.getLogger(LocalStackMain.class);
    CountDownLatch stop = new CountDownLatch(1);
    for (String signal : new String[] {"INT", "TERM"}) {
      // Our own handler, so the stack stops in order before the JVM's shutdown hooks (the
      // embedded services' own hooks would otherwise stop Kafka under the running jobs).
      Signal.handle(
          new Signal(signal),
          s -> {
            if (stop.getCount() == 0) {
              log.warn("Second {}: exiting now", s.getName());
              Runtime.getRuntime().halt(130);
            }
            stop.countDown();
          });
    }
    LocalStack stack = LocalStack.start(config, System.out);
    Thread hook = new Thread(stack::close, "local-stack-shutdown");
    Runtime.getRuntime().addShutdownHook(hook); // any other way the JVM ends
    if (duration == null) {
      log.info("Press Ctrl-C to stop");
      stop.await();
    } else {
      stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    }
    stack.close();
    return 0;
  }

  /**
   * The typed configuration.
   *
   * @throws ParameterException naming the option of a value out of range
   */
  LocalStackConfig toConfig() {
    OptionChecks.port(spec, "--web-port", webPort);
    OptionChecks.port(spec, "--query-port", queryPort);
    OptionChecks.port(spec, "--flink-metrics-port", flinkMetricsPort);
    OptionChecks.port(spec, "--dlq-metrics-port", dlqMetricsPort);
    OptionChecks.port(spec, "--kafka-port", kafkaPort);
    OptionChecks.port(spec, "--postgres-port", postgresPort);
    positive("--checkpoint-interval", checkpointInterval);
    positive("--window", window);
    positive("--out-of-orderness", outOfOrderness);
    positive("--idleness", idleness);
    if (duration != null) {
      positive("--duration", duration);
    }
    Duration defaultDeadline = noSimulators ? Duration.ofMinutes(5) : Duration.ofSeconds(10);
    Duration stepDeadline =
        sagaDeadline == null ? defaultDeadline : positive("--saga-deadline", sagaDeadline);
    Duration compensation =
        compensationDeadline == null
            ? defaultDeadline
            : positive("--compensation-deadline", compensationDeadline);
    if (alertWindows < 1) {
      throw OptionChecks.invalid(spec, "--alert-windows", "must be at least 1");
    }
    PipelineSettings pipeline =
        OptionChecks.settings(
            spec,
            "--parallelism/--alert-windows",
            () ->
                new PipelineSettings(
                    parallelism,
                    checkpointInterval,
                    window,
                    allowedLateness,
                    outOfOrderness,
                    idleness,
                    alertWindows,
                    stepDeadline,
                    compensation,
                    RETRY_ATTEMPTS));
    ServiceSettings services = simulatorOptions.serviceSettings(stepDeadline, RETRY_ATTEMPTS);
    DeviceSettings deviceSettings =
        simulatorOptions.deviceSettings(window, allowedLateness, outOfOrderness, alertWindows);
    return new LocalStackConfig(
        duration,
        !noSimulators,
        webPort,
        queryPort,
        flinkMetricsPort,
        dlqMetricsPort,
        kafkaPort,
        postgresPort,
        summaryInterval,
        report,
        info,
        pipeline,
        services,
        deviceSettings);
  }

  private Duration positive(String option, Duration value) {
    return OptionChecks.positive(spec, option, value);
  }
}
