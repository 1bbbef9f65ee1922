package org.edapipeline.bench.kafka.saga;

/** The twelve catalogue events the order saga watches. */
public enum SagaEventType {
  ORDER_PLACED,
  ORDER_CONFIRMED,
  ORDER_CANCELLED,
  INVENTORY_RESERVED,
  INVENTORY_RESERVATION_FAILED,
  INVENTORY_RELEASED,
  PAYMENT_PROCESSED,
  PAYMENT_FAILED,
  PAYMENT_REFUNDED,
  SHIPMENT_DISPATCHED,
  SHIPMENT_DELIVERED,
  SHIPMENT_FAILED;

  private static final SagaEventType[] VALUES = values();

  static SagaEventType of(int ordinal) {
    return VALUES[ordinal];
  }

  boolean isFailure() {
    return this == INVENTORY_RESERVATION_FAILED
        || this == PAYMENT_FAILED
        || this == SHIPMENT_FAILED;
  }
}
