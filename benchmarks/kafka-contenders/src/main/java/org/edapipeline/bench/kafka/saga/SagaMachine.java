package org.edapipeline.bench.kafka.saga;

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

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.commands.CancelOrder;
import org.edapipeline.commands.RefundPayment;
import org.edapipeline.commands.ReleaseInventory;
import org.edapipeline.outputs.SagaStatus;

/**
 * The order saga's rules, the same as our job's {@code SagaStateMachine} (its README's state
 * diagram): facts, not arrival order, decide the status, one step at a time, each stamped with the
 * {@code occurredAt} of the event that proves it; a failed step (permanent, or transient on the
 * last attempt) compensates with {@code ReleaseInventory}/{@code RefundPayment}/{@code CancelOrder}
 * whose ids are name-based UUIDs of order, command and cause; a waiting status that misses its
 * processing-time deadline times out and compensates; duplicates (known event ids) and events after
 * the end change nothing.
 *
 * <p>One difference: where our job writes a dead letter (events of an order never placed, a
 * compensation never acknowledged), this contender counts it in {@link Transition#unreported}; the
 * benchmark's input has neither.
 */
final class SagaMachine {

  private static final Comparator<SagaEvent> EARLIEST =
      Comparator.<SagaEvent>comparingLong(e -> e.occurredAt).thenComparing(e -> e.eventId);
  private static final Comparator<SagaEvent> LAST_ATTEMPT =
      Comparator.<SagaEvent>comparingInt(e -> e.attempt).thenComparing(EARLIEST);

  static final String INVENTORY_UNAVAILABLE = "INVENTORY_UNAVAILABLE";
  static final String PAYMENT_FAILED = "PAYMENT_FAILED";
  static final String SHIPMENT_FAILED = "SHIPMENT_FAILED";
  static final String ORDER_CANCELLED = "ORDER_CANCELLED";
  static final String COMPENSATION_NOT_ACKNOWLEDGED = "COMPENSATION_NOT_ACKNOWLEDGED";

  private enum Command {
    RELEASE_INVENTORY(ReleaseInventory.class),
    REFUND_PAYMENT(RefundPayment.class),
    CANCEL_ORDER(CancelOrder.class);

    final String recordName;

    Command(Class<?> recordClass) {
      this.recordName = recordClass.getSimpleName();
    }
  }

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

  /**
   * What one event or wake-up did.
   *
   * @param state the new state; null when the saga's state is to be deleted
   * @param applied false for a duplicate, a late event or a stale wake-up (state unchanged)
   * @param outputs status changes and commands, in order
   * @param unreported events or commands our job would dead-letter
   */
  record Transition(
      SagaState state, boolean applied, List<SpecificRecord> outputs, int[] unreported) {
    Transition(SagaState state, boolean applied) {
      this(state, applied, new ArrayList<>(4), new int[1]);
    }
  }

  private final SagaDeadlines deadlines;

  SagaMachine(SagaDeadlines deadlines) {
    this.deadlines = deadlines;
  }

  Transition onEvent(SagaState current, SagaEvent event, long now) {
    if (current != null && (current.knows(event.eventId) || current.isFinished())) {
      return new Transition(current, false);
    }
    SagaState state = current != null ? current : new SagaState(event.orderId, now);
    if (!state.record(event)) {
      return new Transition(current, false);
    }
    Transition t = new Transition(state, true);
    int stepsBefore = state.history.size();
    advance(state, t);
    if (state.status == null) {
      if (state.wakeUpPurpose == null) {
        arm(
            state,
            SagaState.WakeUp.UNKNOWN_SAGA_DEADLINE,
            state.firstSeenAt + deadlines.unknownSaga(),
            event.eventId);
      }
    } else if (state.history.size() != stepsBefore) {
      armForStatus(state, now);
    } else if (event.type.isFailure() && awaits(state.status, event.type)) {
      arm(state, SagaState.WakeUp.STEP_DEADLINE, now + deadlines.of(state.status), event.eventId);
    }
    return t;
  }

  Transition onWakeUp(SagaState state, long at) {
    if (state == null
        || state.wakeUpPurpose == null
        || state.wakeUpAt != at
        || (state.wakeUpPurpose == SagaState.WakeUp.STEP_DEADLINE && !isWaiting(state.status))) {
      return new Transition(state, false);
    }
    SagaState.WakeUp purpose = state.wakeUpPurpose;
    String armedBy = state.wakeUpArmedBy;
    arm(state, null, 0, null);
    switch (purpose) {
      case RETENTION:
        return new Transition(null, true);
      case UNKNOWN_SAGA_DEADLINE:
        {
          Transition t = new Transition(null, true);
          t.unreported()[0] = (int) state.facts().count();
          return t;
        }
      case STEP_DEADLINE:
        {
          Transition t = new Transition(state, true);
          String reason = timeoutReason(state.status);
          String cause = "deadline/" + state.status + "/" + armedBy;
          enter(state, new Step(TIMED_OUT, null, at, reason, cause, List.of()), t);
          enter(state, compensation(state, null, at, reason, cause), t);
          advance(state, t);
          armForStatus(state, at);
          return t;
        }
      case COMPENSATION_DEADLINE:
        {
          Transition t = new Transition(state, true);
          enter(
              state,
              new Step(
                  COMPENSATION_FAILED,
                  null,
                  at,
                  COMPENSATION_NOT_ACKNOWLEDGED,
                  "deadline/" + COMPENSATING,
                  List.of()),
              t);
          t.unreported()[0] =
              (state.releaseCommandId != null && state.released == null ? 1 : 0)
                  + (state.refundCommandId != null && state.refunded == null ? 1 : 0);
          armForStatus(state, at);
          return t;
        }
      default:
        throw new IllegalStateException("Unknown wake-up " + purpose);
    }
  }

