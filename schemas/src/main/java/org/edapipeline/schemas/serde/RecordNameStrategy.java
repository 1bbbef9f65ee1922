package org.edapipeline.schemas.serde;

import org.apache.avro.Schema;

/**
 * The record's full name, e.g. {@code org.edapipeline.events.OrderPlaced}: one lineage per event
 * type, whatever topic it travels on. Needed when several event types share a topic, as on {@code
 * <aggregate>.events}.
 */
public final class RecordNameStrategy implements SubjectNameStrategy {
  private static final long serialVersionUID = 1L;

  @Override
  public String subjectName(String topic, boolean isKey, Schema schema) {
    return schema.getFullName();
  }
}
