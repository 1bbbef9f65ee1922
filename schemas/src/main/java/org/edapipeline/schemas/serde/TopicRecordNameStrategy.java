package org.edapipeline.schemas.serde;

import org.apache.avro.Schema;

/**
 * {@code <topic>-<record full name>}: one lineage per event type and topic, for several types on a
 * topic whose evolution is governed per topic.
 */
public final class TopicRecordNameStrategy implements SubjectNameStrategy {
  private static final long serialVersionUID = 1L;

  @Override
  public String subjectName(String topic, boolean isKey, Schema schema) {
    return topic + "-" + schema.getFullName();
  }
}