  private void advance(SagaState state, Transition t) {
    for (Step next = next(state); next != null; next = next(state)) {
      enter(state, next, t);
    }
  }

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
          return compensation(s, failure, INVENTORY_UNAVAILABLE);
        }
        return s.cancelled == null ? null : compensation(s, s.cancelled, ORDER_CANCELLED);
      case INVENTORY_RESERVED:
        if (s.paid != null) {
          return Step.of(PAYMENT_PROCESSED, s.paid);
        }
        failure = decisiveFailure(s.paymentFailures);
        if (failure != null) {
          return compensation(s, failure, PAYMENT_FAILED);
        }
        return s.cancelled == null ? null : compensation(s, s.cancelled, ORDER_CANCELLED);
      case PAYMENT_PROCESSED:
        if (s.dispatched != null) {
          return Step.of(SHIPPED, s.dispatched);
        }
        failure = decisiveFailure(s.shipmentFailures);
        if (failure != null) {
          return compensation(s, failure, SHIPMENT_FAILED);
        }
        return s.cancelled == null ? null : compensation(s, s.cancelled, ORDER_CANCELLED);
      case SHIPPED:
        if (s.delivered != null) {
          return Step.of(COMPLETED, s.delivered);
        }
        failure = decisiveFailure(s.shipmentFailures);
        return failure == null ? null : compensation(s, failure, SHIPMENT_FAILED);
      case COMPENSATING:
        SagaEvent lastAck = lastAcknowledgement(s);
        return lastAck == null ? null : Step.of(COMPENSATED, lastAck);
      default:
        return null;
    }
  }

  private Step compensation(SagaState s, SagaEvent trigger, String reason) {
    return compensation(s, trigger, trigger.occurredAt, reason, trigger.eventId);
  }

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
    return attempts >= deadlines.maxAttempts()
        ? failures.stream().max(LAST_ATTEMPT).orElseThrow()
        : null;
  }

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

  private void enter(SagaState state, Step step, Transition t) {
    SagaState.Step previous = state.lastStep();
    SagaState.Step entered =
        new SagaState.Step(
            step.status, step.at, step.trigger == null ? null : step.trigger.eventId, step.reason);
    if (previous == null) {
      state.startedAt = step.at;
    }
    state.status = step.status;
    state.reason = step.reason;
    state.history.add(entered);
    t.outputs().add(SagaOutputs.stateChanged(state, previous, entered, step.trigger));
    for (Command command : step.commands) {
      UUID id = SagaOutputs.nameUuid(state.orderId, command.recordName, step.cause);
      switch (command) {
        case RELEASE_INVENTORY -> {
          if (state.releaseCommandId == null) {
            state.releaseCommandId = id.toString();
            t.outputs()
                .add(SagaOutputs.releaseInventory(state, id, step.at, step.reason, step.trigger));
          }
        }
        case REFUND_PAYMENT -> {
          if (state.refundCommandId == null) {
            state.refundCommandId = id.toString();
            t.outputs()
                .add(SagaOutputs.refundPayment(state, id, step.at, step.reason, step.trigger));
          }
        }
        case CANCEL_ORDER -> {
          if (state.cancelCommandId == null) {
            state.cancelCommandId = id.toString();
            t.outputs().add(SagaOutputs.cancelOrder(state, id, step.at, step.reason, step.trigger));
          }
        }
      }
    }
  }

  private void armForStatus(SagaState state, long now) {
    if (state.isFinished()) {
      arm(state, SagaState.WakeUp.RETENTION, now + deadlines.retention(), null);
    } else if (state.status == COMPENSATING) {
      arm(state, SagaState.WakeUp.COMPENSATION_DEADLINE, now + deadlines.of(COMPENSATING), null);
    } else {
      arm(
          state,
          SagaState.WakeUp.STEP_DEADLINE,
          now + deadlines.of(state.status),
          state.lastStep().triggeringEventId());
    }
  }

  private static void arm(SagaState state, SagaState.WakeUp purpose, long at, String armedBy) {
    state.wakeUpPurpose = purpose;
    state.wakeUpAt = at;
    state.wakeUpArmedBy = armedBy;
  }

  private static boolean isWaiting(SagaStatus status) {
    return status == STARTED
        || status == INVENTORY_RESERVED
        || status == PAYMENT_PROCESSED
        || status == SHIPPED;
  }

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
      case STARTED -> "INVENTORY_TIMED_OUT";
      case INVENTORY_RESERVED -> "PAYMENT_TIMED_OUT";
      case PAYMENT_PROCESSED -> "SHIPMENT_TIMED_OUT";
      case SHIPPED -> "DELIVERY_TIMED_OUT";
      default -> throw new IllegalStateException("No deadline in " + status);
    };
  }
}
