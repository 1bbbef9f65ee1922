package org.edapipeline.service.outbox;

import org.apache.avro.Schema;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.serde.SubjectNameStrategy;

/**
 * Names subjects the way the topic catalogue says for the target topic ({@code
 * Topic.subjectNaming()}), so the outbox registers exactly the subjects consumers look up.
 */
final class CatalogueSubjectNameStrategy implements SubjectNameStrategy {
  private static final long serialVersionUID = 1L;

  @Override
  public String subjectName(String topic, boolean isKey, Schema schema) {
    if (isKey) {
      throw new IllegalArgumentException("Outbox keys are plain aggregate ids, not Avro");
    }
    return Topics.byName(topic)
        .orElseThrow(() -> new IllegalArgumentException("Topic not in the catalogue: " + topic))
        .subjectNaming()
        .valueSubject(topic, schema);
  }
}
