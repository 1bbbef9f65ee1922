package org.edapipeline.localstack.flink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.edapipeline.jobs.common.JobConfig;
import org.edapipeline.jobs.common.JobEnvironment;
import org.edapipeline.jobs.common.TransactionTimeoutCheck;
import org.edapipeline.jobs.iot.IotAggregationJob;
import org.edapipeline.jobs.iot.IotJobConfig;
import org.edapipeline.jobs.saga.SagaCorrelationJob;
import org.edapipeline.jobs.saga.SagaJobConfig;

/**
 * Builds the two jobs' graphs exactly as their {@code main} methods do (same options parser, same
 * environment: RocksDB, incremental exactly-once checkpoints, no Kryo, bounded exponential-delay
 * restarts), with the local stack's settings as program arguments.
 */
public final class PipelineJobs {

  private final PipelineSettings settings;
  private final String bootstrapServers;
  private final String registryUrl;
  private final Path checkpoints;

  /**
   * @param checkpoints directory for both jobs' checkpoints
   */
  public PipelineJobs(
      PipelineSettings settings, String bootstrapServers, String registryUrl, Path checkpoints) {
    this.settings = settings;
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.checkpoints = checkpoints;
  }

  /** The saga correlation job's configuration, parsed and checked as {@code main} does. */
  public SagaJobConfig sagaConfig() {
    List<String> args = commonArgs(SagaCorrelationJob.JOB_NAME);
    String step = duration(settings.sagaDeadline());
    for (String deadline : List.of("inventory", "payment", "shipment", "delivery")) {
      args.addAll(List.of("--saga.deadline." + deadline, step));
    }
    Duration unknown = max(settings.sagaDeadline().multipliedBy(3), Duration.ofMinutes(1));
    args.addAll(
        List.of(
            "--saga.deadline.compensation", duration(settings.compensationDeadline()),
            "--saga.deadline.unknown-saga", duration(unknown),
            "--saga.retention", "10 min",
            "--saga.dedupe.ttl", "1 h",
            "--saga.retry.max-attempts", Integer.toString(settings.sagaRetryAttempts())));
    return SagaJobConfig.parse(args.toArray(String[]::new));
  }

  /** The IoT aggregation job's configuration, parsed and checked as {@code main} does. */
  public IotJobConfig iotConfig() {
    List<String> args = commonArgs(IotAggregationJob.JOB_NAME);
    Duration window = settings.window();
    args.addAll(
        List.of(
            "--dedupe.ttl", "1 h",
            "--iot.window.size", duration(window),
            "--iot.sliding.size", duration(window.multipliedBy(3)),
            "--iot.sliding.slide", duration(window),
            "--iot.allowed-lateness", duration(settings.allowedLateness()),
            "--iot.out-of-orderness", duration(settings.outOfOrderness()),
            "--iot.idleness", duration(settings.idleness()),
            "--iot.registration-grace", duration(window),
            "--iot.alert.consecutive-windows", Integer.toString(settings.alertWindows()),
            "--iot.silence.intervals", "3"));
    return IotJobConfig.parse(args.toArray(String[]::new));
  }

  /** The saga job's graph, with its sinks. Checks the transaction timeout against the broker. */
  public StreamGraph sagaGraph(SagaJobConfig config) {
    TransactionTimeoutCheck.validate(config.common());
    StreamExecutionEnvironment env = environment(config.common());
    SagaCorrelationJob.writeToKafka(
        SagaCorrelationJob.buildTopology(config, SagaCorrelationJob.fromKafka(env, config)),
        config.common());
    return graph(env, SagaCorrelationJob.JOB_NAME);
  }

  /** The IoT job's graph, with its sinks. Checks the transaction timeout against the broker. */
  public StreamGraph iotGraph(IotJobConfig config) {
    TransactionTimeoutCheck.validate(config.common());
    StreamExecutionEnvironment env = environment(config.common());
    IotAggregationJob.writeToKafka(
        IotAggregationJob.buildTopology(
            config,
            IotAggregationJob.readingsFromKafka(env, config),
            IotAggregationJob.devicesFromKafka(env, config)),
        config.common());
    return graph(env, IotAggregationJob.JOB_NAME);
  }

  private static StreamExecutionEnvironment environment(JobConfig config) {
    Configuration flink = JobEnvironment.flinkConfiguration(config);
    JobEnvironment.applyProductionRestartStrategy(flink, config);
    return StreamExecutionEnvironment.getExecutionEnvironment(flink);
  }

  private static StreamGraph graph(StreamExecutionEnvironment env, String name) {
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(name);
    return graph;
  }

  private List<String> commonArgs(String jobName) {
    return new ArrayList<>(
        List.of(
            "--kafka.bootstrap-servers",
            bootstrapServers,
            "--schema-registry.url",
            registryUrl,
            // A fresh registry: the sinks register the output schemas they write.
            "--schema-registry.auto-register",
            "true",
            // As deployed: the group's offsets (committed on checkpoints), earliest where it has
            // none. The stack's broker is always fresh, so this reads everything the services
            // wrote before the job was up, as EARLIEST would; unlike EARLIEST, a job started
            // again without its savepoint on the same broker does not reprocess every topic.
            "--kafka.starting-offsets",
            "COMMITTED",
            "--kafka.transaction-timeout",
            "5 min",
            "--checkpoint.interval",
            duration(settings.checkpointInterval()),
            "--checkpoint.timeout",
            "1 min",
            "--checkpoint.directory",
            checkpoints.resolve(jobName).toUri().toString(),
            "--parallelism",
            Integer.toString(settings.parallelism()),
            "--restart.attempts",
            "10"));
  }

  private static String duration(Duration duration) {
    return duration.toMillis() + " ms";
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
