package org.edapipeline.jobs.saga.state;

import static org.edapipeline.outputs.SagaStatus.COMPENSATED;
import static org.edapipeline.outputs.SagaStatus.COMPENSATING;
import static org.edapipeline.outputs.SagaStatus.COMPENSATION_FAILED;
import static org.edapipeline.outputs.SagaStatus.COMPLETED;
import static org.edapipeline.outputs.SagaStatus.FAILED;
import static org.edapipeline.outputs.SagaStatus.INVENTORY_RESERVED;
import static org.edapipeline.outputs.SagaStatus.PAYMENT_PROCESSED;
import static org.edapipeline.outputs.SagaStatus.SHIPPED;
import static org.edapipeline.outputs.SagaStatus.STARTED;
import static org.edapipeline.outputs.SagaStatus.TIMED_OUT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.edapipeline.commands.CancelOrder;
import org.edapipeline.commands.RefundPayment;
import org.edapipeline.commands.ReleaseInventory;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.edapipeline.jobs.saga.records.SagaEventType;
import org.edapipeline.jobs.saga.state.SagaTransition.Outcome;
import org.edapipeline.outputs.SagaStatus;

/**
 * The order saga as a deterministic state machine: {@code (state, event, now) -> (state, outputs)}
 * and {@code (state, timer) -> (state, outputs)}. Plain Java, no Flink: the keyed function stores
 * the state, sets the timer the state asks for, and emits the outputs.
 *
 * <p><b>Facts, not arrival order.</b> The events of one saga come from four topics with no order
 * between them. Each event is recorded as a fact (the first of each kind; every distinct failure),
 * and the status is derived from the facts: the saga advances along {@code STARTED ->
 * INVENTORY_RESERVED -> PAYMENT_PROCESSED -> SHIPPED -> COMPLETED} as far as the facts allow, one
 * status change per step, each stamped with the {@code occurredAt} of the event that proves it. So
 * every arrival order of the same events yields the same status changes with the same timestamps
 * and ids; a delivery seen before the payment just waits for the payment.
 *
 * <p><b>Failures.</b> A failure of the awaited step that is permanent, or transient on its {@link
 * SagaSettings#maxAttempts()}th attempt, fails the step; a transient one before that only restarts
 * the step's deadline, waiting for the service's retry. A failed step compensates what is done:
 * {@code ReleaseInventory} if inventory was reserved, {@code RefundPayment} if payment was
 * processed, and {@code CancelOrder} unless the order is already cancelled; with something to
 * release or refund the saga is COMPENSATING until both are acknowledged (COMPENSATED) or the
 * compensation deadline passes (COMPENSATION_FAILED, with a dead letter per unacknowledged
 * command); with nothing to undo it is FAILED.
 *
 * <p><b>Deadlines.</b> Each waiting status has one; when it passes the saga goes TIMED_OUT and
 * compensates as above. A command's id is a name-based UUID of the order id, the command type and
 * its cause (the triggering event id, or the deadline and the event that armed it), and the state
 * remembers what was sent: a duplicate or replayed trigger never sends a second, different command.
 *
 * <p><b>Edges.</b> Duplicate event ids change nothing. Events after the saga ended are ignored
 * ({@link Outcome#LATE}). Events of a saga whose OrderPlaced was not seen are kept until it comes;
 * if it does not come within {@link SagaSettings#unknownSagaDeadline()}, each is reported as a dead
 * letter and the state is cleared. A finished saga is cleared after {@link
 * SagaSettings#retention()}.
 *
 * <p>The state passed in is updated in place and returned in the transition (no copy per event).
 * One machine per subtask: it keeps memos of its own (the sagas' trace roots, an MD5 digest), so it
 * is not thread-safe.
 */
public final class SagaStateMachine {

  private static final Comparator<SagaEvent> EARLIEST =
      Comparator.<SagaEvent>comparingLong(e -> e.occurredAt).thenComparing(e -> e.eventId);

  private static final Comparator<SagaEvent> LAST_ATTEMPT =
      Comparator.<SagaEvent>comparingInt(e -> e.attempt).thenComparing(EARLIEST);

