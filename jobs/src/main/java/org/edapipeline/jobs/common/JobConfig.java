package org.edapipeline.jobs.common;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.edapipeline.jobs.common.CommonOptions.SinkGuarantee;
import org.edapipeline.jobs.common.CommonOptions.StartingOffsets;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;

/**
 * The typed form of {@link CommonOptions}, parsed once at start: what the sources, sinks and the
 * environment of every job need. Serializable, so functions may hold it.
 *
 * @param jobName the job's name: default consumer group and transactional-id prefix, and the {@code
 *     jobName} of its dead letters
 * @param bootstrapServers Kafka bootstrap servers
 * @param groupId consumer group of the sources
 * @param transactionalIdPrefix prefix of the sinks' transactional ids
 * @param transactionTimeout producer {@code transaction.timeout.ms} of the exactly-once sinks
 * @param startingOffsets where sources start without a checkpoint
 * @param kafkaProperties pass-through Kafka client properties (security and tuning)
 * @param registry schema-registry client settings
 * @param autoRegisterSchemas whether sinks register their output schemas
 * @param checkpointInterval exactly-once checkpoint interval
 * @param checkpointTimeout checkpoint timeout
 * @param checkpointDirectory durable checkpoint storage; null for the cluster's
 * @param parallelism parallelism; null for the cluster's
 * @param dedupeTtl how long event ids are remembered
 * @param restartAttempts restarts before the job fails for good
 * @param retry how transient failures are retried before a record is dead-lettered
 * @param sinkGuarantee delivery guarantee of the Kafka sinks; null for {@code EXACTLY_ONCE}
 */
