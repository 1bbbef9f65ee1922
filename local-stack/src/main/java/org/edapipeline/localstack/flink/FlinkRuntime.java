package org.edapipeline.localstack.flink;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink MiniCluster in this JVM with the web UI (flink-runtime-web is on the classpath): one
 * TaskManager with a slot per subtask of the jobs, the REST API and web UI on {@code 127.0.0.1:<web
 * port>}. Jobs are submitted as job graphs, as a cluster receives them; closing cancels them and
 * stops the cluster.
 */
public final class FlinkRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkRuntime.class);
  private static final String BIND_HOST = "127.0.0.1";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final MiniCluster cluster;
  private final String webUiUrl;
  private final List<JobID> jobs = new ArrayList<>();

  private FlinkRuntime(MiniCluster cluster, String webUiUrl) {
    this.cluster = cluster;
    this.webUiUrl = webUiUrl;
  }

  /**
   * Starts the cluster.
   *
   * @param webPort port of the web UI and REST API; 0 for a free one
   * @param slots task slots of the one TaskManager
   * @param tmpDirectory Flink's temporary files (spilling, RocksDB's local working directories)
   * @throws WebPortInUseException if the port is taken
   */
  public static FlinkRuntime start(int webPort, int slots, Path tmpDirectory) {
    if (webPort != 0) {
      checkFree(webPort);
    }
    Configuration config = new Configuration();
    config.set(RestOptions.BIND_ADDRESS, BIND_HOST);
    config.set(RestOptions.ADDRESS, BIND_HOST);
    config.set(RestOptions.BIND_PORT, Integer.toString(webPort));
    config.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    config.set(CoreOptions.TMP_DIRS, tmpDirectory.toString());
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
          cluster, url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (Exception e) {
      closeQuietly(cluster);
      if (ExceptionUtils.findThrowable(e, BindException.class).isPresent()) {
        throw new WebPortInUseException(webPort, e);
      }
      throw new IllegalStateException("Could not start the Flink MiniCluster: " + e, e);
    }
  }

  /**
   * Fails fast, before anything else starts, if the web UI's port is taken.
   *
   * @throws WebPortInUseException naming the port and the option
   */
  public static void checkFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(BIND_HOST), port));
    } catch (IOException e) {
      throw new WebPortInUseException(port, e);
    }
  }

  /** The web UI and REST API, e.g. {@code http://127.0.0.1:8081}. */
  public String webUiUrl() {
    return webUiUrl;
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
