package org.edapipeline.jobs.saga.state;

/** Why a saga asked to be woken up. A saga has at most one pending wake-up. */
public enum TimerPurpose {
  /** The awaited service step (reservation, payment, dispatch, delivery) is overdue. */
  STEP_DEADLINE,
  /** The compensations were not all acknowledged in time. */
  COMPENSATION_DEADLINE,
  /** Events arrived for a saga whose OrderPlaced has not been seen, and it still has not come. */
  UNKNOWN_SAGA_DEADLINE,
  /** The saga ended long enough ago: clear its state. */
  RETENTION
}
