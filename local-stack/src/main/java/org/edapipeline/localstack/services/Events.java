package org.edapipeline.localstack.services;

import java.time.Instant;
import java.util.UUID;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.schemas.trace.TraceContext;

/**
 * Metadata of the events the simulated services write, as the catalogue prescribes: a fresh event
 * id, correlation id = order id, causation id = the event that caused it, and a W3C {@code
 * traceparent} that keeps the order's trace id and gets a new span id per hop ({@link
 * TraceContext#childOf}: a child of the cause's span, or the root of a new trace for an origin).
 */
public final class Events {

  /** Aggregate types, i.e. the outbox topics {@code <type>.events}. */
  public static final String ORDER = "order";

  public static final String INVENTORY = "inventory";
  public static final String PAYMENT = "payment";
  public static final String SHIPMENT = "shipment";

  private Events() {}

  /**
   * Metadata of a new event.
   *
   * @param type the event's record name, e.g. {@code OrderPlaced}
   * @param schemaVersion the version of the record's schema the producer writes
   * @param causationId the id of the event or command that caused it; null for an origin
   * @param parentTrace the cause's {@code traceparent}; null to start a new trace
   */
  public static EventMetadata metadata(
      String type,
      int schemaVersion,
      String aggregateType,
      String aggregateId,
      String orderId,
      String causationId,
      String parentTrace) {
    UUID eventId = UUID.randomUUID();
    return EventMetadata.newBuilder()
        .setEventId(eventId)
        .setEventType(type)
        .setSchemaVersion(schemaVersion)
        .setAggregateType(aggregateType)
        .setAggregateId(aggregateId)
        .setCorrelationId(orderId)
        .setCausationId(causationId)
        .setOccurredAt(Instant.now())
        .setTraceparent(TraceContext.childOf(parentTrace, eventId.toString()).traceparent())
        .build();
  }
}
