package org.edapipeline.schemas.serde;

import org.apache.avro.Schema;

/**
 * {@code <topic>-key} / {@code <topic>-value}: one schema lineage per topic. The default; it suits
 * topics that carry one event type.
 */
public final class TopicNameStrategy implements SubjectNameStrategy {
  private static final long serialVersionUID = 1L;

  @Override
  public String subjectName(String topic, boolean isKey, Schema schema) {
    return topic + (isKey ? "-key" : "-value");
  }
}
