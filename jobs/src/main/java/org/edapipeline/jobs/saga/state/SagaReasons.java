package org.edapipeline.jobs.saga.state;

/**
 * The machine-readable reasons the saga writes into {@code SagaStateChanged.reason} and into its
 * commands' {@code reason}.
 */
public final class SagaReasons {

  /** Inventory could not be reserved (permanently, or transiently too often). */
  public static final String INVENTORY_UNAVAILABLE = "INVENTORY_UNAVAILABLE";

  /** Payment failed (permanently, or transiently too often). */
  public static final String PAYMENT_FAILED = "PAYMENT_FAILED";

  /** Shipment failed (permanently, or transiently too often). */
  public static final String SHIPMENT_FAILED = "SHIPMENT_FAILED";

  /** The order was cancelled before it shipped. */
  public static final String ORDER_CANCELLED = "ORDER_CANCELLED";

  /** No reservation (nor its failure) within the inventory deadline. */
  public static final String INVENTORY_TIMED_OUT = "INVENTORY_TIMED_OUT";

  /** No payment within the payment deadline. */
  public static final String PAYMENT_TIMED_OUT = "PAYMENT_TIMED_OUT";

  /** No dispatch within the shipment deadline. */
  public static final String SHIPMENT_TIMED_OUT = "SHIPMENT_TIMED_OUT";

  /** No delivery within the delivery deadline. */
  public static final String DELIVERY_TIMED_OUT = "DELIVERY_TIMED_OUT";

  /** A compensation was not acknowledged within the compensation deadline. */
  public static final String COMPENSATION_NOT_ACKNOWLEDGED = "COMPENSATION_NOT_ACKNOWLEDGED";

  private SagaReasons() {}
}
