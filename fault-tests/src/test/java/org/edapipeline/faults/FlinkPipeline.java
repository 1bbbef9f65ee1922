package org.edapipeline.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.edapipeline.jobs.common.JobConfig;
import org.edapipeline.jobs.common.JobEnvironment;
import org.edapipeline.jobs.common.Sourced;
import org.edapipeline.jobs.iot.IotAggregationJob;
import org.edapipeline.jobs.iot.IotJobConfig;
import org.edapipeline.jobs.saga.SagaCorrelationJob;
import org.edapipeline.jobs.saga.SagaJobConfig;
import org.edapipeline.jobs.saga.records.SagaEvent;

/**
 * Both jobs on one MiniCluster with several TaskManagers (so one can be lost), built by their own
 * topology methods with their real Kafka sources and sinks, plus a {@link FailOnceAfterCheckpoint}
 * after one source of each. Jobs restart with a bounded fixed-delay strategy. They are deployed as
 * the {@link Release#CURRENT current release} until {@link #upgrade()} makes every later submission
 * the {@link Release#NEXT next} one.
 */
final class FlinkPipeline implements AutoCloseable {
  static final String SAGA_TRIGGER = "saga";
  static final String IOT_TRIGGER = "iot";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final MiniCluster cluster;
  private final String restUrl;
  private final Path directory;
  private final List<String> commonArgs;
  private final List<String> sagaArgs;
  private final List<String> iotArgs;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final Map<JobID, Long> restarts = new ConcurrentHashMap<>();
  private int taskManagersLost;
  private volatile Release release = Release.CURRENT;

  /** The running (or last) job ids. */
  JobID sagaJob;

  JobID iotJob;

  private FlinkPipeline(
      MiniCluster cluster,
      String restUrl,
      Path directory,
      List<String> commonArgs,
      List<String> sagaArgs,
      List<String> iotArgs) {
    this.cluster = cluster;
    this.restUrl = restUrl;
    this.directory = directory;
    this.commonArgs = commonArgs;
    this.sagaArgs = sagaArgs;
    this.iotArgs = iotArgs;
  }

