package org.edapipeline.localstack.monitor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.edapipeline.dlq.kafka.DlqClientConfig;
import org.edapipeline.dlq.monitor.DlqMonitor;
import org.edapipeline.dlq.monitor.DlqStatus;
import org.edapipeline.dlq.monitor.MetricsServer;
import org.edapipeline.dlq.monitor.MonitorOptions;
import org.edapipeline.dlq.monitor.PrometheusFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code dlq depth --watch --metrics-port} does, inside the local stack: the dlq tool's {@link
 * DlqMonitor} over every dead-letter queue of the catalogue, checked every {@code interval} on a
 * thread of its own, and its metrics ({@code dlq_depth{topic=…}}, {@code dlq_dead_letters_total},
 * …; see the dlq tool's README) served by the tool's {@link MetricsServer} on {@code
 * http://<host>:<port>/metrics}. The console summary reads the same monitor through {@link
 * #checkNow()}, so both show the same numbers.
 */
public final class DlqMetricsService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DlqMetricsService.class);
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);

  private final DlqMonitor monitor;
  private final ScheduledExecutorService checker;
  private final MetricsServer server;
  private final String host;

  private DlqMetricsService(DlqMonitor monitor, MetricsServer server, String host) {
    this.monitor = monitor;
    this.server = server;
    this.host = host;
    this.checker =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "local-stack-dlq-monitor");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts checking at once and serving.
   *
   * @param port port of {@code /metrics}; 0 for a free one
   * @throws IOException if the port cannot be bound
   */
  public static DlqMetricsService start(
      String bootstrapServers, String registryUrl, String host, int port, Duration interval)
      throws IOException {
    DlqMonitor monitor =
        new DlqMonitor(
            DlqClientConfig.of(bootstrapServers, registryUrl, Map.of()),
            MonitorOptions.all(),
            alert -> {},
            Clock.systemUTC());
    MetricsServer server;
    try {
      server =
          MetricsServer.start(
              new InetSocketAddress(host, port),
              () -> PrometheusFormat.render(monitor.lastStatuses(), monitor.options().threshold()));
    } catch (IOException | RuntimeException e) {
      monitor.close();
      throw e;
    }
    DlqMetricsService service = new DlqMetricsService(monitor, server, host);
    service.checker.scheduleWithFixedDelay(
        service::checkQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return service;
  }

  private void checkQuietly() {
    try {
      monitor.check();
    } catch (RuntimeException e) {
      // Kafka or the registry away: the endpoint keeps the last statuses, the next check retries.
      LOG.debug("DLQ check failed: {}", e.toString());
    }
  }

  /**
   * Checks every queue now, on the monitor's thread (it is not thread-safe), and returns what it
   * saw; the last statuses if the check fails.
   */
  public List<DlqStatus> checkNow() {
    try {
      return checker.submit(monitor::check).get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      LOG.debug("DLQ check failed: {}", e.toString());
    }
    return monitor.lastStatuses();
  }

  /** The endpoint Prometheus scrapes, e.g. {@code http://127.0.0.1:9464/metrics}. */
  public String metricsUrl() {
    return "http://" + host + ":" + server.port() + MetricsServer.PATH;
  }

  @Override
  public void close() {
    server.close();
    checker.shutdownNow();
    try {
      checker.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    monitor.close();
  }
}
