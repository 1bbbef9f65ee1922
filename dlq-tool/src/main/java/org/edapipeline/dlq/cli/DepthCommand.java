package org.edapipeline.dlq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import org.edapipeline.dlq.DlqException;
import org.edapipeline.dlq.kafka.DlqClientConfig;
import org.edapipeline.dlq.kafka.DlqTopic;
import org.edapipeline.dlq.monitor.AlertSink;
import org.edapipeline.dlq.monitor.DlqMonitor;
import org.edapipeline.dlq.monitor.DlqStatus;
import org.edapipeline.dlq.monitor.KafkaAlertSink;
import org.edapipeline.dlq.monitor.MetricsServer;
import org.edapipeline.dlq.monitor.MonitorOptions;
import org.edapipeline.dlq.monitor.PrometheusFormat;
import org.edapipeline.dlq.replay.ReplayOptions;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.retry.ExponentialBackoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlq depth}: depth per queue, new dead letters by category, threshold alerts, metrics. */
@Command(
    name = "depth",
    mixinStandardHelpOptions = true,
    description =
        "Depth of the dead-letter queues (records neither purged nor passed by the replay"
            + " job) and the dead letters that arrived since the previous check, by category. "
            + "With --threshold, a queue whose depth reaches it raises an alert: a WARN line "
            + "and a DlqDepthAlert record on the alert topic. With --watch, checks every "
            + "--interval and serves Prometheus metrics.")
public final class DepthCommand implements Callable<Integer> {

  /** Exit code of a single check that found a queue at or above the threshold. */
  static final int ABOVE_THRESHOLD = 3;

  private static final Logger LOG = LoggerFactory.getLogger(DepthCommand.class);

  @Mixin ConnectionOptions connection;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  QueueOptions queue;

  @Option(
      names = "--threshold",
      paramLabel = "N",
      description = "Alert when a queue's depth reaches N (depth >= N).")
  Long threshold;

  @Option(names = "--watch", description = "Check again every --interval until stopped (Ctrl-C).")
  boolean watch;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = "Time between checks with --watch (default ${DEFAULT-VALUE}).")
  String interval;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description = "With --watch: serve /metrics for Prometheus on this port (0: any free port).")
  Integer metricsPort;

  @Option(
      names = "--metrics-host",
      paramLabel = "HOST",
      defaultValue = "0.0.0.0",
      description = "Address the metrics endpoint binds (default ${DEFAULT-VALUE}).")
  String metricsHost;

  @Option(
      names = "--replay-job",
      paramLabel = "NAME",
      defaultValue = ReplayOptions.DEFAULT_JOB,
      description = "Replay job whose progress counts as handled (default ${DEFAULT-VALUE}).")
  String replayJob;

  @Option(
      names = "--no-alert-topic",
      description = "Only log alerts; do not write them to the alert topic.")
  boolean noAlertTopic;

  @Spec CommandSpec spec;

  private final Clock clock;
  private final CountDownLatch stop = new CountDownLatch(1);

  DepthCommand(Clock clock) {
    this.clock = clock;
  }

  /** Ends a {@code --watch} loop after the check in hand (tests, shutdown hook). */
  public void stop() {
    stop.countDown();
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    Duration every = FilterOptions.duration("--interval", interval);
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("--interval must be positive: " + interval);
    }
    if (metricsPort != null && !watch) {
      throw new IllegalArgumentException("--metrics-port goes with --watch");
    }
    List<DlqTopic> topics = queue == null ? DlqTopic.all() : List.of(queue.dlq());
    MonitorOptions options =
        new MonitorOptions(
            topics,
            threshold == null ? OptionalLong.empty() : OptionalLong.of(threshold),
            replayJob);
    DlqClientConfig config = connection.clientConfig();
    PrintWriter out = spec.commandLine().getOut();
    KafkaAlertSink kafkaSink =
        noAlertTopic || threshold == null ? null : new KafkaAlertSink(config, true);
    AlertSink sink = kafkaSink == null ? alert -> {} : kafkaSink;
    try (DlqMonitor monitor = new DlqMonitor(config, options, sink, clock)) {
      if (!watch) {
        List<DlqStatus> statuses = monitor.check();
        print(out, statuses);
        return statuses.stream().anyMatch(DlqStatus::alerting) ? ABOVE_THRESHOLD : 0;
      }
      return watch(monitor, every, out);
    } finally {
      if (kafkaSink != null) {
        kafkaSink.close();
      }
    }
  }

  private int watch(DlqMonitor monitor, Duration every, PrintWriter out)
      throws IOException, InterruptedException {
    MetricsServer server =
        metricsPort == null
            ? null
            : MetricsServer.start(
                new InetSocketAddress(metricsHost, metricsPort),
                () ->
                    PrometheusFormat.render(monitor.lastStatuses(), monitor.options().threshold()));
    CountDownLatch finished = new CountDownLatch(1);
    Thread stopOnSignal =
        new Thread(
            () -> {
              stop();
              try {
                finished.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "dlq-depth-stop");
    Runtime.getRuntime().addShutdownHook(stopOnSignal);
    // A failing check (Kafka or the registry away) is retried with growing delays, not fatal.
    ExponentialBackoff backoff =
        new ExponentialBackoff(Duration.ofSeconds(1), max(every, Duration.ofSeconds(1)));
    int failures = 0;
    try {
      if (server != null) {
        out.printf(
            "serving metrics on http://%s:%d%s%n", metricsHost, server.port(), MetricsServer.PATH);
        out.flush();
      }
      do {
        Duration wait = every;
        try {
          print(out, monitor.check());
          failures = 0;
        } catch (DlqException | KafkaException e) {
          wait = backoff.delay(failures++);
          LOG.warn("DLQ check failed ({}); next attempt in {} ms", e.getMessage(), wait.toMillis());
        }
        if (stop.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
      } while (true);
      return 0;
    } finally {
      if (server != null) {
        server.close();
      }
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(stopOnSignal);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running and waits for us
      }
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private void print(PrintWriter out, List<DlqStatus> statuses) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "DLQ", "DEPTH", "RETAINED", "NEW_TRANSIENT", "NEW_PERMANENT", "NEW_POISON", "ALERT"));
    for (DlqStatus s : statuses) {
      if (!s.exists()) {
        rows.add(List.of(s.dlq().name(), "-", "-", "-", "-", "-", "(no such topic)"));
        continue;
      }
      rows.add(
          List.of(
              s.dlq().name(),
              Long.toString(s.depth()),
              Long.toString(s.retained()),
              Long.toString(s.recent(ErrorCategory.TRANSIENT)),
              Long.toString(s.recent(ErrorCategory.PERMANENT)),
              Long.toString(s.recent(ErrorCategory.POISON)),
              s.raised().isPresent()
                  ? "RAISED -> " + Topics.DLQ_ALERTS.name()
                  : s.alerting() ? "above threshold" : "-"));
    }
    out.printf("%s%n", clock.instant());
    out.print(Text.table(rows));
    out.flush();
  }
}