  /**
   * Starts the cluster.
   *
   * @param taskManagers TaskManagers, each with {@code slots} slots
   * @param commonArgs the jobs' common options ({@code --key value}), parallelism excluded
   */
  static FlinkPipeline start(
      int taskManagers,
      int slots,
      Path directory,
      List<String> commonArgs,
      List<String> sagaArgs,
      List<String> iotArgs)
      throws Exception {
    Configuration config = new Configuration();
    config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    config.set(RestOptions.ADDRESS, "127.0.0.1");
    config.set(RestOptions.BIND_PORT, "0");
    config.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    config.set(CoreOptions.TMP_DIRS, directory.resolve("tmp").toString());
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(config)
                .setNumTaskManagers(taskManagers)
                .setNumSlotsPerTaskManager(slots)
                .build());
    cluster.start();
    String url = cluster.getRestAddress().get(60, TimeUnit.SECONDS).toString();
    return new FlinkPipeline(
        cluster,
        url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
        directory,
        commonArgs,
        sagaArgs,
        iotArgs);
  }

  /** From now on, jobs are submitted as the {@link Release#NEXT next release}. */
  void upgrade() {
    release = Release.NEXT;
  }

  /** The release submitted now. */
  Release release() {
    return release;
  }

  /** Submits the saga job; from {@code savepoint} unless null. */
  JobID submitSaga(int parallelism, String savepoint) throws Exception {
    SagaJobConfig config =
        SagaJobConfig.parse(
            args(SagaCorrelationJob.JOB_NAME, parallelism, release.sagaArgs(sagaArgs)));
    StreamExecutionEnvironment env = environment(config.common());
    List<DataStream<Sourced<SagaEvent>>> inputs =
        new ArrayList<>(SagaCorrelationJob.fromKafka(env, config));
    inputs.set(0, release.sagaOrders(failOnce(inputs.get(0), SAGA_TRIGGER)));
    SagaCorrelationJob.writeToKafka(
        SagaCorrelationJob.buildTopology(config, inputs), config.common());
    sagaJob = submit(env, SagaCorrelationJob.JOB_NAME, savepoint);
    return sagaJob;
  }

  /** Submits the IoT job; from {@code savepoint} unless null. */
  JobID submitIot(int parallelism, String savepoint) throws Exception {
    IotJobConfig config =
        IotJobConfig.parse(args(IotAggregationJob.JOB_NAME, parallelism, release.iotArgs(iotArgs)));
    StreamExecutionEnvironment env = environment(config.common());
    IotAggregationJob.writeToKafka(
        IotAggregationJob.buildTopology(
            config,
            release.iotReadings(
                failOnce(IotAggregationJob.readingsFromKafka(env, config), IOT_TRIGGER)),
            IotAggregationJob.devicesFromKafka(env, config)),
        config.common());
    iotJob = submit(env, IotAggregationJob.JOB_NAME, savepoint);
    return iotJob;
  }

  private static <T> DataStream<T> failOnce(DataStream<T> stream, String trigger) {
    return stream
        .map(new FailOnceAfterCheckpoint<T>(trigger), stream.getType())
        .uid("fault-injector-" + trigger)
        .name("Fault injector (" + trigger + ")");
  }

  private String[] args(String jobName, int parallelism, List<String> jobArgs) {
    List<String> args = new ArrayList<>(commonArgs);
    args.addAll(
        List.of(
            "--parallelism",
            Integer.toString(parallelism),
            "--checkpoint.directory",
            directory.resolve("checkpoints").resolve(jobName).toUri().toString()));
    args.addAll(jobArgs);
    return args.toArray(String[]::new);
  }

  private static StreamExecutionEnvironment environment(JobConfig config) {
    Configuration flink = JobEnvironment.flinkConfiguration(config);
    // Recovery is under test: a bounded strategy, restarting quickly.
    flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 30);
    flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
    return StreamExecutionEnvironment.getExecutionEnvironment(flink);
  }

  private JobID submit(StreamExecutionEnvironment env, String name, String savepoint)
      throws Exception {
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(name);
    if (savepoint != null) {
      graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
    }
    JobID job =
        cluster
            .submitJob(graph.getJobGraph())
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
            .getJobID();
    restarts.put(job, 0L);
    return job;
  }

  /** Stops a job with a savepoint (its transactions commit) and returns the savepoint's path. */
  String stopWithSavepoint(JobID job) throws Exception {
    return stopWithSavepoints(job).get(0);
  }

  /**
   * Stops jobs with savepoints, all at once (their transactions commit), and returns the
   * savepoints' paths in the same order.
   */
  List<String> stopWithSavepoints(JobID... jobs) throws Exception {
    List<CompletableFuture<String>> savepoints = new ArrayList<>();
    for (JobID job : jobs) {
      savepoints.add(
          cluster.stopWithSavepoint(
              job,
              directory.resolve("savepoints").toUri().toString(),
              false,
              SavepointFormatType.CANONICAL));
    }
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < jobs.length; i++) {
      paths.add(savepoints.get(i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      cluster.requestJobResult(jobs[i]).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
    return paths;
  }

  /** Whether every task of the job runs (a RUNNING job may still wait for slots). */
  boolean fullyRunning(JobID job) throws IOException, InterruptedException {
    for (JsonNode overview : get("/jobs/overview").path("jobs")) {
      if (overview.path("jid").asText().equals(job.toHexString())) {
        JsonNode tasks = overview.path("tasks");
        return "RUNNING".equals(overview.path("state").asText())
            && tasks.path("running").asInt() == tasks.path("total").asInt()
            && tasks.path("total").asInt() > 0;
      }
    }
    return false;
  }

  /** Completed checkpoints of the job. */
  long completedCheckpoints(JobID job) throws IOException, InterruptedException {
    return get("/jobs/" + job.toHexString() + "/checkpoints")
        .path("counts")
        .path("completed")
        .asLong();
  }

  /**
   * Failovers of every job submitted so far: the entries of each job's exception history ({@code
   * /jobs/:id/exceptions}), one per failure that restarted it; a job that ended keeps its last
   * count read.
   */
  long restartsTotal() {
    for (JobID job : List.copyOf(restarts.keySet())) {
      try {
        JsonNode history =
            get("/jobs/" + job.toHexString() + "/exceptions?maxExceptions=1000")
                .path("exceptionHistory")
                .path("entries");
        restarts.merge(job, (long) history.size(), Math::max);
      } catch (IOException e) {
        // finished or not reachable right now: keep the last count
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return restarts.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Kills the oldest TaskManager still alive (its tasks fail) and starts a fresh one in its place
   * (the MiniCluster appends it to its list).
   */
  void loseTaskManager() throws Exception {
    cluster.terminateTaskManager(taskManagersLost++).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    cluster.startTaskManager();
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(restUrl + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + ": " + response.statusCode() + " " + response.body());
    }
    return json.readTree(response.body());
  }

  @Override
  public void close() throws Exception {
    cluster.closeAsync().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
