package org.edapipeline.bench.flink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.edapipeline.jobs.common.CommonOptions;
import org.edapipeline.jobs.common.CommonOptions.SinkGuarantee;
import org.edapipeline.jobs.common.CommonOptions.StartingOffsets;

/**
 * The command-line arguments ({@code --key value}) our jobs are given for a benchmark run, so they
 * are configured through their own typed options ({@code JobConfig}) exactly as on a cluster.
 *
 * <ul>
 *   <li>consumer group and transactional-id prefix = the run id, starting from the earliest offsets
 *       (every run reads the whole pre-loaded input);
 *   <li>checkpoint interval from the spec, checkpoint timeout 2 min, and a transaction timeout that
 *       outlasts both (interval + timeout + 1 min), below the broker's maximum;
 *   <li>{@code delivery} as the sinks' guarantee;
 *   <li>output schemas registered by the sinks (the harness registers only the input's).
 * </ul>
 */
final class OurJobArguments {

  static final Duration CHECKPOINT_TIMEOUT = Duration.ofMinutes(2);

  private final List<String> args = new ArrayList<>();

  private OurJobArguments() {}

  /** The common options for {@code spec}. */
  static OurJobArguments of(FlinkContenderSpec spec) {
    OurJobArguments a = new OurJobArguments();
    a.add(CommonOptions.KAFKA_BOOTSTRAP_SERVERS.key(), spec.bootstrapServers());
    a.add(CommonOptions.SCHEMA_REGISTRY_URL.key(), spec.registryUrl());
    a.add(CommonOptions.SCHEMA_REGISTRY_AUTO_REGISTER.key(), "true");
    a.add(CommonOptions.KAFKA_GROUP_ID.key(), spec.runId());
    a.add(CommonOptions.KAFKA_TRANSACTIONAL_ID_PREFIX.key(), spec.runId());
    a.add(CommonOptions.KAFKA_STARTING_OFFSETS.key(), StartingOffsets.EARLIEST.name());
    a.add(
        CommonOptions.KAFKA_SINK_GUARANTEE.key(),
        switch (spec.delivery()) {
          case EXACTLY_ONCE -> SinkGuarantee.EXACTLY_ONCE.name();
          case AT_LEAST_ONCE -> SinkGuarantee.AT_LEAST_ONCE.name();
        });
    a.add(CommonOptions.CHECKPOINT_INTERVAL.key(), millis(spec.checkpointInterval()));
    a.add(CommonOptions.CHECKPOINT_TIMEOUT.key(), millis(CHECKPOINT_TIMEOUT));
    a.add(
        CommonOptions.KAFKA_TRANSACTION_TIMEOUT.key(),
        millis(spec.checkpointInterval().plus(CHECKPOINT_TIMEOUT).plusMinutes(1)));
    a.add(CommonOptions.PARALLELISM.key(), Integer.toString(spec.parallelism()));
    a.add(CommonOptions.RESTART_ATTEMPTS.key(), "0");
    return a;
  }

  /** Adds one option. */
  OurJobArguments add(String key, String value) {
    args.add("--" + key);
    args.add(value);
    return this;
  }

  /** Adds a duration option. */
  OurJobArguments add(String key, Duration value) {
    return add(key, millis(value));
  }

  String[] toArray() {
    return args.toArray(String[]::new);
  }

  private static String millis(Duration duration) {
    return duration.toMillis() + " ms";
  }
}