  private enum Command {
    RELEASE_INVENTORY(ReleaseInventory.class),
    REFUND_PAYMENT(RefundPayment.class),
    CANCEL_ORDER(CancelOrder.class);

    private final String recordName;

    Command(Class<?> recordClass) {
      this.recordName = recordClass.getSimpleName();
    }
  }

  /** A status to enter, why, and what to send on entering it. */
  private record Step(
      SagaStatus status,
      SagaEvent trigger,
      long at,
      String reason,
      String cause,
      List<Command> commands) {

    static Step of(SagaStatus status, SagaEvent trigger) {
      return new Step(status, trigger, trigger.occurredAt, null, trigger.eventId, List.of());
    }
  }

  private final SagaSettings settings;
  private final SagaRecords records;

  /**
   * Creates the machine.
   *
   * @param settings deadlines and retry budget
   * @param jobName job name written into dead letters
   * @param operatorUid uid of the operator running the machine, written into dead letters
   */
  public SagaStateMachine(SagaSettings settings, String jobName, String operatorUid) {
    this(settings, jobName, operatorUid, new SagaTrace.Parents());
  }

  /**
   * Creates the machine with the trace parents it shares with its caller (the function's spans), so
   * a saga's root is derived once for both.
   *
   * @param traces the subtask's trace parents; not thread-safe, like the machine
   * @see #SagaStateMachine(SagaSettings, String, String)
   */
  public SagaStateMachine(
      SagaSettings settings, String jobName, String operatorUid, SagaTrace.Parents traces) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.records =
        new SagaRecords(
            Objects.requireNonNull(jobName, "jobName"),
            Objects.requireNonNull(operatorUid, "operatorUid"),
            Objects.requireNonNull(traces, "traces"));
  }

  /** The settings the machine runs with. */
  public SagaSettings settings() {
    return settings;
  }

  /**
   * Applies one event.
   *
   * @param current the saga's state, or null if the job holds none for this order
   * @param event the event, keyed by the same order id
   * @param now the current processing time (epoch millis): deadlines are counted from it
   * @return the new state and the records to emit
   */
  public SagaTransition onEvent(SagaState current, SagaEvent event, long now) {
    Objects.requireNonNull(event, "event");
    if (current != null && current.knows(event.eventId)) {
      return new SagaTransition(Outcome.DUPLICATE, current);
    }
    if (current != null && current.isFinished()) {
      return new SagaTransition(Outcome.LATE, current);
    }
    SagaState state = current != null ? current : new SagaState(event.orderId, now);
    if (!state.record(event)) {
      // A second, different event of a one-off kind (e.g. another InventoryReserved): the first
      // one stands.
      return new SagaTransition(Outcome.DUPLICATE, current);
    }
    SagaTransition transition = new SagaTransition(Outcome.APPLIED, state);
    int stepsBefore = state.history.size();
    advance(state, transition);
    if (state.status != null) {
      state.forgetOrigins();
    }
    if (state.status == null) {
      if (state.wakeUpPurpose == null) {
        arm(
            state,
            TimerPurpose.UNKNOWN_SAGA_DEADLINE,
            state.firstSeenAt + settings.unknownSagaDeadline().toMillis(),
            event.eventId);
      }
    } else if (state.history.size() != stepsBefore) {
      armForStatus(state, now);
    } else if (event.isFailure() && awaits(state.status, event.type)) {
      // The service retries: give the retry a full step deadline.
      arm(
          state,
          TimerPurpose.STEP_DEADLINE,
          now + settings.deadlineMillis(state.status),
          event.eventId);
    }
    return transition;
  }

  /**
   * Handles a timer.
   *
   * @param current the saga's state, or null if the job holds none for this order
   * @param timestamp the timer's time (processing time, epoch millis)
   * @return the new state and the records to emit; {@link Outcome#STALE_TIMER} if the timer is not
   *     the one the state is waiting for
   */
  public SagaTransition onTimer(SagaState current, long timestamp) {
    if (!isPending(current, timestamp)) {
      return new SagaTransition(Outcome.STALE_TIMER, current);
    }
    SagaState state = current;
    TimerPurpose purpose = state.wakeUpPurpose;
    String armedBy = state.wakeUpArmedBy;
    disarm(state);
    switch (purpose) {
      case RETENTION:
        return new SagaTransition(Outcome.CLEARED, null);
      case UNKNOWN_SAGA_DEADLINE:
        return reportUnknownSaga(state, timestamp);
      case STEP_DEADLINE:
        return timeOut(state, timestamp, armedBy);
      case COMPENSATION_DEADLINE:
        return failCompensation(state, timestamp);
      default:
        throw new IllegalStateException("Unknown timer purpose " + purpose);
    }
  }

  /**
   * Moves the deadline of a timer that fired to a later time instead of applying it: the caller
   * must register a timer for {@code until}. Retention timers and stale timers are not moved.
   *
   * @param current the saga's state, or null if the job holds none for this order
   * @param timestamp the time of the timer that fired
   * @param until the new deadline, later than {@code timestamp}
   * @return whether {@code current} was changed (its {@link SagaState#wakeUpAt} is now {@code
   *     until}); if false, hand the timer to {@link #onTimer}
   */
  public boolean postponeDeadline(SagaState current, long timestamp, long until) {
    if (!isPending(current, timestamp) || current.wakeUpPurpose == TimerPurpose.RETENTION) {
      return false;
    }
    if (until <= timestamp) {
      throw new IllegalArgumentException(
          "A deadline is postponed to a later time: " + until + " <= " + timestamp);
    }
    current.wakeUpAt = until;
    return true;
  }

  /** Whether the timer at {@code timestamp} is the wake-up the state is waiting for. */
  private static boolean isPending(SagaState current, long timestamp) {
    return current != null
        && current.wakeUpPurpose != null
        && current.wakeUpAt == timestamp
        && (current.wakeUpPurpose != TimerPurpose.STEP_DEADLINE || isWaiting(current.status));
  }

  private SagaTransition reportUnknownSaga(SagaState state, long timestamp) {
    SagaTransition transition = new SagaTransition(Outcome.CLEARED, null);
    Duration waited = settings.unknownSagaDeadline();
    state
        .facts()
        .sorted(EARLIEST)
        .forEach(
            e ->
                transition
                    .deadLetters()
                    .add(
                        records.unknownSaga(
                            e,
                            state.firstSeenAt,
                            timestamp,
                            String.format(
                                "No OrderPlaced for order %s within %s of its first event: %s %s"
                                    + " belongs to no known saga",
                                e.orderId,
                                waited,
                                e.type.recordClass().getSimpleName(),
                                e.eventId))));
    return transition;
  }

  private SagaTransition timeOut(SagaState state, long timestamp, String armedBy) {
    SagaTransition transition = new SagaTransition(Outcome.APPLIED, state);
    String reason = timeoutReason(state.status);
    String cause = "deadline/" + state.status + "/" + armedBy;
    enter(state, new Step(TIMED_OUT, null, timestamp, reason, cause, List.of()), transition);
    enter(state, compensation(state, null, timestamp, reason, cause), transition);
    advance(state, transition);
    armForStatus(state, timestamp);
    return transition;
  }

  private SagaTransition failCompensation(SagaState state, long timestamp) {
    SagaTransition transition = new SagaTransition(Outcome.APPLIED, state);
    String reason = SagaReasons.COMPENSATION_NOT_ACKNOWLEDGED;
    enter(
        state,
        new Step(
            COMPENSATION_FAILED, null, timestamp, reason, "deadline/" + COMPENSATING, List.of()),
        transition);
    long sentAt = timestamp - settings.compensationDeadline().toMillis();
    if (state.releaseCommandId != null && state.released == null) {
      transition
          .deadLetters()
          .add(
              unacknowledged(
                  state, Command.RELEASE_INVENTORY, state.releaseCommandId, sentAt, timestamp));
    }
    if (state.refundCommandId != null && state.refunded == null) {
      transition
          .deadLetters()
          .add(
              unacknowledged(
                  state, Command.REFUND_PAYMENT, state.refundCommandId, sentAt, timestamp));
    }
    armForStatus(state, timestamp);
    return transition;
  }

  private org.edapipeline.outputs.DeadLetter unacknowledged(
      SagaState state, Command command, String commandId, long sentAt, long now) {
    return records.compensationNotAcknowledged(
        state.orderId,
        command.recordName,
        commandId,
        state.placed == null ? null : state.placed.traceparent,
        sentAt,
        now,
        String.format(
            "%s %s for order %s was not acknowledged within %s",
            command.recordName, commandId, state.orderId, settings.compensationDeadline()));
  }

  /** Enters every status the facts allow, one at a time. */
  private void advance(SagaState state, SagaTransition transition) {
    for (Step next = next(state); next != null; next = next(state)) {
      enter(state, next, transition);
    }
  }

  /** The next status the facts prove, or null if the saga stays where it is. */
  private Step next(SagaState s) {
    if (s.status == null) {
      return s.placed == null ? null : Step.of(STARTED, s.placed);
    }
    SagaEvent failure;
    switch (s.status) {
      case STARTED:
        if (s.reserved != null) {
          return Step.of(INVENTORY_RESERVED, s.reserved);
        }
        failure = decisiveFailure(s.inventoryFailures);
        if (failure != null) {
          return compensation(s, failure, SagaReasons.INVENTORY_UNAVAILABLE);
        }
        return s.cancelled == null
            ? null
            : compensation(s, s.cancelled, SagaReasons.ORDER_CANCELLED);
      case INVENTORY_RESERVED:
        if (s.paid != null) {
          return Step.of(PAYMENT_PROCESSED, s.paid);
        }
        failure = decisiveFailure(s.paymentFailures);
        if (failure != null) {
          return compensation(s, failure, SagaReasons.PAYMENT_FAILED);
        }
        return s.cancelled == null
            ? null
            : compensation(s, s.cancelled, SagaReasons.ORDER_CANCELLED);
      case PAYMENT_PROCESSED:
        if (s.dispatched != null) {
          return Step.of(SHIPPED, s.dispatched);
        }
        failure = decisiveFailure(s.shipmentFailures);
        if (failure != null) {
          return compensation(s, failure, SagaReasons.SHIPMENT_FAILED);
        }
        return s.cancelled == null
            ? null
            : compensation(s, s.cancelled, SagaReasons.ORDER_CANCELLED);
      case SHIPPED:
        if (s.delivered != null) {
          return Step.of(COMPLETED, s.delivered);
        }
        failure = decisiveFailure(s.shipmentFailures);
        return failure == null ? null : compensation(s, failure, SagaReasons.SHIPMENT_FAILED);
      case COMPENSATING:
        SagaEvent lastAck = lastAcknowledgement(s);
        return lastAck == null ? null : Step.of(COMPENSATED, lastAck);
      default:
        // TIMED_OUT is left at once; the final statuses stay.
        return null;
    }
  }

  private Step compensation(SagaState s, SagaEvent trigger, String reason) {
    return compensation(s, trigger, trigger.occurredAt, reason, trigger.eventId);
  }

  /** COMPENSATING with the commands that undo what is done, or FAILED if nothing is. */
  private Step compensation(SagaState s, SagaEvent trigger, long at, String reason, String cause) {
    List<Command> commands = new ArrayList<>(3);
    if (s.reserved != null) {
      commands.add(Command.RELEASE_INVENTORY);
    }
    if (s.paid != null) {
      commands.add(Command.REFUND_PAYMENT);
    }
    SagaStatus status = commands.isEmpty() ? FAILED : COMPENSATING;
    if (s.cancelled == null) {
      commands.add(Command.CANCEL_ORDER);
    }
    return new Step(status, trigger, at, reason, cause, commands);
  }

  /**
   * The failure that fails a step: the first permanent one, else the last attempt once the retry
   * budget is spent (counting distinct failures when the event has no attempt number); null while a
   * retry may still come.
   */
  private SagaEvent decisiveFailure(List<SagaEvent> failures) {
    if (failures.isEmpty()) {
      return null;
    }
    SagaEvent permanent =
        failures.stream().filter(e -> !e.transientFailure).min(EARLIEST).orElse(null);
    if (permanent != null) {
      return permanent;
    }
    int attempts =
        Math.max(failures.size(), failures.stream().mapToInt(e -> e.attempt).max().orElse(0));
    return attempts >= settings.maxAttempts()
        ? failures.stream().max(LAST_ATTEMPT).orElseThrow()
        : null;
  }

  /** The acknowledgement that completes the compensation, or null while one is missing. */
  private static SagaEvent lastAcknowledgement(SagaState s) {
    if ((s.releaseCommandId != null && s.released == null)
        || (s.refundCommandId != null && s.refunded == null)) {
      return null;
    }
    return Stream.of(
            s.releaseCommandId != null ? s.released : null,
            s.refundCommandId != null ? s.refunded : null)
        .filter(Objects::nonNull)
        .max(EARLIEST)
        .orElse(null);
  }

  private void enter(SagaState state, Step step, SagaTransition transition) {
    SagaStepEntry previous = state.lastStep();
    SagaStepEntry entered =
        new SagaStepEntry(
            step.status, step.at, step.trigger == null ? null : step.trigger.eventId, step.reason);
    if (previous == null) {
      state.startedAt = step.at;
    }
    state.status = step.status;
    state.reason = step.reason;
    state.history.add(entered);
    transition.changes().add(records.stateChanged(state, previous, entered, step.trigger));
    for (Command command : step.commands) {
      send(state, command, step, transition);
    }
  }

  private void send(SagaState state, Command command, Step step, SagaTransition transition) {
    UUID id = records.nameUuid(state.orderId, command.recordName, step.cause);
    switch (command) {
      case RELEASE_INVENTORY -> {
        if (state.releaseCommandId == null) {
          state.releaseCommandId = id.toString();
          transition
              .commands()
              .add(records.releaseInventory(state, id, step.at, step.reason, step.trigger));
        }
      }
      case REFUND_PAYMENT -> {
        if (state.refundCommandId == null) {
          state.refundCommandId = id.toString();
          transition
              .commands()
              .add(records.refundPayment(state, id, step.at, step.reason, step.trigger));
        }
      }
      case CANCEL_ORDER -> {
        if (state.cancelCommandId == null) {
          state.cancelCommandId = id.toString();
          transition
              .commands()
              .add(records.cancelOrder(state, id, step.at, step.reason, step.trigger));
        }
      }
    }
  }

  /** Sets the deadline of the status just entered, or the retention once the saga ended. */
  private void armForStatus(SagaState state, long now) {
    if (state.isFinished()) {
      arm(state, TimerPurpose.RETENTION, now + settings.retention().toMillis(), null);
    } else if (state.status == COMPENSATING) {
      arm(
          state,
          TimerPurpose.COMPENSATION_DEADLINE,
          now + settings.deadlineMillis(COMPENSATING),
          null);
    } else {
      arm(
          state,
          TimerPurpose.STEP_DEADLINE,
          now + settings.deadlineMillis(state.status),
          state.lastStep().triggeringEventId);
    }
  }

  private static void arm(SagaState state, TimerPurpose purpose, long at, String armedBy) {
    state.wakeUpPurpose = purpose;
    state.wakeUpAt = at;
    state.wakeUpArmedBy = armedBy;
  }

  private static void disarm(SagaState state) {
    arm(state, null, 0, null);
  }

  private static boolean isWaiting(SagaStatus status) {
    return status == STARTED
        || status == INVENTORY_RESERVED
        || status == PAYMENT_PROCESSED
        || status == SHIPPED;
  }

  /** Whether a failure of this type is about the step the status waits for. */
  private static boolean awaits(SagaStatus status, SagaEventType failure) {
    return switch (status) {
      case STARTED -> failure == SagaEventType.INVENTORY_RESERVATION_FAILED;
      case INVENTORY_RESERVED -> failure == SagaEventType.PAYMENT_FAILED;
      case PAYMENT_PROCESSED, SHIPPED -> failure == SagaEventType.SHIPMENT_FAILED;
      default -> false;
    };
  }

  private static String timeoutReason(SagaStatus status) {
    return switch (status) {
      case STARTED -> SagaReasons.INVENTORY_TIMED_OUT;
      case INVENTORY_RESERVED -> SagaReasons.PAYMENT_TIMED_OUT;
      case PAYMENT_PROCESSED -> SagaReasons.SHIPMENT_TIMED_OUT;
      case SHIPPED -> SagaReasons.DELIVERY_TIMED_OUT;
      default -> throw new IllegalStateException("No deadline in " + status);
    };
  }
}
