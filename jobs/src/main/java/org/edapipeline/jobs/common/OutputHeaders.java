package org.edapipeline.jobs.common;

import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.deadletter.DeadLetterHeaders;

/**
 * The {@link EventHeaders} of an output record, taken from its {@code metadata} (every event,
 * command and output of the catalogue has one; its {@code traceparent} is the output's own span,
 * derived where the output is built) or, for a {@link DeadLetter}, by {@link DeadLetterHeaders}
 * ({@code eventId}, {@code correlationId}, {@code causationId} and a {@code traceparent} that is a
 * child of the failed record's). The outbox writes the same headers on the services' events, so
 * every record in the pipeline can be traced, routed and deduped without decoding it. A value that
 * is null is left out, never written empty.
 */
public final class OutputHeaders {

  private OutputHeaders() {}

  /** The headers of {@code record}; empty for a record with neither metadata nor ids. */
  public static Headers of(SpecificRecord record) {
    if (record instanceof DeadLetter letter) {
      return DeadLetterHeaders.of(letter);
    }
    RecordHeaders headers = new RecordHeaders();
    Schema.Field field = record.getSchema().getField("metadata");
    if (field != null && record.get(field.pos()) instanceof EventMetadata metadata) {
      add(headers, EventHeaders.EVENT_ID, metadata.getEventId());
      add(headers, EventHeaders.EVENT_TYPE, metadata.getEventType());
      add(headers, EventHeaders.CORRELATION_ID, metadata.getCorrelationId());
      add(headers, EventHeaders.CAUSATION_ID, metadata.getCausationId());
      add(headers, EventHeaders.TRACEPARENT, metadata.getTraceparent());
    }
    return headers;
  }

  private static void add(Headers headers, String key, Object value) {
    if (value != null) {
      headers.add(key, value.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
