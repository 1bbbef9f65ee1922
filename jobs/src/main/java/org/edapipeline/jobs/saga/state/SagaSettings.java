package org.edapipeline.jobs.saga.state;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.edapipeline.outputs.SagaStatus;

/**
 * The saga's deadlines and retry budget, parsed and checked once. Deadlines are processing-time
 * durations counted from the moment the job saw the saga enter a status (see the README's "Saga
 * correlation" section for why).
 *
 * @param inventoryDeadline STARTED: wait this long for the inventory reservation
 * @param paymentDeadline INVENTORY_RESERVED: wait this long for the payment
 * @param shipmentDeadline PAYMENT_PROCESSED: wait this long for the dispatch
 * @param deliveryDeadline SHIPPED: wait this long for the delivery
 * @param compensationDeadline COMPENSATING: wait this long for every compensation to be
 *     acknowledged before COMPENSATION_FAILED
 * @param unknownSagaDeadline events of a saga whose OrderPlaced was not seen are kept this long,
 *     then reported as dead letters
 * @param retention a finished saga's state is kept this long (to recognise late events), then
 *     cleared
 * @param maxAttempts a step whose failures are transient is given up after this many failed
 *     attempts
 * @param backlogTolerance how far behind its input (processing time minus the events' {@code
 *     occurredAt}) a subtask may be before a due deadline is postponed instead of applied (see
 *     {@code SagaCorrelationFunction}, "Deadlines behind a backlog")
 */
public record SagaSettings(
    Duration inventoryDeadline,
    Duration paymentDeadline,
    Duration shipmentDeadline,
    Duration deliveryDeadline,
    Duration compensationDeadline,
    Duration unknownSagaDeadline,
    Duration retention,
    int maxAttempts,
    Duration backlogTolerance)
    implements Serializable {

  /** Default of {@link #backlogTolerance()}: well above clock skew and a checkpoint's pause. */
  public static final Duration DEFAULT_BACKLOG_TOLERANCE = Duration.ofSeconds(10);

  /** Defaults: minutes for the services' steps, days for the carrier. */
  public static final SagaSettings DEFAULTS =
      new SagaSettings(
          Duration.ofMinutes(5),
          Duration.ofMinutes(5),
          Duration.ofHours(1),
          Duration.ofDays(7),
          Duration.ofMinutes(15),
          Duration.ofMinutes(15),
          Duration.ofDays(1),
          3,
          DEFAULT_BACKLOG_TOLERANCE);

  /** Checks every value. */
  public SagaSettings {
    requirePositive(inventoryDeadline, "inventoryDeadline");
    requirePositive(paymentDeadline, "paymentDeadline");
    requirePositive(shipmentDeadline, "shipmentDeadline");
    requirePositive(deliveryDeadline, "deliveryDeadline");
    requirePositive(compensationDeadline, "compensationDeadline");
    requirePositive(unknownSagaDeadline, "unknownSagaDeadline");
    requirePositive(retention, "retention");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    requirePositive(backlogTolerance, "backlogTolerance");
  }

  /** Settings with the {@linkplain #DEFAULT_BACKLOG_TOLERANCE default backlog tolerance}. */
  public SagaSettings(
      Duration inventoryDeadline,
      Duration paymentDeadline,
      Duration shipmentDeadline,
      Duration deliveryDeadline,
      Duration compensationDeadline,
      Duration unknownSagaDeadline,
      Duration retention,
      int maxAttempts) {
    this(
        inventoryDeadline,
        paymentDeadline,
        shipmentDeadline,
        deliveryDeadline,
        compensationDeadline,
        unknownSagaDeadline,
        retention,
        maxAttempts,
        DEFAULT_BACKLOG_TOLERANCE);
  }

  /** The deadline of a status that waits for a service, in milliseconds. */
  long deadlineMillis(SagaStatus status) {
    return switch (status) {
      case STARTED -> inventoryDeadline.toMillis();
      case INVENTORY_RESERVED -> paymentDeadline.toMillis();
      case PAYMENT_PROCESSED -> shipmentDeadline.toMillis();
      case SHIPPED -> deliveryDeadline.toMillis();
      case COMPENSATING -> compensationDeadline.toMillis();
      default -> throw new IllegalArgumentException("No deadline for " + status);
    };
  }

  /** These settings with another inventory deadline. */
  public SagaSettings withInventoryDeadline(Duration d) {
    return new SagaSettings(
        d,
        paymentDeadline,
        shipmentDeadline,
        deliveryDeadline,
        compensationDeadline,
        unknownSagaDeadline,
        retention,
        maxAttempts,
        backlogTolerance);
  }

  /** These settings with another retry budget. */
  public SagaSettings withMaxAttempts(int attempts) {
    return new SagaSettings(
        inventoryDeadline,
        paymentDeadline,
        shipmentDeadline,
        deliveryDeadline,
        compensationDeadline,
        unknownSagaDeadline,
        retention,
        attempts,
        backlogTolerance);
  }

  /** These settings with another backlog tolerance. */
  public SagaSettings withBacklogTolerance(Duration tolerance) {
    return new SagaSettings(
        inventoryDeadline,
        paymentDeadline,
        shipmentDeadline,
        deliveryDeadline,
        compensationDeadline,
        unknownSagaDeadline,
        retention,
        maxAttempts,
        tolerance);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
