package org.edapipeline.schemas.serde;

import java.io.Serializable;
import org.apache.avro.Schema;

/**
 * Chooses the registry subject a schema is registered and looked up under, as Confluent's
 * strategies of the same names do.
 *
 * @see TopicNameStrategy
 * @see RecordNameStrategy
 * @see TopicRecordNameStrategy
 */
@FunctionalInterface
public interface SubjectNameStrategy extends Serializable {

  /**
   * @param topic the Kafka topic
   * @param isKey whether the schema is the record key's
   * @param schema the value's (or key's) schema
   */
  String subjectName(String topic, boolean isKey, Schema schema);

  /**
   * Resolves a strategy from a configuration value: a simple name ({@code TopicNameStrategy}), our
   * class name, or Confluent's ({@code io.confluent.kafka.serializers.subject.*}), so Confluent
   * configurations work unchanged.
   *
   * @throws IllegalArgumentException if the name is not one of the three strategies
   */
  static SubjectNameStrategy forName(String name) {
    String simple = name.substring(name.lastIndexOf('.') + 1).trim();
    switch (simple) {
      case "TopicNameStrategy":
        return new TopicNameStrategy();
      case "RecordNameStrategy":
        return new RecordNameStrategy();
      case "TopicRecordNameStrategy":
        return new TopicRecordNameStrategy();
      default:
        throw new IllegalArgumentException("Unknown subject name strategy: " + name);
    }
  }
}
