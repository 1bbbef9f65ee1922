package org.edapipeline.schemas;

/**
 * Names of the Kafka headers every outbox event carries, written by the CDC outbox source from the
 * outbox row's columns and read by the Flink jobs. Values are UTF-8 strings; a header whose column
 * is NULL (no causation, not traced) is absent, never empty.
 *
 * <p>The same values are inside the event's {@code metadata}; the headers let a consumer dedupe,
 * route, trace and dead-letter a record without decoding its Avro body.
 */
public final class EventHeaders {

  /** {@code metadata.eventId}: the outbox row's id, a UUID; consumers dedupe on it. */
  public static final String EVENT_ID = "eventId";

  /** {@code metadata.eventType}: the outbox row's type, e.g. {@code OrderPlaced}. */
  public static final String EVENT_TYPE = "eventType";

  /** {@code metadata.correlationId}: shared by every event of one business flow. */
  public static final String CORRELATION_ID = "correlationId";

  /** {@code metadata.causationId}: the event or command that caused this one; absent if none. */
  public static final String CAUSATION_ID = "causationId";

  /** W3C trace context ({@code traceparent}) of the producing hop; absent if not traced. */
  public static final String TRACEPARENT = "traceparent";

  /**
   * How many times the dlq tool has re-published this record from its dead-letter queue, a decimal
   * number; absent on a record never replayed. Jobs and services copy it into a new dead letter
   * with the other headers, so the tool can refuse to replay a record past its maximum (a loop).
   */
  public static final String REPLAY_COUNT = "dlqReplayCount";

  private EventHeaders() {}
}
