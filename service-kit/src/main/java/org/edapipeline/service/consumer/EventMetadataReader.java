package org.edapipeline.service.consumer;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.schemas.deadletter.RecordRejection;

/**
 * Reads the {@code metadata} envelope every catalogue event and command starts with. The payload's
 * {@code metadata.eventId} is what the consumer dedupes on: it is there for every producer (the
 * outbox and the Flink jobs alike), whereas headers depend on who wrote the record.
 */
final class EventMetadataReader {

  static final String METADATA_FIELD = "metadata";

  private EventMetadataReader() {}

  /**
   * @throws MissingEventIdException if the record has no {@code metadata} of type {@link
   *     EventMetadata} or its event id is null
   */
  static EventMetadata read(SpecificRecord value) {
    Schema.Field field = value.getSchema().getField(METADATA_FIELD);
    Object metadata = field == null ? null : value.get(field.pos());
    if (!(metadata instanceof EventMetadata envelope) || envelope.getEventId() == null) {
      throw new MissingEventIdException(
          value.getSchema().getFullName()
              + " has no "
              + METADATA_FIELD
              + ".eventId to deduplicate on");
    }
    return envelope;
  }

  /**
   * A decoded record without an event id: it cannot be processed idempotently. A {@link
   * RecordRejection}, so its dead letter is {@code PERMANENT}: the bytes decode, the record breaks
   * the consumer's rule.
   */
  static final class MissingEventIdException extends RuntimeException implements RecordRejection {
    private static final long serialVersionUID = 1L;

    MissingEventIdException(String message) {
      super(message);
    }
  }
}