public record JobConfig(
    String jobName,
    String bootstrapServers,
    String groupId,
    String transactionalIdPrefix,
    Duration transactionTimeout,
    StartingOffsets startingOffsets,
    Map<String, String> kafkaProperties,
    SchemaRegistryClientConfig registry,
    boolean autoRegisterSchemas,
    Duration checkpointInterval,
    Duration checkpointTimeout,
    String checkpointDirectory,
    Integer parallelism,
    Duration dedupeTtl,
    int restartAttempts,
    RetrySettings retry,
    SinkGuarantee sinkGuarantee)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Options that have no default and must be given. */
  public static final List<ConfigOption<?>> REQUIRED =
      List.of(CommonOptions.KAFKA_BOOTSTRAP_SERVERS, CommonOptions.SCHEMA_REGISTRY_URL);

  public JobConfig {
    kafkaProperties = Map.copyOf(kafkaProperties);
    retry = retry == null ? RetrySettings.defaults() : retry;
    sinkGuarantee = sinkGuarantee == null ? SinkGuarantee.EXACTLY_ONCE : sinkGuarantee;
    requirePositive(checkpointInterval, CommonOptions.CHECKPOINT_INTERVAL);
    requirePositive(checkpointTimeout, CommonOptions.CHECKPOINT_TIMEOUT);
    requirePositive(transactionTimeout, CommonOptions.KAFKA_TRANSACTION_TIMEOUT);
    requirePositive(dedupeTtl, CommonOptions.DEDUPE_TTL);
    if (parallelism != null && parallelism < 1) {
      throw new JobConfigurationException(
          "--" + CommonOptions.PARALLELISM.key() + " must be positive: " + parallelism);
    }
    if (restartAttempts < 0) {
      throw new JobConfigurationException(
          "--" + CommonOptions.RESTART_ATTEMPTS.key() + " must not be negative");
    }
  }

  /**
   * The settings before retries and the sink guarantee were configurable, with {@link
   * RetrySettings#defaults()} and exactly-once sinks.
   */
  public JobConfig(
      String jobName,
      String bootstrapServers,
      String groupId,
      String transactionalIdPrefix,
      Duration transactionTimeout,
      StartingOffsets startingOffsets,
      Map<String, String> kafkaProperties,
      SchemaRegistryClientConfig registry,
      boolean autoRegisterSchemas,
      Duration checkpointInterval,
      Duration checkpointTimeout,
      String checkpointDirectory,
      Integer parallelism,
      Duration dedupeTtl,
      int restartAttempts) {
    this(
        jobName,
        bootstrapServers,
        groupId,
        transactionalIdPrefix,
        transactionTimeout,
        startingOffsets,
        kafkaProperties,
        registry,
        autoRegisterSchemas,
        checkpointInterval,
        checkpointTimeout,
        checkpointDirectory,
        parallelism,
        dedupeTtl,
        restartAttempts,
        RetrySettings.defaults(),
        SinkGuarantee.EXACTLY_ONCE);
  }

  /**
   * Reads the common options from a configuration parsed by {@link JobArguments}.
   *
   * @throws JobConfigurationException naming the key of a missing or invalid value
   */
  public static JobConfig from(Configuration config, String jobName) {
    Map<String, Object> registryProps =
        new HashMap<>(JobArguments.withPrefix(config, CommonOptions.REGISTRY_PROPERTIES_PREFIX));
    registryProps.put(
        SchemaRegistryClientConfig.URL, required(config, CommonOptions.SCHEMA_REGISTRY_URL));
    SchemaRegistryClientConfig registry;
    try {
      registry = SchemaRegistryClientConfig.fromMap(registryProps);
    } catch (RuntimeException e) {
      throw new JobConfigurationException(
          "Invalid schema registry settings (--"
              + CommonOptions.SCHEMA_REGISTRY_URL.key()
              + ", --"
              + CommonOptions.REGISTRY_PROPERTIES_PREFIX
              + "*): "
              + e.getMessage(),
          e);
    }
    return new JobConfig(
        jobName,
        required(config, CommonOptions.KAFKA_BOOTSTRAP_SERVERS),
        config.getOptional(CommonOptions.KAFKA_GROUP_ID).orElse(jobName),
        config.getOptional(CommonOptions.KAFKA_TRANSACTIONAL_ID_PREFIX).orElse(jobName),
        config.get(CommonOptions.KAFKA_TRANSACTION_TIMEOUT),
        config.get(CommonOptions.KAFKA_STARTING_OFFSETS),
        JobArguments.withPrefix(config, CommonOptions.KAFKA_PROPERTIES_PREFIX),
        registry,
        config.get(CommonOptions.SCHEMA_REGISTRY_AUTO_REGISTER),
        config.get(CommonOptions.CHECKPOINT_INTERVAL),
        config.get(CommonOptions.CHECKPOINT_TIMEOUT),
        config.getOptional(CommonOptions.CHECKPOINT_DIRECTORY).orElse(null),
        config.getOptional(CommonOptions.PARALLELISM).orElse(null),
        config.get(CommonOptions.DEDUPE_TTL),
        config.get(CommonOptions.RESTART_ATTEMPTS),
        RetrySettings.from(config),
        config.get(CommonOptions.KAFKA_SINK_GUARANTEE));
  }

  /** A copy with another name, consumer group and transactional-id prefix (e.g. per test run). */
  public JobConfig withInstanceName(String name) {
    return new JobConfig(
        jobName,
        bootstrapServers,
        name,
        name,
        transactionTimeout,
        startingOffsets,
        kafkaProperties,
        registry,
        autoRegisterSchemas,
        checkpointInterval,
        checkpointTimeout,
        checkpointDirectory,
        parallelism,
        dedupeTtl,
        restartAttempts,
        retry,
        sinkGuarantee);
  }

  /** Bootstrap servers plus the pass-through properties, for any Kafka client. */
  public Properties kafkaClientProperties() {
    Properties props = new Properties();
    props.putAll(kafkaProperties);
    props.setProperty("bootstrap.servers", bootstrapServers);
    return props;
  }

  /**
   * The record's fields, with the values of secret Kafka properties (keys containing {@code
   * password}, {@code sasl.jaas.config}, {@code ssl.keystore.key}) masked: this object may end up
   * in a log line or an exception message.
   */
  @Override
  public String toString() {
    Map<String, String> shown = new java.util.TreeMap<>();
    kafkaProperties.forEach((key, value) -> shown.put(key, isSecret(key) ? "******" : value));
    return "JobConfig[jobName="
        + jobName
        + ", bootstrapServers="
        + bootstrapServers
        + ", groupId="
        + groupId
        + ", transactionalIdPrefix="
        + transactionalIdPrefix
        + ", transactionTimeout="
        + transactionTimeout
        + ", startingOffsets="
        + startingOffsets
        + ", kafkaProperties="
        + shown
        + ", registry="
        + registry
        + ", autoRegisterSchemas="
        + autoRegisterSchemas
        + ", checkpointInterval="
        + checkpointInterval
        + ", checkpointTimeout="
        + checkpointTimeout
        + ", checkpointDirectory="
        + checkpointDirectory
        + ", parallelism="
        + parallelism
        + ", dedupeTtl="
        + dedupeTtl
        + ", restartAttempts="
        + restartAttempts
        + ", retry="
        + retry
        + ", sinkGuarantee="
        + sinkGuarantee
        + "]";
  }

  /** Whether a Kafka client property holds a secret. */
  static boolean isSecret(String key) {
    String lower = key.toLowerCase(java.util.Locale.ROOT);
    return lower.contains("password")
        || lower.endsWith("sasl.jaas.config")
        || lower.endsWith("ssl.keystore.key")
        || lower.endsWith("basic.auth.user.info");
  }

  private static String required(Configuration config, ConfigOption<String> option) {
    return config
        .getOptional(option)
        .filter(value -> !value.isBlank())
        .orElseThrow(
            () -> new JobConfigurationException("Missing required option --" + option.key()));
  }

  private static void requirePositive(Duration value, ConfigOption<Duration> option) {
    if (value.isNegative() || value.isZero()) {
      throw new JobConfigurationException("--" + option.key() + " must be positive: " + value);
    }
  }
}
