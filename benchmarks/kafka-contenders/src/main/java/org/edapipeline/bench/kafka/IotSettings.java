package org.edapipeline.bench.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.edapipeline.bench.contract.ContenderSpec;

/**
 * The IoT suite's spec, parsed once: a bad or missing key fails at start, naming the key.
 *
 * <p>Windows: tumbling windows of {@code window.size.ms} (1 min in the suite); with {@code
 * window=sliding} also hopping windows of {@link #HOP_SIZE} (our job's {@code iot.sliding.size},
 * which the suite keeps) advancing by {@code window.slide.ms} (default: one tumbling window). A
 * window closes once the event time seen reaches its end plus {@code out.of.orderness.ms}: Flink's
 * bounded-out-of-orderness watermark and Kafka Streams' grace period are the same bound.
 *
 * @param runId unique per run: application id, group id, transactional id
 * @param workDir the run's directory (state, logs)
 * @param bootstrapServers Kafka
 * @param registryUrl the schema registry
 * @param readingsTopic the input topic ({@code iot.readings})
 * @param aggregatesTopic the output topic ({@code iot.aggregates})
 * @param partitions partitions of the input topic
 * @param sliding whether the hopping windows run too
 * @param windowSize tumbling window size
 * @param hopSize hopping window size
 * @param hopAdvance hopping window advance
 * @param outOfOrderness the bound: watermark lag behind the largest event time, and the grace
 * @param commitInterval {@code commit.interval.ms} when the spec gives it
 */
public record IotSettings(
    String runId,
    Path workDir,
    String bootstrapServers,
    String registryUrl,
    String readingsTopic,
    String aggregatesTopic,
    int partitions,
    boolean sliding,
    Duration windowSize,
    Duration hopSize,
    Duration hopAdvance,
    Duration outOfOrderness,
    Optional<Duration> commitInterval) {

  /** Hopping window size: 5 min, our job's default {@code iot.sliding.size}. */
  public static final Duration HOP_SIZE = Duration.ofMinutes(5);

  /** Reads and checks the spec. */
  public static IotSettings from(ContenderSpec spec) {
    List<String> inputs = spec.getList(ContenderSpec.INPUT_TOPICS);
    List<String> outputs = spec.getList(ContenderSpec.OUTPUT_TOPICS);
    requireOne(ContenderSpec.INPUT_TOPICS, inputs);
    requireOne(ContenderSpec.OUTPUT_TOPICS, outputs);
    String window = spec.get(ContenderSpec.WINDOW);
    boolean sliding =
        switch (window) {
          case "tumbling" -> false;
          case "sliding" -> true;
          default ->
              throw new IllegalArgumentException(
                  "contender spec: key '"
                      + ContenderSpec.WINDOW
                      + "' must be tumbling or sliding, got '"
                      + window
                      + "'");
        };
    Duration size = positive(spec, ContenderSpec.WINDOW_SIZE_MS);
    Duration advance =
        spec.has(ContenderSpec.WINDOW_SLIDE_MS)
            ? positive(spec, ContenderSpec.WINDOW_SLIDE_MS)
            : size;
    if (sliding && HOP_SIZE.toMillis() % advance.toMillis() != 0) {
      throw new IllegalArgumentException(
          "contender spec: key '"
              + ContenderSpec.WINDOW_SLIDE_MS
              + "' must divide the "
              + HOP_SIZE
              + " hopping windows, got "
              + advance.toMillis());
    }
    Duration bound = Duration.ofMillis(spec.getLong(ContenderSpec.OUT_OF_ORDERNESS_MS));
    if (bound.isNegative()) {
      throw new IllegalArgumentException(
          "contender spec: key '" + ContenderSpec.OUT_OF_ORDERNESS_MS + "' must not be negative");
    }
    int partitions = spec.getInt(ContenderSpec.PARTITIONS);
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "contender spec: key '" + ContenderSpec.PARTITIONS + "' must be positive");
    }
    Optional<Duration> commit =
        spec.has(ContenderSpec.COMMIT_INTERVAL_MS)
            ? Optional.of(positive(spec, ContenderSpec.COMMIT_INTERVAL_MS))
            : Optional.empty();
    return new IotSettings(
        spec.get(ContenderSpec.RUN_ID),
        spec.workDir(),
        spec.get(ContenderSpec.BOOTSTRAP_SERVERS),
        spec.get(ContenderSpec.SCHEMA_REGISTRY_URL),
        inputs.get(0),
        outputs.get(0),
        partitions,
        sliding,
        size,
        HOP_SIZE,
        advance,
        bound,
        commit);
  }

  static void requireOne(String key, List<String> topics) {
    if (topics.size() != 1) {
      throw new IllegalArgumentException(
          "contender spec: key '" + key + "' must name exactly one topic, got " + topics);
    }
  }

  static Duration positive(ContenderSpec spec, String key) {
    long millis = spec.getLong(key);
    if (millis <= 0) {
      throw new IllegalArgumentException(
          "contender spec: key '" + key + "' must be positive, got " + millis);
    }
    return Duration.ofMillis(millis);
  }
}
