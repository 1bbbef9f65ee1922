package org.edapipeline.jobs.saga;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.edapipeline.jobs.saga.records.SagaEventType;
import org.edapipeline.jobs.saga.state.SagaSettings;

/**
 * Events of one test saga, with deterministic ids and times: the same call gives an equal event, so
 * a second call is a duplicate.
 */
public final class SagaTestEvents {

  /** occurredAt of every saga's OrderPlaced. */
  public static final long PLACED_AT = 1_700_000_000_000L;

  /** Short deadlines, distinct per step so a test can tell which one fired. */
  public static final SagaSettings SETTINGS =
      new SagaSettings(
          Duration.ofSeconds(10),
          Duration.ofSeconds(20),
          Duration.ofSeconds(30),
          Duration.ofSeconds(40),
          Duration.ofSeconds(50),
          Duration.ofSeconds(60),
          Duration.ofSeconds(100),
          3);

  public static final String JOB = "saga-test";
  public static final long AMOUNT = 63_600;
  public static final String CURRENCY = "EUR";

  private final String orderId;

  public SagaTestEvents(String orderId) {
    this.orderId = orderId;
  }

  public String orderId() {
    return orderId;
  }

  public String reservationId() {
    return "res-" + orderId;
  }

  public String paymentId() {
    return "pay-" + orderId;
  }

  public String shipmentId() {
    return "shp-" + orderId;
  }

  public SagaEvent placed() {
    SagaEvent e = event(SagaEventType.ORDER_PLACED, 0, "");
    e.amountMinor = AMOUNT;
    e.currency = CURRENCY;
    return e;
  }

  public SagaEvent confirmed() {
    return event(SagaEventType.ORDER_CONFIRMED, 2_500, "");
  }

  public SagaEvent cancelled() {
    SagaEvent e = event(SagaEventType.ORDER_CANCELLED, 1_500, "");
    e.reason = "CUSTOMER_REQUEST";
    return e;
  }

  public SagaEvent reserved() {
    SagaEvent e = event(SagaEventType.INVENTORY_RESERVED, 1_000, "");
    e.reservationId = reservationId();
    return e;
  }

  public SagaEvent inventoryFailed(boolean transientFailure, int n) {
    SagaEvent e = event(SagaEventType.INVENTORY_RESERVATION_FAILED, 900 + n, "#" + n);
    e.reason = transientFailure ? "WAREHOUSE_UNAVAILABLE" : "OUT_OF_STOCK";
    e.transientFailure = transientFailure;
    return e;
  }

  public SagaEvent released() {
    SagaEvent e = event(SagaEventType.INVENTORY_RELEASED, 9_000, "");
    e.reservationId = reservationId();
    e.reason = "COMPENSATION";
    return e;
  }

  public SagaEvent paid() {
    SagaEvent e = event(SagaEventType.PAYMENT_PROCESSED, 2_000, "");
    e.paymentId = paymentId();
    e.amountMinor = AMOUNT;
    e.currency = CURRENCY;
    return e;
  }

  public SagaEvent paymentFailed(boolean transientFailure, int attempt) {
    SagaEvent e = event(SagaEventType.PAYMENT_FAILED, 1_900 + attempt, "#" + attempt);
    e.paymentId = paymentId();
    e.amountMinor = AMOUNT;
    e.currency = CURRENCY;
    e.reason = transientFailure ? "GATEWAY_TIMEOUT" : "CARD_DECLINED";
    e.transientFailure = transientFailure;
    e.attempt = attempt;
    return e;
  }

  public SagaEvent refunded() {
    SagaEvent e = event(SagaEventType.PAYMENT_REFUNDED, 9_500, "");
    e.paymentId = paymentId();
    e.amountMinor = AMOUNT;
    e.currency = CURRENCY;
    e.reason = "COMPENSATION";
    return e;
  }

  public SagaEvent dispatched() {
    SagaEvent e = event(SagaEventType.SHIPMENT_DISPATCHED, 3_000, "");
    e.shipmentId = shipmentId();
    return e;
  }

  public SagaEvent shipmentFailed(boolean transientFailure, int attempt) {
    SagaEvent e = event(SagaEventType.SHIPMENT_FAILED, 2_900 + attempt, "#" + attempt);
    e.shipmentId = shipmentId();
    e.reason = transientFailure ? "CARRIER_UNAVAILABLE" : "ADDRESS_INVALID";
    e.transientFailure = transientFailure;
    e.attempt = attempt;
    return e;
  }

  public SagaEvent delivered() {
    SagaEvent e = event(SagaEventType.SHIPMENT_DELIVERED, 4_000, "");
    e.shipmentId = shipmentId();
    return e;
  }

  /** Every event of a saga that completes, in the order the services emit them. */
  public List<SagaEvent> successfulSaga() {
    return List.of(placed(), reserved(), paid(), confirmed(), dispatched(), delivered());
  }

  private SagaEvent event(SagaEventType type, long offsetMillis, String discriminator) {
    String id =
        UUID.nameUUIDFromBytes(
                (orderId + "/" + type + discriminator).getBytes(StandardCharsets.UTF_8))
            .toString();
    SagaEvent e = new SagaEvent(id, type, orderId, PLACED_AT + offsetMillis);
    e.traceparent = "00-" + id.replace("-", "") + "-00f067aa0ba902b7-01";
    return e;
  }
}
