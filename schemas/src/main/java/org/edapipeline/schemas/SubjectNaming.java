package org.edapipeline.schemas;

import org.apache.avro.Schema;

/**
 * How the schema-registry subject of a topic's values is named; the same rules as Confluent's
 * subject name strategies of the same names, so other clients find the same subjects.
 */
public enum SubjectNaming {
  /**
   * {@code <topic>-value} (Confluent's {@code TopicNameStrategy}): one record type per topic, the
   * registry checks each new version against the topic's earlier ones.
   */
  TOPIC_NAME,

  /**
   * {@code <topic>-<record full name>} (Confluent's {@code TopicRecordNameStrategy}): several
   * record types share a topic, each evolving on its own subject.
   */
  TOPIC_RECORD_NAME;

  /** The subject under which values of {@code valueSchema} written to {@code topic} register. */
  public String valueSubject(String topic, Schema valueSchema) {
    return switch (this) {
      case TOPIC_NAME -> topic + "-value";
      case TOPIC_RECORD_NAME -> topic + "-" + valueSchema.getFullName();
    };
  }
}
