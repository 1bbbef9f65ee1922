package org.edapipeline.bench.kafka.saga;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.schemas.Topics;

/**
 * The saga suite's spec, parsed once; a bad or missing key fails at start, naming it.
 *
 * @param runId application id
 * @param workDir the run's directory
 * @param bootstrapServers Kafka
 * @param registryUrl the schema registry
 * @param inputTopics the saga's event topics ({@code order.events}, {@code inventory.events}…)
 * @param stateTopic where status changes go ({@code saga.state}, found among {@code output.topics}
 *     through the topic catalogue)
 * @param commandsTopic where commands go ({@code saga.commands}, likewise)
 * @param partitions partitions of the input topics
 * @param commitInterval {@code commit.interval.ms} when the spec gives it
 */
public record SagaSettings(
    String runId,
    Path workDir,
    String bootstrapServers,
    String registryUrl,
    List<String> inputTopics,
    String stateTopic,
    String commandsTopic,
    int partitions,
    Optional<Duration> commitInterval) {

  /** Reads and checks the spec. */
  public static SagaSettings from(ContenderSpec spec) {
    List<String> outputs = spec.getList(ContenderSpec.OUTPUT_TOPICS);
    String state = null;
    String commands = null;
    for (String name : outputs) {
      if (name.equals(Topics.SAGA_STATE.name())) {
        state = name;
      } else if (name.equals(Topics.SAGA_COMMANDS.name())) {
        commands = name;
      } else {
        throw new IllegalArgumentException(
            "contender spec: key '"
                + ContenderSpec.OUTPUT_TOPICS
                + "' has '"
                + name
                + "', which is neither the saga's state nor its commands topic");
      }
    }
    if (state == null || commands == null) {
      throw new IllegalArgumentException(
          "contender spec: key '"
              + ContenderSpec.OUTPUT_TOPICS
              + "' must name the saga's state and commands topics, got "
              + outputs);
    }
    int partitions = spec.getInt(ContenderSpec.PARTITIONS);
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "contender spec: key '" + ContenderSpec.PARTITIONS + "' must be positive");
    }
    Optional<Duration> commit = Optional.empty();
    if (spec.has(ContenderSpec.COMMIT_INTERVAL_MS)) {
      long millis = spec.getLong(ContenderSpec.COMMIT_INTERVAL_MS);
      if (millis <= 0) {
        throw new IllegalArgumentException(
            "contender spec: key '" + ContenderSpec.COMMIT_INTERVAL_MS + "' must be positive");
      }
      commit = Optional.of(Duration.ofMillis(millis));
    }
    return new SagaSettings(
        spec.get(ContenderSpec.RUN_ID),
        spec.workDir(),
        spec.get(ContenderSpec.BOOTSTRAP_SERVERS),
        spec.get(ContenderSpec.SCHEMA_REGISTRY_URL),
        spec.getList(ContenderSpec.INPUT_TOPICS),
        state,
        commands,
        partitions,
        commit);
  }
}
