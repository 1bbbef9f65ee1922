package org.edapipeline.localstack.services;

import java.time.Duration;
import java.util.Objects;

/**
 * How the simulated services behave.
 *
 * @param ordersPerSecond orders the order service places per second
 * @param stockOutRate share of orders the inventory service cannot reserve
 *     (InventoryReservationFailed)
 * @param paymentDeclineRate share of payments declined for good (PaymentFailed, permanent)
 * @param paymentTransientRate share of payment attempts failing transiently (PaymentFailed,
 *     transient, retried by the payment service after {@code paymentRetryDelay})
 * @param shipmentFailureRate share of shipments that fail (ShipmentFailed, permanent)
 * @param paymentMaxAttempts payment attempts before the payment service gives up; the saga job's
 *     {@code saga.retry.max-attempts}
 * @param paymentRetryDelay delay before a transiently failed payment is tried again
 * @param deliveryDelay time from dispatch to delivery
 * @param outages when which service is down
 */
public record ServiceSettings(
    double ordersPerSecond,
    double stockOutRate,
    double paymentDeclineRate,
    double paymentTransientRate,
    double shipmentFailureRate,
    int paymentMaxAttempts,
    Duration paymentRetryDelay,
    Duration deliveryDelay,
    OutageSchedule outages) {

  /** Chance that a payment retry succeeds; otherwise it fails transiently again. */
  public static final double RETRY_SUCCESS_RATE = 0.6;

  public ServiceSettings {
    if (!(ordersPerSecond > 0) || ordersPerSecond > 1000) {
      throw new IllegalArgumentException(
          "orders per second must be in (0, 1000]: " + ordersPerSecond);
    }
    Objects.requireNonNull(paymentRetryDelay, "paymentRetryDelay");
    Objects.requireNonNull(deliveryDelay, "deliveryDelay");
    Objects.requireNonNull(outages, "outages");
    if (paymentMaxAttempts < 1) {
      throw new IllegalArgumentException("payment attempts must be at least 1");
    }
    if (paymentDeclineRate + paymentTransientRate > 1) {
      throw new IllegalArgumentException(
          "payment decline rate + transient failure rate must not exceed 1");
    }
  }
}
