package org.edapipeline.jobs.saga;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.edapipeline.jobs.common.CommonOptions;
import org.edapipeline.jobs.common.JobArguments;
import org.edapipeline.jobs.common.JobConfig;
import org.edapipeline.jobs.common.JobConfigurationException;
import org.edapipeline.jobs.common.TracingFactory;
import org.edapipeline.jobs.common.TracingOptions;
import org.edapipeline.jobs.saga.state.SagaSettings;

/**
 * The saga job's configuration, typed and checked once at start.
 *
 * @param common the options every job shares
 * @param settings the saga's deadlines, retention and retry budget ({@link SagaOptions})
 * @param dedupeTtl how long event ids are remembered ({@code saga.dedupe.ttl}); at least the
 *     retention
 * @param tracing the spans of the saga steps ({@link TracingOptions}); off unless an endpoint is
 *     configured
 */
public record SagaJobConfig(
    JobConfig common, SagaSettings settings, Duration dedupeTtl, TracingFactory tracing)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public SagaJobConfig {
    Objects.requireNonNull(common, "common");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(dedupeTtl, "dedupeTtl");
    Objects.requireNonNull(tracing, "tracing");
  }

  /** A configuration without tracing. */
  public SagaJobConfig(JobConfig common, SagaSettings settings, Duration dedupeTtl) {
    this(common, settings, dedupeTtl, TracingFactory.disabled());
  }

  /** This configuration with other tracing, e.g. an in-memory exporter in a test. */
  public SagaJobConfig withTracing(TracingFactory other) {
    return new SagaJobConfig(common, settings, dedupeTtl, other);
  }

  /**
   * Every option the job accepts: the common ones except {@code dedupe.ttl}, which the saga
   * replaces with {@code saga.dedupe.ttl} (it must outlast the retention), so giving the common key
   * fails at start instead of being silently ignored.
   */
  public static List<ConfigOption<?>> options() {
    List<ConfigOption<?>> options = new ArrayList<>(CommonOptions.all());
    options.remove(CommonOptions.DEDUPE_TTL);
    options.addAll(SagaOptions.all());
    options.addAll(TracingOptions.all());
    return options;
  }

  /**
   * Parses {@code --key value} arguments.
   *
   * @throws JobConfigurationException naming the key of an unknown, missing or invalid option
   */
  public static SagaJobConfig parse(String[] args) {
    return from(JobArguments.parse(args, options(), JobConfig.REQUIRED));
  }

  /**
   * Reads an already parsed configuration.
   *
   * @throws JobConfigurationException naming the key of a missing or invalid value
   */
  public static SagaJobConfig from(Configuration config) {
    JobConfig common = JobConfig.from(config, SagaCorrelationJob.JOB_NAME);
    try {
      return new SagaJobConfig(
          common,
          SagaOptions.settings(config),
          SagaOptions.dedupeTtl(config),
          TracingOptions.factory(config, common.jobName()));
    } catch (IllegalConfigurationException e) {
      throw new JobConfigurationException("--" + e.getMessage(), e);
    }
  }
}
