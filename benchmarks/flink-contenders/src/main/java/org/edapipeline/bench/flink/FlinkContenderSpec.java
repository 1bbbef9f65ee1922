package org.edapipeline.bench.flink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.edapipeline.bench.contract.ContenderSpec;

/**
 * The part of a {@link ContenderSpec} the Flink contenders use, read and checked once at start: a
 * missing or malformed key fails naming it, before anything is started.
 *
 * @param runId unique per run: consumer group and transactional-id prefix
 * @param workDir the run's directory: checkpoints, logs, the metrics file
 * @param bootstrapServers Kafka bootstrap servers
 * @param registryUrl schema registry URL
 * @param inputTopics the topics the harness loaded
 * @param outputTopics the topics the harness counts
 * @param parallelism {@code partitions}: one subtask per input partition
 * @param checkpointInterval {@code checkpoint.interval.ms}
 * @param stateBackend {@code state.backend}, default RocksDB
 * @param delivery {@code delivery}, default exactly-once
 * @param window {@code window}, default tumbling (IoT contenders only)
 * @param windowSize {@code window.size.ms}: the tumbling window, default 1 min
 * @param windowSlide {@code window.slide.ms}: the slide of the 5-minute sliding windows, default 1
 *     min
 * @param outOfOrderness {@code out.of.orderness.ms}: the watermark bound, default 10 s (ours)
 */
public record FlinkContenderSpec(
    String runId,
    Path workDir,
    String bootstrapServers,
    String registryUrl,
    List<String> inputTopics,
    List<String> outputTopics,
    int parallelism,
    Duration checkpointInterval,
    StateBackend stateBackend,
    Delivery delivery,
    Window window,
    Duration windowSize,
    Duration windowSlide,
    Duration outOfOrderness) {

  /** Size of the sliding windows (the job's default; the spec carries only their slide). */
  public static final Duration SLIDING_SIZE = Duration.ofMinutes(5);

  /** {@code state.backend}. */
  public enum StateBackend {
    ROCKSDB,
    HASHMAP
  }

  /** {@code delivery}. */
  public enum Delivery {
    EXACTLY_ONCE,
    AT_LEAST_ONCE
  }

  /** {@code window}: tumbling windows only, or tumbling and sliding ones. */
  public enum Window {
    TUMBLING,
    SLIDING
  }

  public FlinkContenderSpec {
    if (parallelism < 1) {
      throw new IllegalArgumentException(
          "contender spec: '" + ContenderSpec.PARTITIONS + "' must be positive: " + parallelism);
    }
    requirePositive(checkpointInterval, ContenderSpec.CHECKPOINT_INTERVAL_MS);
    requirePositive(windowSize, ContenderSpec.WINDOW_SIZE_MS);
    requirePositive(windowSlide, ContenderSpec.WINDOW_SLIDE_MS);
    if (outOfOrderness.isNegative()) {
      throw new IllegalArgumentException(
          "contender spec: '" + ContenderSpec.OUT_OF_ORDERNESS_MS + "' must not be negative");
    }
  }

  /** Reads the spec file given as the contender's first argument. */
  public static FlinkContenderSpec fromArgs(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: <main class> <spec file>");
    }
    return of(ContenderSpec.load(Path.of(args[0])));
  }

  /** Reads and checks the keys the Flink contenders use. */
  public static FlinkContenderSpec of(ContenderSpec spec) {
    return new FlinkContenderSpec(
        spec.get(ContenderSpec.RUN_ID),
        spec.workDir(),
        spec.get(ContenderSpec.BOOTSTRAP_SERVERS),
        spec.get(ContenderSpec.SCHEMA_REGISTRY_URL),
        spec.getList(ContenderSpec.INPUT_TOPICS),
        spec.getList(ContenderSpec.OUTPUT_TOPICS),
        spec.getInt(ContenderSpec.PARTITIONS),
        Duration.ofMillis(spec.getLong(ContenderSpec.CHECKPOINT_INTERVAL_MS)),
        choice(spec, ContenderSpec.STATE_BACKEND, StateBackend.class, StateBackend.ROCKSDB),
        choice(spec, ContenderSpec.DELIVERY, Delivery.class, Delivery.EXACTLY_ONCE),
        choice(spec, ContenderSpec.WINDOW, Window.class, Window.TUMBLING),
        millis(spec, ContenderSpec.WINDOW_SIZE_MS, Duration.ofMinutes(1)),
        millis(spec, ContenderSpec.WINDOW_SLIDE_MS, Duration.ofMinutes(1)),
        millis(spec, ContenderSpec.OUT_OF_ORDERNESS_MS, Duration.ofSeconds(10)));
  }

  /**
   * Fails naming the key unless every topic the contender reads (or writes) is in the spec's list:
   * the contenders use the catalogue's names, the spec must agree.
   */
  public void requireTopics(String key, List<String> listed, List<String> needed) {
    if (!listed.containsAll(needed)) {
      throw new IllegalArgumentException(
          "contender spec: '" + key + "' = " + listed + " must contain " + needed);
    }
  }

  private static <E extends Enum<E>> E choice(
      ContenderSpec spec, String key, Class<E> type, E fallback) {
    if (!spec.has(key)) {
      return fallback;
    }
    String value = spec.get(key);
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "contender spec: key '"
              + key
              + "' must be one of "
              + List.of(type.getEnumConstants()).stream()
                  .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                  .toList()
              + ", got '"
              + value
              + "'",
          e);
    }
  }

  private static Duration millis(ContenderSpec spec, String key, Duration fallback) {
    return spec.has(key) ? Duration.ofMillis(spec.getLong(key)) : fallback;
  }

  private static void requirePositive(Duration value, String key) {
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(
          "contender spec: '" + key + "' must be positive: " + value.toMillis());
    }
  }
}
