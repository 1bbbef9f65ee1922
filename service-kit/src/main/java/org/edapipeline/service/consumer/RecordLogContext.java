package org.edapipeline.service.consumer;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.deadletter.DeadLetterHeaders;
import org.edapipeline.schemas.trace.EventLogContext;
import org.edapipeline.schemas.trace.TraceContext;

/**
 * The logging context ({@link EventLogContext}: {@code event_id}, {@code correlation_id}, {@code
 * trace_id}, {@code span_id} in the MDC) of the record the consumer is working on, at each stage:
 *
 * <ul>
 *   <li>as read, before decoding: the {@link EventHeaders} the CDC source writes, if present;
 *   <li>decoded: {@code metadata.eventId} and {@code metadata.correlationId}, and the trace of the
 *       record's {@code traceparent} header (the hop that delivered it) or, when it has no valid
 *       one, {@code metadata.traceparent};
 *   <li>dead-lettered: the letter's ids and the dead-lettering hop's trace ({@link
 *       DeadLetterHeaders#trace}), as the jobs log their dead letters.
 * </ul>
 *
 * {@link #open} starts the record's context, which the caller closes once, when the record is done;
 * the other methods switch it to the next stage by replacing the four keys.
 */
final class RecordLogContext {

  private RecordLogContext() {}

  /** Opens the context of a record as read (not decoded yet): its header ids, if any. */
  static EventLogContext open(ConsumerRecord<byte[], byte[]> record) {
    return EventLogContext.open(
        header(record, EventHeaders.EVENT_ID),
        header(record, EventHeaders.CORRELATION_ID),
        header(record, EventHeaders.TRACEPARENT));
  }

  /** Switches to the context of the record decoded. */
  static void enterDecoded(DecodedRecord<?> record, EventMetadata metadata) {
    TraceContext delivered = TraceContext.parse(header(record.source(), EventHeaders.TRACEPARENT));
    EventLogContext.open(
        record.eventId().toString(),
        record.correlationId(),
        delivered != null ? delivered : TraceContext.parse(metadata.getTraceparent()));
  }

  /** Switches to the context of the record's dead letter. */
  static void enterDeadLetter(DeadLetter letter) {
    EventLogContext.open(
        letter.getEventId() == null ? null : letter.getEventId().toString(),
        letter.getCorrelationId(),
        DeadLetterHeaders.trace(letter));
  }

  /** The last value of header {@code name} as UTF-8, or null if absent or empty. */
  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    if (header == null || header.value() == null || header.value().length == 0) {
      return null;
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
