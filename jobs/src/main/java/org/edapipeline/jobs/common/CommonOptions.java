package org.edapipeline.jobs.common;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options every job shares, given on the command line as {@code --key value}. Keys with the
 * prefixes {@link #KAFKA_PROPERTIES_PREFIX} and {@link #REGISTRY_PROPERTIES_PREFIX} are passed
 * through to the Kafka clients and the schema-registry client, so security (SASL_SSL, TLS, basic
 * auth) is configured by properties alone.
 */
public final class CommonOptions {

  /**
   * Prefix of Kafka client properties passed through unchanged to every source, sink and admin
   * client, e.g. {@code --kafka.properties.security.protocol SASL_SSL}.
   */
  public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

  /**
   * Prefix of schema-registry client properties, e.g. {@code --schema-registry.properties.
   * basic.auth.user.info user:secret}; the keys are those of {@code SchemaRegistryClientConfig}.
   */
  public static final String REGISTRY_PROPERTIES_PREFIX = "schema-registry.properties.";

  public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS =
      ConfigOptions.key("kafka.bootstrap-servers")
          .stringType()
          .noDefaultValue()
          .withDescription("Kafka bootstrap servers, host:port[,host:port...]. Required.");

  public static final ConfigOption<String> KAFKA_GROUP_ID =
      ConfigOptions.key("kafka.group-id")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Consumer group of the job's sources (offsets are committed on checkpoints for"
                  + " monitoring only; Flink's checkpoint is the source of truth). Default: the"
                  + " job's name.");

  public static final ConfigOption<String> KAFKA_TRANSACTIONAL_ID_PREFIX =
      ConfigOptions.key("kafka.transactional-id-prefix")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Prefix of the transactional ids of the job's exactly-once sinks; each sink appends"
                  + " its own name. Must be unique per running job. Default: the job's name.");

  public static final ConfigOption<Duration> KAFKA_TRANSACTION_TIMEOUT =
      ConfigOptions.key("kafka.transaction-timeout")
          .durationType()
          .defaultValue(Duration.ofMinutes(15))
          .withDescription(
              "Producer transaction.timeout.ms of the exactly-once sinks. Must exceed"
                  + " checkpoint.interval + checkpoint.timeout and must not exceed the broker's"
                  + " transaction.max.timeout.ms (checked at start).");

  public static final ConfigOption<StartingOffsets> KAFKA_STARTING_OFFSETS =
      ConfigOptions.key("kafka.starting-offsets")
          .enumType(StartingOffsets.class)
          .defaultValue(StartingOffsets.COMMITTED)
          .withDescription(
              "Where a source starts without a checkpoint: COMMITTED (the group's offsets,"
                  + " earliest if none) or EARLIEST.");

  public static final ConfigOption<SinkGuarantee> KAFKA_SINK_GUARANTEE =
      ConfigOptions.key("kafka.sink-guarantee")
          .enumType(SinkGuarantee.class)
          .defaultValue(SinkGuarantee.EXACTLY_ONCE)
          .withDescription(
              "Delivery guarantee of every Kafka sink: EXACTLY_ONCE (transactions committed on"
                  + " checkpoints) or AT_LEAST_ONCE (records flushed on checkpoints, visible at"
                  + " once, duplicated after a restore). AT_LEAST_ONCE exists to measure what"
                  + " the transactions cost (benchmarks); the jobs' guarantees assume"
                  + " EXACTLY_ONCE.");

  public static final ConfigOption<String> SCHEMA_REGISTRY_URL =
      ConfigOptions.key("schema-registry.url")
          .stringType()
          .noDefaultValue()
          .withDescription("Schema registry base URL(s), comma-separated. Required.");

  public static final ConfigOption<Boolean> SCHEMA_REGISTRY_AUTO_REGISTER =
      ConfigOptions.key("schema-registry.auto-register")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Whether sinks register their output schemas. Off in production, where schemas"
                  + " are registered by the build.");

  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      ConfigOptions.key("checkpoint.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription(
              "Exactly-once checkpoint interval; outputs become visible to read_committed"
                  + " consumers when a checkpoint completes.");

  public static final ConfigOption<Duration> CHECKPOINT_TIMEOUT =
      ConfigOptions.key("checkpoint.timeout")
          .durationType()
          .defaultValue(Duration.ofMinutes(5))
          .withDescription("A checkpoint not completed within this is aborted.");

  public static final ConfigOption<String> CHECKPOINT_DIRECTORY =
      ConfigOptions.key("checkpoint.directory")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Durable checkpoint storage URI, e.g. s3://bucket/checkpoints. Default: the"
                  + " cluster's execution.checkpointing.dir.");

  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOptions.key("parallelism")
          .intType()
          .noDefaultValue()
          .withDescription("Parallelism of every operator. Default: the cluster's.");

  public static final ConfigOption<Duration> DEDUPE_TTL =
      ConfigOptions.key("dedupe.ttl")
          .durationType()
          .defaultValue(Duration.ofDays(1))
          .withDescription(
              "How long an event id is remembered to drop redeliveries (processing time); longer"
                  + " than any replay window you expect.");

  public static final ConfigOption<Integer> RESTART_ATTEMPTS =
      ConfigOptions.key("restart.attempts")
          .intType()
          .defaultValue(10)
          .withDescription(
              "Restarts (exponential delay 1 s to 1 min) before the job fails for good; 0 for"
                  + " none.");

  public static final ConfigOption<Integer> RETRY_MAX_ATTEMPTS =
      ConfigOptions.key("retry.max-attempts")
          .intType()
          .defaultValue(3)
          .withDescription(
              "Attempts (the first included) at a transiently failing step, e.g. decoding while"
                  + " the schema registry is unreachable, before the record is dead-lettered as"
                  + " TRANSIENT.");

  public static final ConfigOption<Duration> RETRY_INITIAL_BACKOFF =
      ConfigOptions.key("retry.initial-backoff")
          .durationType()
          .defaultValue(Duration.ofSeconds(1))
          .withDescription(
              "Ceiling of the delay before the first retry; it doubles for each further retry"
                  + " (jitter: each delay is random in [3/4, 1] of its ceiling).");

  public static final ConfigOption<Duration> RETRY_MAX_BACKOFF =
      ConfigOptions.key("retry.max-backoff")
          .durationType()
          .defaultValue(Duration.ofSeconds(30))
          .withDescription("Cap of every retry delay.");

  public static final ConfigOption<Duration> RETRY_ATTEMPT_TIMEOUT =
      ConfigOptions.key("retry.attempt-timeout")
          .durationType()
          .defaultValue(Duration.ofSeconds(30))
          .withDescription("Time one attempt may take before it counts as failed transiently.");

  public static final ConfigOption<Integer> RETRY_CAPACITY =
      ConfigOptions.key("retry.capacity")
          .intType()
          .defaultValue(100)
          .withDescription(
              "Records in retry at once per subtask; when full, the retry stage back-pressures.");

  private static final List<ConfigOption<?>> ALL =
      List.of(
          KAFKA_BOOTSTRAP_SERVERS,
          KAFKA_GROUP_ID,
          KAFKA_TRANSACTIONAL_ID_PREFIX,
          KAFKA_TRANSACTION_TIMEOUT,
          KAFKA_STARTING_OFFSETS,
          KAFKA_SINK_GUARANTEE,
          SCHEMA_REGISTRY_URL,
          SCHEMA_REGISTRY_AUTO_REGISTER,
          CHECKPOINT_INTERVAL,
          CHECKPOINT_TIMEOUT,
          CHECKPOINT_DIRECTORY,
          PARALLELISM,
          DEDUPE_TTL,
          RESTART_ATTEMPTS,
          RETRY_MAX_ATTEMPTS,
          RETRY_INITIAL_BACKOFF,
          RETRY_MAX_BACKOFF,
          RETRY_ATTEMPT_TIMEOUT,
          RETRY_CAPACITY);

  private CommonOptions() {}

  /** Every option above, in a stable order (for parsing and documentation). */
  public static List<ConfigOption<?>> all() {
    return ALL;
  }

  /** Where a source starts when it has no checkpoint to restore. */
  public enum StartingOffsets {
    /** The consumer group's committed offsets, earliest where the group has none. */
    COMMITTED,
    /** The earliest offsets: re-reads the whole retained topic. */
    EARLIEST
  }

  /** The delivery guarantee of the jobs' Kafka sinks. */
  public enum SinkGuarantee {
    /** Kafka transactions committed when the checkpoint covering them completes. */
    EXACTLY_ONCE,
    /** Records flushed at every checkpoint, without transactions; a restore may repeat some. */
    AT_LEAST_ONCE
  }
}
