package org.edapipeline.bench.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.edapipeline.bench.contract.ContenderLifecycle;
import org.edapipeline.bench.contract.ContenderSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Flink contender on a local MiniCluster in this JVM, following the contender protocol of
 * {@link ContenderLifecycle}: submit asynchronously, print the ready line, run until SIGTERM, then
 * leave the checkpoint figures ({@link CheckpointFigures}) in the metrics file and cancel the job.
 *
 * <p>Every contender gets the same environment: parallelism = the input's partition count, the
 * spec's state backend (RocksDB with incremental checkpoints, or the heap), aligned exactly-once
 * checkpoints at the spec's interval into the work directory, no restarts (a failure ends the
 * process with an error, so the harness does not wait for outputs that will never come), and no
 * Kryo ({@code pipeline.generic-types: false}). The MiniCluster's REST API listens on a free local
 * port: the checkpoint figures come from it, as the web UI shows them.
 */
final class MiniClusterContender {

  /** How often the checkpoint figures are read while the job runs (kept for the shutdown hook). */
  private static final Duration POLL = Duration.ofSeconds(2);

  private final FlinkContenderSpec spec;
  private final Configuration flink;
  private final int restPort;

  private MiniClusterContender(FlinkContenderSpec spec, Configuration flink, int restPort) {
    this.spec = spec;
    this.flink = flink;
    this.restPort = restPort;
  }

  /**
   * Sends Flink's and the contender's logs to {@code flink.log} in the work directory (see {@code
   * log4j2.xml}); call first in {@code main}, before anything logs.
   */
  static void logToWorkDir(FlinkContenderSpec spec) {
    System.setProperty("bench.work.dir", spec.workDir().toAbsolutePath().toString());
  }

  /**
   * The environment for {@code spec}, on top of {@code base} (e.g. our jobs' own {@code
   * JobEnvironment.flinkConfiguration}): the settings above override it.
   */
  static MiniClusterContender create(FlinkContenderSpec spec, Configuration base) {
    Configuration flink = new Configuration(base);
    flink.set(CoreOptions.DEFAULT_PARALLELISM, spec.parallelism());
    switch (spec.stateBackend()) {
      case ROCKSDB -> {
        flink.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
      }
      case HASHMAP -> {
        flink.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, false);
      }
    }
    flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, spec.checkpointInterval());
    flink.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        spec.workDir().resolve("checkpoints").toAbsolutePath().toUri().toString());
    flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    flink.set(PipelineOptions.GENERIC_TYPES, false);
    int restPort = freePort();
    flink.set(RestOptions.ADDRESS, "localhost");
    flink.set(RestOptions.BIND_ADDRESS, "localhost");
    flink.set(RestOptions.PORT, restPort);
    return new MiniClusterContender(spec, flink, restPort);
  }

  /** The configuration the environment runs with. */
  Configuration configuration() {
    return flink;
  }

  /** A local environment (its MiniCluster starts at submission) with {@link #configuration()}. */
  StreamExecutionEnvironment environment() {
    return StreamExecutionEnvironment.getExecutionEnvironment(flink);
  }

  /**
   * Submits the pipeline built on {@code env}, prints the ready line, and blocks until the JVM is
   * stopped; on SIGTERM a shutdown hook writes the metrics file and cancels the job.
   */
  void runUntilStopped(StreamExecutionEnvironment env, String jobName) throws Exception {
    Logger log = LoggerFactory.getLogger(MiniClusterContender.class);
    JobClient job = env.executeAsync(jobName);
    log.info("Submitted {} as job {}; REST API on port {}", jobName, job.getJobID(), restPort);
    CheckpointFigures figures =
        new CheckpointFigures("http://localhost:" + restPort, job.getJobID().toHexString());
    ScheduledExecutorService poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "checkpoint-figures");
              thread.setDaemon(true);
              return thread;
            });
    poller.scheduleWithFixedDelay(
        figures::refresh, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);

    Stopping stopping = new Stopping();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> stop(job, figures, poller, stopping, log), "contender-stop"));
    job.getJobExecutionResult()
        .whenComplete(
            (result, failure) -> {
              if (!stopping.requested) {
                // Never exit on success (an unbounded job does not end), but do not leave the
                // harness waiting for outputs a failed job will never write.
                log.error("Job {} ended before it was stopped", jobName, failure);
                System.err.println("contender job ended before it was stopped: " + failure);
                System.exit(1);
              }
            });
    ContenderLifecycle.ready();
    ContenderLifecycle.awaitTermination();
  }

  private void stop(
      JobClient job,
      CheckpointFigures figures,
      ScheduledExecutorService poller,
      Stopping stopping,
      Logger log) {
    stopping.requested = true;
    poller.shutdownNow();
    figures.refresh();
    Map<String, Long> metrics = figures.metrics();
    try {
      ContenderLifecycle.writeMetrics(workDirSpec(), metrics);
      log.info("Checkpoint figures at stop: {}", metrics);
    } catch (RuntimeException e) {
      log.error("Cannot write the metrics file", e);
    }
    try {
      job.cancel().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("Job not cancelled cleanly at stop: {}", e.toString());
    }
  }

  /** What {@link ContenderLifecycle#writeMetrics} needs of the spec: the work directory. */
  private ContenderSpec workDirSpec() {
    return ContenderSpec.of(
        Map.of(ContenderSpec.WORK_DIR, spec.workDir().toAbsolutePath().toString()));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the MiniCluster's REST API", e);
    }
  }

  private static final class Stopping {
    volatile boolean requested;
  }
}
