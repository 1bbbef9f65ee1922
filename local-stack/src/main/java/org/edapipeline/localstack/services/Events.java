package org.edapipeline.localstack.services;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.edapipeline.events.EventMetadata;

/**
 * Metadata of the events the simulated services write, as the catalogue prescribes: a fresh event
 * id, correlation id = order id, causation id = the event that caused it, and a W3C {@code
 * traceparent} that keeps the order's trace id and gets a new span id per hop.
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
    return EventMetadata.newBuilder()
        .setEventId(UUID.randomUUID())
        .setEventType(type)
        .setSchemaVersion(schemaVersion)
        .setAggregateType(aggregateType)
        .setAggregateId(aggregateId)
        .setCorrelationId(orderId)
        .setCausationId(causationId)
        .setOccurredAt(Instant.now())
        .setTraceparent(childSpan(parentTrace))
        .build();
  }

  /** A {@code traceparent} with the parent's trace id (or a new one) and a new span id. */
  static String childSpan(String parent) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String traceId =
        parent != null && parent.length() == 55
            ? parent.substring(3, 35)
            : hex(random.nextLong()) + hex(random.nextLong());
    return "00-" + traceId + "-" + hex(random.nextLong()) + "-01";
  }

  private static String hex(long value) {
    return String.format("%016x", value == 0 ? 1 : value);
  }
}
