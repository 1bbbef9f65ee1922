package org.edapipeline.jobs.saga.records;

import java.util.Objects;
import org.edapipeline.jobs.common.RawRecord;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.trace.TraceContext;

/**
 * One event of the order saga, whatever service sent it: the flat input type the saga job keys by
 * {@link #orderId}. A Flink POJO (public no-argument constructor, public fields, no generic types),
 * so Flink serializes it with its {@code PojoSerializer}, never Kryo. Built from the catalogue's
 * Avro records by {@link SagaEventMapper}; fields that an event type does not carry keep their
 * defaults ({@code null}, {@code 0}, {@code false}).
 */
public class SagaEvent {

  /** {@code metadata.eventId}, as a string (a bare UUID would be a Kryo type in Flink). */
  public String eventId;

  /** Which catalogue event this is. */
  public SagaEventType type;

  /** The order id: the saga's correlation id and the job's key. */
  public String orderId;

  /** {@code metadata.occurredAt} in epoch milliseconds, in the producing service's clock. */
  public long occurredAt;

  /** {@code metadata.causationId}; null if the event had none. */
  public String causationId;

  /**
   * The trace context of the hop that delivered the event: the Kafka record's {@code traceparent}
   * header (the CDC publish's span) when it is valid, else {@code metadata.traceparent} (the
   * producing service's); null if neither. The saga's outputs are children of it.
   */
  public String traceparent;

  /** Reservation id of {@code InventoryReserved} and {@code InventoryReleased}. */
  public String reservationId;

  /** Payment id of the payment events. */
  public String paymentId;

  /** Shipment id of the shipment events. */
  public String shipmentId;

  /** Order total of {@code OrderPlaced}, amount of the payment events, in minor units. */
  public long amountMinor;

  /** ISO 4217 currency of {@link #amountMinor}. */
  public String currency;

  /** Reason of failures, cancellations, releases and refunds. */
  public String reason;

  /** Whether a failure event says the service will retry. */
  public boolean transientFailure;

  /** Which attempt a payment or shipment failure was, from 1; 0 when the event has none. */
  public int attempt;

  /** Topic the event was read from; null when unknown (e.g. built in a test). */
  public String sourceTopic;

  /** Partition the event was read from; -1 when unknown. */
  public int sourcePartition = -1;

  /** Offset the event was read from; -1 when unknown. */
  public long sourceOffset = -1;

  /**
   * The Kafka record the event was decoded from (bytes, headers, provenance), so that an event
   * reported as belonging to no known saga reaches the dead-letter queue as it was read. Kept only
   * while it may be needed: the state machine drops it once the saga has started. Null when
   * unknown. Not part of {@link #equals}: it says where the event came from, not what it says.
   */
  public RawRecord origin;

  /** For Flink's POJO serializer. */
  public SagaEvent() {}

  /** Creates an event with the fields every saga event has. */
  public SagaEvent(String eventId, SagaEventType type, String orderId, long occurredAt) {
    this.eventId = eventId;
    this.type = type;
    this.orderId = orderId;
    this.occurredAt = occurredAt;
  }

  /** Records where the event was read from, for dead letters; returns this event. */
  public SagaEvent withSource(String topic, int partition, long offset) {
    this.sourceTopic = topic;
    this.sourcePartition = partition;
    this.sourceOffset = offset;
    return this;
  }

  /**
   * Records the Kafka record the event was decoded from, and its provenance; takes the record's
   * {@code traceparent} header as the event's trace context if it is valid. Returns this event.
   */
  public SagaEvent withOrigin(RawRecord record) {
    this.origin = record;
    if (record == null) {
      return this;
    }
    // The record's header is the latest hop (the CDC publish, a child of the payload's span).
    String delivered = record.header(EventHeaders.TRACEPARENT);
    if (TraceContext.parse(delivered) != null) {
      this.traceparent = delivered;
    }
    return withSource(record.topic, record.partition, record.offset);
  }

  /** The topic the event was read from, or the topic its type arrives on when unknown. */
  public String sourceTopicOrDefault() {
    return sourceTopic != null ? sourceTopic : type.topic().name();
  }

  /** Whether this is a failure event that may announce a retry. */
  public boolean isFailure() {
    return type == SagaEventType.INVENTORY_RESERVATION_FAILED
        || type == SagaEventType.PAYMENT_FAILED
        || type == SagaEventType.SHIPMENT_FAILED;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SagaEvent e)) {
      return false;
    }
    return occurredAt == e.occurredAt
        && amountMinor == e.amountMinor
        && transientFailure == e.transientFailure
        && attempt == e.attempt
        && sourcePartition == e.sourcePartition
        && sourceOffset == e.sourceOffset
        && Objects.equals(eventId, e.eventId)
        && type == e.type
        && Objects.equals(orderId, e.orderId)
        && Objects.equals(causationId, e.causationId)
        && Objects.equals(traceparent, e.traceparent)
        && Objects.equals(reservationId, e.reservationId)
        && Objects.equals(paymentId, e.paymentId)
        && Objects.equals(shipmentId, e.shipmentId)
        && Objects.equals(currency, e.currency)
        && Objects.equals(reason, e.reason)
        && Objects.equals(sourceTopic, e.sourceTopic);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventId, type, orderId, occurredAt);
  }

  @Override
  public String toString() {
    return type
        + "{eventId="
        + eventId
        + ", orderId="
        + orderId
        + ", occurredAt="
        + occurredAt
        + (reason != null ? ", reason=" + reason : "")
        + (isFailure() ? ", transient=" + transientFailure + ", attempt=" + attempt : "")
        + "}";
  }
}
