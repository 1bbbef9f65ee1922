package org.edapipeline.bench.flink;

import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.jobs.common.JobEnvironment;
import org.edapipeline.jobs.common.TransactionTimeoutCheck;
import org.edapipeline.jobs.saga.SagaCorrelationJob;
import org.edapipeline.jobs.saga.SagaJobConfig;
import org.edapipeline.schemas.Topics;

/**
 * Our saga correlation job ({@link SagaCorrelationJob}) as shipped: the four event topics decoded
 * without throwing, keyed by order id, deduped on event id, the state machine with processing-time
 * deadlines, and {@code saga.state}, {@code saga.commands} and the DLQs written through
 * exactly-once sinks. Built through {@link SagaCorrelationJob#fromKafka}, {@link
 * SagaCorrelationJob#buildTopology} and {@link SagaCorrelationJob#writeToKafka} from the job's own
 * typed options ({@link SagaJobConfig}, the saga's defaults: deadlines of minutes to days).
 *
 * <p>Configuration from the spec ({@link FlinkContenderSpec}): {@code state.backend} (default and
 * intended {@code rocksdb}, incremental checkpoints), {@code delivery} (default and intended {@code
 * exactly-once}), {@code checkpoint.interval.ms}, {@code partitions} = parallelism.
 */
public final class SagaJobContender {

  private SagaJobContender() {}

  /** {@code java … SagaJobContender <spec file>}. */
  public static void main(String[] args) throws Exception {
    FlinkContenderSpec spec = FlinkContenderSpec.fromArgs(args);
    MiniClusterContender.logToWorkDir(spec);
    spec.requireTopics(
        ContenderSpec.INPUT_TOPICS,
        spec.inputTopics(),
        SagaCorrelationJob.INPUTS.stream().map(input -> input.topic().name()).toList());
    spec.requireTopics(
        ContenderSpec.OUTPUT_TOPICS,
        spec.outputTopics(),
        List.of(Topics.SAGA_STATE.name(), Topics.SAGA_COMMANDS.name()));

    SagaJobConfig config = SagaJobConfig.parse(OurJobArguments.of(spec).toArray());
    TransactionTimeoutCheck.validate(config.common());
    MiniClusterContender contender =
        MiniClusterContender.create(spec, JobEnvironment.flinkConfiguration(config.common()));
    StreamExecutionEnvironment env = contender.environment();
    SagaCorrelationJob.writeToKafka(
        SagaCorrelationJob.buildTopology(config, SagaCorrelationJob.fromKafka(env, config)),
        config.common());
    contender.runUntilStopped(env, SagaCorrelationJob.JOB_NAME);
  }
}
