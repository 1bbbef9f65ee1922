package org.edapipeline.faults;

import java.util.List;
import org.edapipeline.outputs.SagaStatus;

/**
 * How a planned order ends, known before it is written: the statuses the saga must enter (each
 * exactly once in {@code saga.state}) and the compensation commands it must send.
 */
enum Outcome {
  /** Every service succeeds. */
  COMPLETED(
      List.of(
          SagaStatus.STARTED,
          SagaStatus.INVENTORY_RESERVED,
          SagaStatus.PAYMENT_PROCESSED,
          SagaStatus.SHIPPED,
          SagaStatus.COMPLETED),
      0),
  /** The card is declined: the reservation is released (ReleaseInventory, CancelOrder). */
  COMPENSATED(
      List.of(
          SagaStatus.STARTED,
          SagaStatus.INVENTORY_RESERVED,
          SagaStatus.COMPENSATING,
          SagaStatus.COMPENSATED),
      2),
  /** The inventory service never answers: the step's deadline fires (CancelOrder). */
  TIMED_OUT(List.of(SagaStatus.STARTED, SagaStatus.TIMED_OUT, SagaStatus.FAILED), 1);

  private final List<SagaStatus> statuses;
  private final int commands;

  Outcome(List<SagaStatus> statuses, int commands) {
    this.statuses = statuses;
    this.commands = commands;
  }

  /** The statuses entered, in order; the last one is final. */
  List<SagaStatus> statuses() {
    return statuses;
  }

  /**
   * The last status the run's own inputs lead to, with no deadline involved: when it is committed,
   * the order's inputs have gone through the whole pipeline (the end-to-end lag is measured on it).
   */
  SagaStatus inputDriven() {
    return this == TIMED_OUT ? SagaStatus.STARTED : statuses.get(statuses.size() - 1);
  }

  /** Compensation commands written to {@code saga.commands}. */
  int commands() {
    return commands;
  }
}
