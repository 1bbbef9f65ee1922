package org.edapipeline.localstack.flink;

import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.ExceptionUtils;
import org.edapipeline.localstack.PortInUseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink MiniCluster in this JVM with the web UI (flink-runtime-web is on the classpath): one
 * TaskManager with a slot per subtask of the jobs, the REST API and web UI on {@code 127.0.0.1:<web
 * port>}, and Flink's Prometheus reporter ({@code flink-metrics-prometheus}, as in {@code
 * flink-conf/config.yaml}) serving the JobManager's and the TaskManager's metrics on {@code
 * http://<any interface>:<metrics port>/metrics}: the MiniCluster's components share one metric
 * registry, so one port serves what a cluster's JobManager and TaskManagers serve on 9249 each.
 * Jobs are submitted as job graphs, as a cluster receives them; closing cancels them and stops the
 * cluster.
 */
public final class FlinkRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkRuntime.class);
  private static final String BIND_HOST = "127.0.0.1";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /**
   * The reporter's name, as in {@code flink-conf/config.yaml} ({@code metrics.reporters: prom}).
   */
  static final String REPORTER = "prom";

  private static final String WEB_UI = "the Flink web UI";
  private static final String METRICS = "Flink's Prometheus metrics";

  private final MiniCluster cluster;
  private final String webUiUrl;
  private final int metricsPort;
  private final List<JobID> jobs = new ArrayList<>();

  private FlinkRuntime(MiniCluster cluster, String webUiUrl, int metricsPort) {
    this.cluster = cluster;
    this.webUiUrl = webUiUrl;
    this.metricsPort = metricsPort;
  }

  /**
   * Starts the cluster.
   *
   * @param webPort port of the web UI and REST API; 0 for a free one
   * @param metricsPort port of the Prometheus reporter's {@code /metrics}; 0 for a free one
   * @param slots task slots of the one TaskManager
   * @param tmpDirectory Flink's temporary files (spilling, RocksDB's local working directories)
   * @throws PortInUseException if a port is taken
   */
  public static FlinkRuntime start(int webPort, int metricsPort, int slots, Path tmpDirectory) {
    checkPorts(webPort, metricsPort);
    // The reporter cannot pick a port and tell which: choose it here. It only logs an error if
    // the port is taken, hence the check above.
    int reporterPort = metricsPort == 0 ? PortInUseException.freePort() : metricsPort;
    Configuration config = new Configuration();
    config.set(RestOptions.BIND_ADDRESS, BIND_HOST);
    config.set(RestOptions.ADDRESS, BIND_HOST);
    config.set(RestOptions.BIND_PORT, Integer.toString(webPort));
    config.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    config.set(CoreOptions.TMP_DIRS, tmpDirectory.toString());
    config.set(MetricOptions.REPORTERS_LIST, REPORTER);
    config.setString(
        "metrics.reporter." + REPORTER + ".factory.class",
        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    config.setString("metrics.reporter." + REPORTER + ".port", Integer.toString(reporterPort));
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(config)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
    try {
      cluster.start();
      String url =
          cluster.getRestAddress().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).toString();
      return new FlinkRuntime(
          cluster, url.endsWith("/") ? url.substring(0, url.length() - 1) : url, reporterPort);
    } catch (Exception e) {
      closeQuietly(cluster);
      if (ExceptionUtils.findThrowable(e, BindException.class).isPresent()) {
        throw new PortInUseException(webPort, WEB_UI, "--web-port", e);
      }
      throw new IllegalStateException("Could not start the Flink MiniCluster: " + e, e);
    }
  }

  /**
   * Fails fast, before anything else starts, if the web UI's or the metrics' port is taken (0: any
   * free port, not checked).
   *
   * @throws PortInUseException naming the port and its option
   */
  public static void checkPorts(int webPort, int metricsPort) {
    if (webPort != 0) {
      PortInUseException.checkFree(BIND_HOST, webPort, WEB_UI, "--web-port");
    }
    if (metricsPort != 0) {
      // The reporter listens on every interface.
      PortInUseException.checkFree(null, metricsPort, METRICS, "--flink-metrics-port");
    }
  }

  /** The web UI and REST API, e.g. {@code http://127.0.0.1:8081}. */
  public String webUiUrl() {
    return webUiUrl;
  }

  /** Flink's Prometheus endpoint, e.g. {@code http://127.0.0.1:9249/metrics}. */
  public String metricsUrl() {
    return "http://" + BIND_HOST + ":" + metricsPort + "/metrics";
  }

  /** Submits a job; it is cancelled by {@link #cancelJobs()} or {@link #close()}. */
  public JobID submit(StreamGraph graph) {
    try {
      JobID id =
          cluster
              .submitJob(graph.getJobGraph())
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .getJobID();
      synchronized (jobs) {
        jobs.add(id);
      }
      return id;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while submitting " + graph.getJobName(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Could not submit " + graph.getJobName() + ": " + e, e);
    }
  }

  /** Cancels the submitted jobs and waits for them to end. */
  public void cancelJobs() {
    List<JobID> submitted;
    synchronized (jobs) {
      submitted = List.copyOf(jobs);
      jobs.clear();
    }
    for (JobID id : submitted) {
      try {
        cluster.cancelJob(id).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        cluster.requestJobResult(id).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("Job {} did not cancel cleanly: {}", id, e.toString());
      }
    }
  }

  /** Cancels the jobs that still run and stops the cluster. */
  @Override
  public void close() {
    cancelJobs();
    closeQuietly(cluster);
  }

  private static void closeQuietly(MiniCluster cluster) {
    try {
      cluster.closeAsync().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("The Flink MiniCluster did not stop cleanly: {}", e.toString());
    }
  }
}
