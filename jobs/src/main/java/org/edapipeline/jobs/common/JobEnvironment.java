package org.edapipeline.jobs.common;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The execution environment every job runs in: RocksDB with incremental checkpoints, exactly-once
 * checkpoints, no Kryo, object reuse, and (in production) a bounded exponential-delay restart
 * strategy.
 *
 * <p>Object reuse is safe in these jobs because no function keeps a reference to an input record
 * after it returns or changes one: records are either emitted unchanged, copied into state (which
 * serializes them) or turned into new records.
 */
public final class JobEnvironment {

  private JobEnvironment() {}

  /** The production environment: {@link #flinkConfiguration} plus the restart strategy. */
  public static StreamExecutionEnvironment create(JobConfig config) {
    Configuration flink = flinkConfiguration(config);
    applyProductionRestartStrategy(flink, config);
    return StreamExecutionEnvironment.getExecutionEnvironment(flink);
  }

  /**
   * Everything but the restart strategy, which tests choose themselves ({@code none}, or a bounded
   * one for recovery tests).
   */
  public static Configuration flinkConfiguration(JobConfig config) {
    Configuration flink = new Configuration();
    flink.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    flink.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
    flink.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, config.checkpointTimeout());
    flink.set(CheckpointingOptions.MAX_CONCURRENT_CHECKPOINTS, 1);
    if (config.checkpointDirectory() != null) {
      flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDirectory());
    }
    flink.set(PipelineOptions.GENERIC_TYPES, false);
    flink.set(PipelineOptions.OBJECT_REUSE, true);
    if (config.parallelism() != null) {
      flink.set(CoreOptions.DEFAULT_PARALLELISM, config.parallelism());
    }
    return flink;
  }

  /**
   * Exponential delay from 1 s to 1 min, at most {@link JobConfig#restartAttempts()} times; with 0
   * attempts, no restarts at all (Flink's exponential-delay strategy refuses 0 when the job
   * starts).
   */
  public static void applyProductionRestartStrategy(Configuration flink, JobConfig config) {
    if (config.restartAttempts() == 0) {
      flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
      return;
    }
    flink.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    flink.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
        Duration.ofSeconds(1));
    flink.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
        Duration.ofMinutes(1));
    flink.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
        config.restartAttempts());
  }
}
