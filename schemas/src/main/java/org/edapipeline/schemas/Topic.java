package org.edapipeline.schemas;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A Kafka topic of the catalogue: its name, the type of its keys, the Avro record types its values
 * may have, and how it is created. Instances live in {@link Topics}; nothing else names a topic.
 *
 * @param name the topic name
 * @param keyType type of the record keys: {@code String} (UTF-8, the aggregate id) or {@code
 *     byte[]} (dead-letter queues keep the original key bytes)
 * @param valueTypes the generated Avro classes a value may be; more than one when several event
 *     types of one aggregate share the topic
 * @param partitions partition count to create the topic with
 * @param config topic-level configs to create the topic with, e.g. {@code cleanup.policy}
 * @param subjectNaming how the values' schema-registry subjects are named
 * @param <K> key type
 * @param <V> value type: the one record class, or their common supertype
 */
public record Topic<K, V>(
    String name,
    Class<K> keyType,
    List<Class<? extends V>> valueTypes,
    int partitions,
    Map<String, String> config,
    SubjectNaming subjectNaming) {

  /** Kafka's own rule for topic names. */
  private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(subjectNaming, "subjectNaming");
    if (!LEGAL_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Illegal Kafka topic name: " + name);
    }
    if (valueTypes.isEmpty()) {
      throw new IllegalArgumentException(name + ": a topic needs at least one value type");
    }
    if (valueTypes.size() > 1 && subjectNaming == SubjectNaming.TOPIC_NAME) {
      throw new IllegalArgumentException(
          name + ": several value types need one subject each, not TOPIC_NAME");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(name + ": partitions must be positive: " + partitions);
    }
    valueTypes = List.copyOf(valueTypes);
    config = Map.copyOf(config);
  }

  /** Whether Kafka keeps only the latest value per key (log compaction). */
  public boolean compacted() {
    return config
        .getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)
        .contains(TopicConfig.CLEANUP_POLICY_COMPACT);
  }

  /** Whether values of this type may be written to this topic. */
  public boolean carries(Class<?> valueType) {
    return valueTypes.contains(valueType);
  }

  /** The Avro schemas of the value types, in the order of {@link #valueTypes()}. */
  public List<Schema> valueSchemas() {
    return valueTypes.stream().map(type -> SpecificData.get().getSchema(type)).toList();
  }

  /**
   * The schema-registry subject for values of {@code valueType} on this topic.
   *
   * @throws IllegalArgumentException if this topic does not carry {@code valueType}
   */
  public String valueSubject(Class<? extends V> valueType) {
    if (!carries(valueType)) {
      throw new IllegalArgumentException(name + " does not carry " + valueType.getName());
    }
    return subjectNaming.valueSubject(name, SpecificData.get().getSchema(valueType));
  }

  @Override
  public String toString() {
    return name;
  }
}
