package org.edapipeline.bench.harness.cdc;

import java.time.Instant;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.order.OrderConfirmed;
import org.edapipeline.events.payment.PaymentProcessed;

/**
 * The CDC suite's outbox rows, the same content on every run: row {@code i} is an event of
 * aggregate {@code i % aggregates}, alternately an {@code OrderConfirmed} (to {@code order.events})
 * and a {@code PaymentProcessed} (to {@code payment.events}), with a fixed event id, occurred-at,
 * correlation and causation ids and a W3C {@code traceparent}, as a service would write it
 * (payloads of about 100 bytes in the Confluent wire format).
 *
 * <p>Event ids are derived from a namespace and the row number, so each phase of a run ({@code
 * namespace}) has its own ids and the latency phase's rows are told apart from the throughput
 * phase's by their {@code eventId} header.
 */
final class OutboxDataSet {

  private final long namespace;
  private final int aggregates;
  private final Instant occurredAt;

  /**
   * @param namespace distinguishes the rows of the two phases of a run
   * @param aggregates how many aggregates of each type the rows spread over
   * @param occurredAt the occurred-at of every row (fixed, so the payload bytes repeat)
   */
  OutboxDataSet(long namespace, int aggregates, Instant occurredAt) {
    this.namespace = namespace;
    this.aggregates = aggregates;
    this.occurredAt = occurredAt;
  }

  /** The event id of row {@code i}. */
  UUID eventId(long i) {
    return new UUID(namespace, i);
  }

  /** Row {@code i}'s event. */
  SpecificRecord event(long i) {
    String aggregateId = "agg-" + (i % aggregates);
    EventMetadata.Builder metadata =
        EventMetadata.newBuilder()
            .setEventId(eventId(i))
            .setSchemaVersion(1)
            .setAggregateId(aggregateId)
            .setCorrelationId("saga-" + aggregateId)
            .setCausationId("cause-" + i)
            .setOccurredAt(occurredAt)
            .setTraceparent(String.format("00-%032x-%016x-01", i + 1, i + 1));
    if (i % 2 == 0) {
      return OrderConfirmed.newBuilder()
          .setMetadata(metadata.setAggregateType("order").setEventType("OrderConfirmed").build())
          .setOrderId(aggregateId)
          .build();
    }
    return PaymentProcessed.newBuilder()
        .setMetadata(metadata.setAggregateType("payment").setEventType("PaymentProcessed").build())
        .setPaymentId(aggregateId)
        .setOrderId("order-" + aggregateId)
        .setAmountMinor(4_999)
        .setCurrency("EUR")
        .build();
  }
}
