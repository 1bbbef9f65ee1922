package org.edapipeline.schemas;

/**
 * Names of the Kafka headers that carry an event's envelope next to its Avro value, so a consumer
 * can trace and dead-letter a record whose value does not even decode. The CDC source writes them
 * from the outbox row (Debezium's EventRouter places the event id in {@code id} by default); the
 * same values are inside the value's {@code EventMetadata}, which wins when both are present.
 * Values are UTF-8 strings.
 */
public final class EventHeaders {

  /** The event id (a UUID): Debezium EventRouter's default header for the outbox row's id. */
  public static final String EVENT_ID = "id";

  /** Simple name of the event type, e.g. {@code OrderPlaced}. */
  public static final String EVENT_TYPE = "eventType";

  /** Id shared by every event of one business flow. */
  public static final String CORRELATION_ID = "correlationId";

  /** Id of the event or command that caused this one. */
  public static final String CAUSATION_ID = "causationId";

  /** W3C trace context, e.g. {@code 00-<trace id>-<span id>-01}. */
  public static final String TRACEPARENT = "traceparent";

  private EventHeaders() {}
}
