package org.edapipeline.bench.kafka.saga;

import java.time.Duration;
import org.edapipeline.outputs.SagaStatus;

/**
 * The saga's deadlines and retry budget. The contender runs with {@link #DEFAULTS}, our job's
 * defaults ({@code saga.deadline.*}, {@code saga.retention}, {@code saga.retry.max-attempts}),
 * which the benchmark runs it with; tests shorten them.
 *
 * @param inventory STARTED: wait for the reservation
 * @param payment INVENTORY_RESERVED: wait for the payment
 * @param shipment PAYMENT_PROCESSED: wait for the dispatch
 * @param delivery SHIPPED: wait for the delivery
 * @param compensation COMPENSATING: wait for every acknowledgement
 * @param unknownSagaDeadline keep events of an order not seen yet
 * @param retentionPeriod keep a finished saga
 * @param maxAttempts failed attempts of a transiently failing step before compensating
 */
public record SagaDeadlines(
    Duration inventory,
    Duration payment,
    Duration shipment,
    Duration delivery,
    Duration compensation,
    Duration unknownSagaDeadline,
    Duration retentionPeriod,
    int maxAttempts) {

  /** Our saga job's defaults. */
  public static final SagaDeadlines DEFAULTS =
      new SagaDeadlines(
          Duration.ofMinutes(5),
          Duration.ofMinutes(5),
          Duration.ofHours(1),
          Duration.ofDays(7),
          Duration.ofMinutes(15),
          Duration.ofMinutes(15),
          Duration.ofDays(1),
          3);

  long of(SagaStatus status) {
    return switch (status) {
      case STARTED -> inventory.toMillis();
      case INVENTORY_RESERVED -> payment.toMillis();
      case PAYMENT_PROCESSED -> shipment.toMillis();
      case SHIPPED -> delivery.toMillis();
      case COMPENSATING -> compensation.toMillis();
      default -> throw new IllegalArgumentException("No deadline for " + status);
    };
  }

  long unknownSaga() {
    return unknownSagaDeadline.toMillis();
  }

  long retention() {
    return retentionPeriod.toMillis();
  }
}
