package org.edapipeline.jobs.iot;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.edapipeline.jobs.common.CommonOptions;
import org.edapipeline.jobs.common.JobArguments;
import org.edapipeline.jobs.common.JobConfig;
import org.edapipeline.jobs.common.JobConfigurationException;

/**
 * The IoT job's configuration, typed and checked once at start.
 *
 * @param common the options every job shares
 * @param windowSize tumbling window (and slice) size
 * @param slidingSize sliding window size
 * @param slidingSlide sliding window slide
 * @param allowedLateness how long a window accepts corrections
 * @param outOfOrderness bounded out-of-orderness of the watermarks
 * @param idleness partition idleness timeout
 * @param maxFutureSkew how far after its Kafka timestamp a reading may be measured
 * @param registrationGrace how long a reading of an unknown device waits for its registration
 * @param alertConsecutiveWindows breaching windows in a row before a threshold alert
 * @param silenceIntervals silent reporting intervals before a silence alert
 * @param slidingEnabled whether the sliding windows run (the tumbling ones always do)
 */
public record IotJobConfig(
    JobConfig common,
    Duration windowSize,
    Duration slidingSize,
    Duration slidingSlide,
    Duration allowedLateness,
    Duration outOfOrderness,
    Duration idleness,
    Duration maxFutureSkew,
    Duration registrationGrace,
    int alertConsecutiveWindows,
    int silenceIntervals,
    boolean slidingEnabled)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public IotJobConfig {
    requireMultiple(slidingSize, windowSize, IotOptions.SLIDING_SIZE);
    requireMultiple(slidingSlide, windowSize, IotOptions.SLIDING_SLIDE);
    if (slidingSlide.compareTo(slidingSize) > 0) {
      throw new JobConfigurationException(
          "--"
              + IotOptions.SLIDING_SLIDE.key()
              + " must not exceed --"
              + IotOptions.SLIDING_SIZE.key());
    }
    if (allowedLateness.isNegative()) {
      throw new JobConfigurationException(
          "--" + IotOptions.ALLOWED_LATENESS.key() + " must not be negative");
    }
    if (alertConsecutiveWindows < 1) {
      throw new JobConfigurationException(
          "--" + IotOptions.ALERT_CONSECUTIVE_WINDOWS.key() + " must be at least 1");
    }
    if (silenceIntervals < 1) {
      throw new JobConfigurationException(
          "--" + IotOptions.SILENCE_INTERVALS.key() + " must be at least 1");
    }
  }

  /** Every option the job accepts. */
  public static List<ConfigOption<?>> options() {
    List<ConfigOption<?>> options = new ArrayList<>(CommonOptions.all());
    options.addAll(IotOptions.all());
    return options;
  }

  /**
   * Parses {@code --key value} arguments.
   *
   * @throws JobConfigurationException naming the key of an unknown, missing or invalid option
   */
  public static IotJobConfig parse(String[] args) {
    return from(JobArguments.parse(args, options(), JobConfig.REQUIRED));
  }

  /** Reads an already parsed configuration. */
  public static IotJobConfig from(Configuration config) {
    return new IotJobConfig(
        JobConfig.from(config, IotAggregationJob.JOB_NAME),
        config.get(IotOptions.WINDOW_SIZE),
        config.get(IotOptions.SLIDING_SIZE),
        config.get(IotOptions.SLIDING_SLIDE),
        config.get(IotOptions.ALLOWED_LATENESS),
        config.get(IotOptions.OUT_OF_ORDERNESS),
        config.get(IotOptions.IDLENESS),
        config.get(IotOptions.MAX_FUTURE_SKEW),
        config.get(IotOptions.REGISTRATION_GRACE),
        config.get(IotOptions.ALERT_CONSECUTIVE_WINDOWS),
        config.get(IotOptions.SILENCE_INTERVALS),
        config.get(IotOptions.SLIDING_ENABLED));
  }

  private static void requireMultiple(
      Duration value, Duration unit, ConfigOption<Duration> option) {
    if (value.isZero()
        || value.isNegative()
        || unit.isZero()
        || unit.isNegative()
        || value.toMillis() % unit.toMillis() != 0) {
      throw new JobConfigurationException(
          "--"
              + option.key()
              + " = "
              + value
              + " must be a positive multiple of --"
              + IotOptions.WINDOW_SIZE.key()
              + " = "
              + unit);
    }
  }
}
