package org.edapipeline.schemas.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.DeadLetterHeader;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.trace.TraceContext;

/**
 * The Kafka headers of a dead-letter record, the same wherever it is written (the jobs, the CDC
 * source): {@code eventId} and {@code correlationId} of the failed record, {@code causationId} =
 * its event id (the record caused the letter), and a {@code traceparent} for the dead-lettering
 * hop: a child of the failed record's own {@code traceparent} (the last one in {@code
 * originalHeaders}), so the letter sits in the trace of what failed. Its span id is derived from
 * {@link #spanSeed the letter's provenance}, so a job that writes the letter again after a restore
 * writes the same header. A letter whose record had no valid traceparent starts a trace of its own.
 */
public final class DeadLetterHeaders {

  private DeadLetterHeaders() {}

  /** The headers of {@code letter}'s Kafka record; a null value is left out. */
  public static Headers of(DeadLetter letter) {
    RecordHeaders headers = new RecordHeaders();
    String eventId = letter.getEventId() == null ? null : letter.getEventId().toString();
    add(headers, EventHeaders.EVENT_ID, eventId);
    add(headers, EventHeaders.CORRELATION_ID, letter.getCorrelationId());
    add(headers, EventHeaders.CAUSATION_ID, eventId);
    add(headers, EventHeaders.TRACEPARENT, trace(letter).traceparent());
    return headers;
  }

  /** The dead-lettering hop's trace context: a child of the failed record's traceparent. */
  public static TraceContext trace(DeadLetter letter) {
    return TraceContext.childOf(originalTraceparent(letter), spanSeed(letter));
  }

  /** The failed record's {@code traceparent} header, or null if it had none. */
  public static String originalTraceparent(DeadLetter letter) {
    String traceparent = null;
    if (letter.getOriginalHeaders() != null) {
      for (DeadLetterHeader header : letter.getOriginalHeaders()) {
        if (EventHeaders.TRACEPARENT.equals(header.getKey()) && header.getValue() != null) {
          ByteBuffer value = header.getValue().duplicate();
          byte[] bytes = new byte[value.remaining()];
          value.get(bytes);
          traceparent = new String(bytes, StandardCharsets.UTF_8);
        }
      }
    }
    return traceparent;
  }

  /**
   * What identifies a dead letter: {@code dead-letter/<source topic>/<partition>/<offset>/<event
   * id>}. Two letters of one record (one per failing stage) are not expected; if a record is
   * replayed and fails again, its new offset gives the new letter a new span.
   */
  public static String spanSeed(DeadLetter letter) {
    return "dead-letter/"
        + letter.getSourceTopic()
        + '/'
        + letter.getSourcePartition()
        + '/'
        + letter.getSourceOffset()
        + '/'
        + letter.getEventId();
  }

  private static void add(Headers headers, String key, String value) {
    if (value != null) {
      headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
