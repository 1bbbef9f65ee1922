package org.edapipeline.bench.flink;

import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.jobs.common.JobEnvironment;
import org.edapipeline.jobs.common.TransactionTimeoutCheck;
import org.edapipeline.jobs.iot.IotAggregationJob;
import org.edapipeline.jobs.iot.IotJobConfig;
import org.edapipeline.jobs.iot.IotOptions;
import org.edapipeline.schemas.Topics;

/**
 * Our IoT aggregation job ({@link IotAggregationJob}), the real topology as shipped: decoding that
 * never throws, dedupe on event id, the device registry join and validation, tumbling windows with
 * count/min/max/mean/sum/p95 and corrections, alerts, late readings and dead letters, each to its
 * sink. It is built through {@link IotAggregationJob#buildTopology} and {@link
 * IotAggregationJob#writeToKafka} from the job's own typed options ({@link IotJobConfig}).
 *
 * <p>Configuration from the spec ({@link FlinkContenderSpec}):
 *
 * <ul>
 *   <li>{@code state.backend}: {@code rocksdb} (incremental checkpoints, as in production) or
 *       {@code hashmap};
 *   <li>{@code delivery}: {@code exactly-once} (transactional sinks) or {@code at-least-once}
 *       ({@code --kafka.sink-guarantee AT_LEAST_ONCE}); checkpoints stay aligned either way (the
 *       tumbling operator's lateness floor relies on it);
 *   <li>{@code window}: {@code tumbling} ({@code --iot.sliding.enabled false}) or {@code sliding}
 *       (tumbling and the 5-minute sliding windows every {@code window.slide.ms});
 *   <li>{@code window.size.ms} ({@code iot.window.size}), {@code out.of.orderness.ms} ({@code
 *       iot.out-of-orderness}), {@code checkpoint.interval.ms}, {@code partitions} = parallelism;
 *       everything else is the job's default.
 * </ul>
 *
 * <p>Reads {@code iot.readings} and {@code iot.devices} (the harness registers every device first),
 * writes {@code iot.aggregates} (and, empty in a clean run, alerts, late readings and DLQs).
 */
public final class IotJobContender {

  private IotJobContender() {}

  /** {@code java … IotJobContender <spec file>}. */
  public static void main(String[] args) throws Exception {
    FlinkContenderSpec spec = FlinkContenderSpec.fromArgs(args);
    MiniClusterContender.logToWorkDir(spec);
    spec.requireTopics(
        ContenderSpec.INPUT_TOPICS,
        spec.inputTopics(),
        List.of(Topics.IOT_READINGS.name(), Topics.IOT_DEVICES.name()));
    spec.requireTopics(
        ContenderSpec.OUTPUT_TOPICS, spec.outputTopics(), List.of(Topics.IOT_AGGREGATES.name()));

    IotJobConfig config = IotJobConfig.parse(arguments(spec));
    TransactionTimeoutCheck.validate(config.common());
    MiniClusterContender contender =
        MiniClusterContender.create(spec, JobEnvironment.flinkConfiguration(config.common()));
    StreamExecutionEnvironment env = contender.environment();
    IotAggregationJob.writeToKafka(
        IotAggregationJob.buildTopology(
            config,
            IotAggregationJob.readingsFromKafka(env, config),
            IotAggregationJob.devicesFromKafka(env, config)),
        config.common());
    contender.runUntilStopped(env, IotAggregationJob.JOB_NAME);
  }

  /** The job's options for {@code spec}. */
  static String[] arguments(FlinkContenderSpec spec) {
    OurJobArguments args = OurJobArguments.of(spec);
    args.add(IotOptions.WINDOW_SIZE.key(), spec.windowSize());
    args.add(IotOptions.OUT_OF_ORDERNESS.key(), spec.outOfOrderness());
    args.add(
        IotOptions.SLIDING_ENABLED.key(),
        Boolean.toString(spec.window() == FlinkContenderSpec.Window.SLIDING));
    args.add(IotOptions.SLIDING_SIZE.key(), FlinkContenderSpec.SLIDING_SIZE);
    args.add(IotOptions.SLIDING_SLIDE.key(), spec.windowSlide());
    return args.toArray();
  }
}
