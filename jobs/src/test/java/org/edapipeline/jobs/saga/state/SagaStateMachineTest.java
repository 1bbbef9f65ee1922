package org.edapipeline.jobs.saga.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.jobs.saga.SagaTestEvents.JOB;
import static org.edapipeline.jobs.saga.SagaTestEvents.PLACED_AT;
import static org.edapipeline.jobs.saga.SagaTestEvents.SETTINGS;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.commands.CancelOrder;
import org.edapipeline.commands.RefundPayment;
import org.edapipeline.commands.ReleaseInventory;
import org.edapipeline.jobs.saga.SagaTestEvents;
import org.edapipeline.jobs.saga.records.SagaCommand;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.edapipeline.jobs.saga.state.SagaTransition.Outcome;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.outputs.SagaStep;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.trace.TraceContext;
import org.junit.jupiter.api.Test;

class SagaStateMachineTest {

  private static final String ORDER = "order-1";
  private static final long NOW = 5_000;

  private final SagaTestEvents saga = new SagaTestEvents(ORDER);
  private final SagaStateMachine machine = new SagaStateMachine(SETTINGS, JOB, "saga-uid");

  private SagaState state;
  private long now = NOW;
  private final List<SagaStateChanged> changes = new ArrayList<>();
  private final List<SagaCommand> commands = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();

  @Test
  void shouldWalkEverySuccessStatusInOrderWithTimesAndDurations() {
    for (SagaEvent event : saga.successfulSaga()) {
      assertThat(apply(event).outcome()).isEqualTo(Outcome.APPLIED);
    }

    assertThat(statuses())
        .containsExactly(STARTED, INVENTORY_RESERVED, PAYMENT_PROCESSED, SHIPPED, COMPLETED);
    SagaStateChanged completed = changes.get(4);
    assertThat(completed.getPreviousStatus()).isEqualTo(SHIPPED);
    assertThat(completed.getStartedAt()).isEqualTo(Instant.ofEpochMilli(PLACED_AT));
    assertThat(completed.getElapsedMillis()).isEqualTo(4_000);
    assertThat(completed.getPreviousStatusMillis()).isEqualTo(1_000);
    assertThat(completed.getTriggeringEventId())
        .isEqualTo(UUID.fromString(saga.delivered().eventId));
    assertThat(completed.getHistory())
        .extracting(SagaStep::getStatus, s -> s.getEnteredAt().toEpochMilli() - PLACED_AT)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(STARTED, 0L),
            org.assertj.core.groups.Tuple.tuple(INVENTORY_RESERVED, 1_000L),
            org.assertj.core.groups.Tuple.tuple(PAYMENT_PROCESSED, 2_000L),
            org.assertj.core.groups.Tuple.tuple(SHIPPED, 3_000L),
            org.assertj.core.groups.Tuple.tuple(COMPLETED, 4_000L));
    assertThat(completed.getMetadata().getCorrelationId()).isEqualTo(ORDER);
    assertThat(completed.getMetadata().getCausationId()).isEqualTo(saga.delivered().eventId);
    // A new span per output, child of the cause's, derived from the output's id (replay-stable).
    TraceContext cause = TraceContext.parse(saga.delivered().traceparent);
    TraceContext output = TraceContext.parse(completed.getMetadata().getTraceparent());
    assertThat(output.traceId()).isEqualTo(cause.traceId());
    assertThat(output.spanId()).isNotEqualTo(cause.spanId());
    assertThat(output)
        .isEqualTo(cause.child(completed.getMetadata().getEventId().toString()))
        .isNotEqualTo(TraceContext.parse(changes.get(3).getMetadata().getTraceparent()));
    assertThat(changes.get(0).getPreviousStatus()).isNull();
    assertThat(changes.get(0).getPreviousStatusMillis()).isZero();
    assertThat(changes).extracting(c -> c.getMetadata().getEventId()).doesNotHaveDuplicates();
    assertThat(commands).isEmpty();
    assertThat(state.wakeUpPurpose).isEqualTo(TimerPurpose.RETENTION);
    assertThat(state.wakeUpAt).isEqualTo(NOW + SETTINGS.retention().toMillis());
  }

  @Test
  void shouldArmTheDeadlineOfEachWaitingStatus() {
    apply(saga.placed());
    assertWakeUp(TimerPurpose.STEP_DEADLINE, SETTINGS.inventoryDeadline().toMillis());
    apply(saga.reserved());
    assertWakeUp(TimerPurpose.STEP_DEADLINE, SETTINGS.paymentDeadline().toMillis());
    apply(saga.paid());
    assertWakeUp(TimerPurpose.STEP_DEADLINE, SETTINGS.shipmentDeadline().toMillis());
    apply(saga.confirmed());
    assertThat(changes).hasSize(3);
    apply(saga.dispatched());
    assertWakeUp(TimerPurpose.STEP_DEADLINE, SETTINGS.deliveryDeadline().toMillis());
  }

  @Test
  void shouldIgnoreDuplicatesAndCountEventsAfterTheEndAsLate() {
    apply(saga.placed());
    assertThat(apply(saga.placed()).outcome()).isEqualTo(Outcome.DUPLICATE);
    saga.successfulSaga().forEach(this::apply);
    SagaTransition late = apply(saga.paymentFailed(false, 1));

    assertThat(late.outcome()).isEqualTo(Outcome.LATE);
    assertThat(late.changes()).isEmpty();
    assertThat(apply(saga.delivered()).outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(statuses()).containsOnlyOnce(COMPLETED);
  }

  @Test
  void shouldFailWithoutCompensationWhenInventoryCannotBeReserved() {
    apply(saga.placed());
    SagaEvent outOfStock = saga.inventoryFailed(false, 1);
    apply(outOfStock);

    assertThat(statuses()).containsExactly(STARTED, FAILED);
    assertThat(changes.get(1).getReason()).isEqualTo(SagaReasons.INVENTORY_UNAVAILABLE);
    assertThat(records()).singleElement().isInstanceOf(CancelOrder.class);
    CancelOrder cancel = (CancelOrder) records().get(0);
    assertThat(cancel.getMetadata().getCausationId()).isEqualTo(outOfStock.eventId);
    assertThat(cancel.getMetadata().getCorrelationId()).isEqualTo(ORDER);
    assertThat(cancel.getMetadata().getEventId()).isEqualTo(cancel.getCommandId());
    assertThat(state.wakeUpPurpose).isEqualTo(TimerPurpose.RETENTION);
  }

  @Test
  void shouldReleaseInventoryWhenPaymentFailsAfterReservation() {
    apply(saga.placed());
    apply(saga.reserved());
    SagaEvent declined = saga.paymentFailed(false, 1);
    apply(declined);

    assertThat(statuses()).containsExactly(STARTED, INVENTORY_RESERVED, COMPENSATING);
    assertThat(changes.get(2).getReason()).isEqualTo(SagaReasons.PAYMENT_FAILED);
    assertThat(records()).hasSize(2);
    ReleaseInventory release = (ReleaseInventory) records().get(0);
    assertThat(release.getReservationId()).isEqualTo(saga.reservationId());
    assertThat(release.getReason()).isEqualTo(SagaReasons.PAYMENT_FAILED);
    assertThat(release.getMetadata().getCausationId()).isEqualTo(declined.eventId);
    assertThat(records().get(1)).isInstanceOf(CancelOrder.class);
    assertWakeUp(TimerPurpose.COMPENSATION_DEADLINE, SETTINGS.compensationDeadline().toMillis());

    apply(saga.released());

    assertThat(statuses()).endsWith(COMPENSATING, COMPENSATED);
    assertThat(changes.get(3).getTriggeringEventId())
        .isEqualTo(UUID.fromString(saga.released().eventId));
    assertThat(state.wakeUpPurpose).isEqualTo(TimerPurpose.RETENTION);
  }

  @Test
  void shouldRefundAndReleaseWhenShipmentFailsAfterPaymentAndWaitForBothAcknowledgements() {
    apply(saga.placed());
    apply(saga.reserved());
    apply(saga.paid());
    apply(saga.shipmentFailed(false, 1));

    assertThat(statuses()).endsWith(PAYMENT_PROCESSED, COMPENSATING);
    assertThat(changes.get(3).getReason()).isEqualTo(SagaReasons.SHIPMENT_FAILED);
    assertThat(records())
        .hasExactlyElementsOfTypes(ReleaseInventory.class, RefundPayment.class, CancelOrder.class);
    RefundPayment refund = (RefundPayment) records().get(1);
    assertThat(refund.getPaymentId()).isEqualTo(saga.paymentId());
    assertThat(refund.getAmountMinor()).isEqualTo(SagaTestEvents.AMOUNT);
    assertThat(refund.getCurrency()).isEqualTo(SagaTestEvents.CURRENCY);

    apply(saga.released());
    assertThat(state.status).isEqualTo(COMPENSATING);
    apply(saga.refunded());
    assertThat(statuses()).endsWith(COMPENSATED);
  }

  @Test
  void shouldCompensateAShipmentThatFailsAfterDispatch() {
    apply(saga.placed());
    apply(saga.reserved());
    apply(saga.paid());
    apply(saga.dispatched());
    apply(saga.shipmentFailed(false, 1));

    assertThat(statuses()).endsWith(SHIPPED, COMPENSATING);
    assertThat(records())
        .hasExactlyElementsOfTypes(ReleaseInventory.class, RefundPayment.class, CancelOrder.class);
  }

  @Test
  void shouldWaitForTheRetryOfATransientFailureAndCompleteWhenItSucceeds() {
    apply(saga.placed());
    apply(saga.reserved());
    now = NOW + 7_000;
    SagaTransition first = apply(saga.paymentFailed(true, 1));

    assertThat(first.changes()).isEmpty();
    assertThat(state.wakeUpAt).isEqualTo(now + SETTINGS.paymentDeadline().toMillis());
    assertThat(state.wakeUpArmedBy).isEqualTo(saga.paymentFailed(true, 1).eventId);
    apply(saga.paymentFailed(true, 2));
    apply(saga.paid());

    assertThat(statuses()).endsWith(INVENTORY_RESERVED, PAYMENT_PROCESSED);
    assertThat(commands).isEmpty();
  }

  @Test
  void shouldCompensateOnceTheRetryBudgetIsSpent() {
    apply(saga.placed());
    apply(saga.reserved());
    apply(saga.paymentFailed(true, 1));
    apply(saga.paymentFailed(true, 1)); // a duplicate is not another attempt
    apply(saga.paymentFailed(true, 2));
    assertThat(state.status).isEqualTo(INVENTORY_RESERVED);

    apply(saga.paymentFailed(true, 3));

    assertThat(statuses()).endsWith(COMPENSATING);
    assertThat(changes.get(2).getTriggeringEventId())
        .isEqualTo(UUID.fromString(saga.paymentFailed(true, 3).eventId));
  }

  @Test
  void shouldCountDistinctInventoryFailuresAsAttempts() {
    SagaStateMachine twoAttempts =
        new SagaStateMachine(SETTINGS.withMaxAttempts(2), JOB, "saga-uid");
    SagaState s = twoAttempts.onEvent(null, saga.placed(), NOW).state();
    s = twoAttempts.onEvent(s, saga.inventoryFailed(true, 1), NOW).state();
    assertThat(s.status).isEqualTo(STARTED);

    SagaTransition exhausted = twoAttempts.onEvent(s, saga.inventoryFailed(true, 2), NOW);

    assertThat(exhausted.changes()).extracting(SagaStateChanged::getStatus).containsExactly(FAILED);
  }

  @Test
  void shouldTimeOutEachWaitingStatusAndCompensateWhatIsDone() {
    assertTimeout(
        List.of(saga.placed()), SagaReasons.INVENTORY_TIMED_OUT, FAILED, CancelOrder.class);
    assertTimeout(
        List.of(saga.placed(), saga.reserved()),
        SagaReasons.PAYMENT_TIMED_OUT,
        COMPENSATING,
        ReleaseInventory.class,
        CancelOrder.class);
    assertTimeout(
        List.of(saga.placed(), saga.reserved(), saga.paid()),
        SagaReasons.SHIPMENT_TIMED_OUT,
        COMPENSATING,
        ReleaseInventory.class,
        RefundPayment.class,
        CancelOrder.class);
    assertTimeout(
        List.of(saga.placed(), saga.reserved(), saga.paid(), saga.dispatched()),
        SagaReasons.DELIVERY_TIMED_OUT,
        COMPENSATING,
        ReleaseInventory.class,
        RefundPayment.class,
        CancelOrder.class);
  }

  @Test
  void shouldFailTheCompensationWhenItIsNotAcknowledgedInTime() {
    apply(saga.placed());
    apply(saga.reserved());
    apply(saga.paid());
    apply(saga.shipmentFailed(false, 1));
    apply(saga.refunded());
    long deadline = state.wakeUpAt;

    fire();

    assertThat(statuses()).endsWith(COMPENSATING, COMPENSATION_FAILED);
    SagaStateChanged failed = changes.get(changes.size() - 1);
    assertThat(failed.getReason()).isEqualTo(SagaReasons.COMPENSATION_NOT_ACKNOWLEDGED);
    assertThat(failed.getHistory().get(failed.getHistory().size() - 1).getEnteredAt())
        .isEqualTo(Instant.ofEpochMilli(deadline));
    assertThat(deadLetters).singleElement();
    DeadLetter letter = deadLetters.get(0);
    assertThat(letter.getCorrelationId()).isEqualTo(ORDER);
    assertThat(letter.getEventId()).isEqualTo(UUID.fromString(state.releaseCommandId));
    assertThat(letter.getSourceTopic()).isEqualTo(Topics.SAGA_COMMANDS.name());
    assertThat(letter.getErrorCategory()).isEqualTo(ErrorCategory.PERMANENT);
    assertThat(letter.getErrorClass())
        .isEqualTo(SagaFailureException.CompensationNotAcknowledged.class.getName());
    assertThat(letter.getErrorMessage()).contains("ReleaseInventory", ORDER);
    assertThat(letter.getJobName()).isEqualTo(JOB);
    assertThat(letter.getOperatorUid()).isEqualTo("saga-uid");
    assertThat(state.wakeUpPurpose).isEqualTo(TimerPurpose.RETENTION);
  }

  @Test
  void shouldKeepEventsOfAnUnknownSagaUntilTheOrderArrives() {
    apply(saga.paid());
    apply(saga.reserved());
    assertThat(changes).isEmpty();
    assertWakeUp(TimerPurpose.UNKNOWN_SAGA_DEADLINE, SETTINGS.unknownSagaDeadline().toMillis());

    apply(saga.placed());

    assertThat(statuses()).containsExactly(STARTED, INVENTORY_RESERVED, PAYMENT_PROCESSED);
    assertWakeUp(TimerPurpose.STEP_DEADLINE, SETTINGS.shipmentDeadline().toMillis());
  }

  @Test
  void shouldReportAnUnknownSagaAsDeadLettersWhenItsDeadlinePasses() {
    SagaEvent payment = saga.paid().withSource(Topics.PAYMENT_EVENTS.name(), 2, 42);
    apply(payment);
    now += 1_000;
    apply(saga.dispatched());
    long deadline = state.wakeUpAt;
    assertThat(deadline).isEqualTo(NOW + SETTINGS.unknownSagaDeadline().toMillis());

    SagaTransition reported = fire();

    assertThat(reported.outcome()).isEqualTo(Outcome.CLEARED);
    assertThat(reported.state()).isNull();
    assertThat(changes).isEmpty();
    assertThat(deadLetters).hasSize(2);
    DeadLetter first = deadLetters.get(0);
    assertThat(first.getEventId()).isEqualTo(UUID.fromString(payment.eventId));
    assertThat(first.getCorrelationId()).isEqualTo(ORDER);
    assertThat(first.getSourceTopic()).isEqualTo(Topics.PAYMENT_EVENTS.name());
    assertThat(first.getSourcePartition()).isEqualTo(2);
    assertThat(first.getSourceOffset()).isEqualTo(42);
    assertThat(first.getErrorClass()).isEqualTo(SagaFailureException.UnknownSaga.class.getName());
    assertThat(first.getFirstFailureAt()).isEqualTo(Instant.ofEpochMilli(NOW));
    assertThat(first.getLastFailureAt()).isEqualTo(Instant.ofEpochMilli(deadline));
    assertThat(deadLetters.get(1).getSourceTopic()).isEqualTo(Topics.SHIPMENT_EVENTS.name());
  }

  @Test
  void shouldFailACancelledOrderWithNothingToUndoAndCompensateOneThatWasPaid() {
    apply(saga.placed());
    apply(saga.cancelled());
    assertThat(statuses()).containsExactly(STARTED, FAILED);
    assertThat(changes.get(1).getReason()).isEqualTo(SagaReasons.ORDER_CANCELLED);
    assertThat(commands).isEmpty();

    SagaTestEvents paidSaga = new SagaTestEvents("order-2");
    SagaState s = null;
    List<SagaCommand> sent = new ArrayList<>();
    for (SagaEvent e :
        List.of(paidSaga.placed(), paidSaga.reserved(), paidSaga.paid(), paidSaga.cancelled())) {
      SagaTransition t = machine.onEvent(s, e, NOW);
      s = t.state();
      sent.addAll(t.commands());
    }
    assertThat(s.status).isEqualTo(COMPENSATING);
    assertThat(sent)
        .extracting(SagaCommand::record)
        .hasExactlyElementsOfTypes(ReleaseInventory.class, RefundPayment.class);
  }

  @Test
  void shouldPostponeOnlyThePendingDeadlineAndThenApplyItAtTheNewTime() {
    apply(saga.placed());
    long due = state.wakeUpAt;

    assertThat(machine.postponeDeadline(state, due - 1, due + 10_000)).as("stale").isFalse();
    assertThat(machine.postponeDeadline(state, due, due + 10_000)).isTrue();
    assertThat(state.wakeUpAt).isEqualTo(due + 10_000);
    assertThat(machine.onTimer(state, due).outcome())
        .as("the old time")
        .isEqualTo(Outcome.STALE_TIMER);
    assertThat(statuses()).containsExactly(STARTED);

    fire();

    assertThat(statuses()).containsExactly(STARTED, TIMED_OUT, FAILED);
    assertThat(machine.postponeDeadline(state, state.wakeUpAt, state.wakeUpAt + 1))
        .as("retention is never postponed")
        .isFalse();
    assertThat(machine.postponeDeadline(null, 1, 2)).isFalse();
  }

  @Test
  void shouldIgnoreATimerThatIsNotThePendingOne() {
    apply(saga.placed());
    SagaTransition stale = machine.onTimer(state, state.wakeUpAt - 1);

    assertThat(stale.outcome()).isEqualTo(Outcome.STALE_TIMER);
    assertThat(stale.changes()).isEmpty();
    assertThat(machine.onTimer(null, 1).outcome()).isEqualTo(Outcome.STALE_TIMER);
  }

  @Test
  void shouldClearTheSagaWhenItsRetentionPasses() {
    saga.successfulSaga().forEach(this::apply);

    SagaTransition cleared = fire();

    assertThat(cleared.outcome()).isEqualTo(Outcome.CLEARED);
    assertThat(cleared.state()).isNull();
    assertThat(cleared.changes()).isEmpty();
    assertThat(cleared.deadLetters()).isEmpty();
  }

  @Test
  void shouldGiveReplayedTriggersTheSameCommandIds() {
    List<SagaEvent> events = List.of(saga.placed(), saga.reserved(), saga.paymentFailed(false, 1));
    events.forEach(this::apply);
    List<SagaCommand> firstRun = List.copyOf(commands);

    SagaState replay = null;
    List<SagaCommand> secondRun = new ArrayList<>();
    for (SagaEvent e : events) {
      SagaTransition t = machine.onEvent(replay, e, NOW + 99_000);
      replay = t.state();
      secondRun.addAll(t.commands());
    }

    assertThat(secondRun).isEqualTo(firstRun);
    assertThat(firstRun).extracting(c -> c.commandId).doesNotHaveDuplicates();
  }

  private void assertTimeout(
      List<SagaEvent> events, String reason, SagaStatus then, Class<?>... expectedCommands) {
    state = null;
    changes.clear();
    commands.clear();
    events.forEach(this::apply);
    long deadline = state.wakeUpAt;
    String armedBy = state.wakeUpArmedBy;

    fire();

    SagaStateChanged timedOut = changes.get(events.size());
    assertThat(timedOut.getStatus()).isEqualTo(TIMED_OUT);
    assertThat(timedOut.getReason()).isEqualTo(reason);
    assertThat(timedOut.getTriggeringEventId()).isNull();
    assertThat(timedOut.getHistory().get(events.size()).getEnteredAt())
        .isEqualTo(Instant.ofEpochMilli(deadline));
    assertThat(changes.get(events.size() + 1).getStatus()).isEqualTo(then);
    assertThat(records()).hasExactlyElementsOfTypes(expectedCommands);
    assertThat(commands).allSatisfy(c -> assertThat(metadataOf(c).getCausationId()).isNull());
    assertThat(armedBy).isEqualTo(events.get(events.size() - 1).eventId);
    assertThat(machine.onTimer(state, deadline).outcome()).isEqualTo(Outcome.STALE_TIMER);
  }

  private static org.edapipeline.events.EventMetadata metadataOf(SagaCommand command) {
    return (org.edapipeline.events.EventMetadata) command.record().get(0);
  }

  private SagaTransition apply(SagaEvent event) {
    return collect(machine.onEvent(state, event, now));
  }

  private SagaTransition fire() {
    now = state.wakeUpAt;
    return collect(machine.onTimer(state, state.wakeUpAt));
  }

  private SagaTransition collect(SagaTransition t) {
    state = t.state();
    changes.addAll(t.changes());
    commands.addAll(t.commands());
    deadLetters.addAll(t.deadLetters());
    return t;
  }

  private void assertWakeUp(TimerPurpose purpose, long after) {
    assertThat(state.wakeUpPurpose).isEqualTo(purpose);
    assertThat(state.wakeUpAt).isEqualTo(now + after);
  }

  private List<SagaStatus> statuses() {
    return changes.stream().map(SagaStateChanged::getStatus).toList();
  }

  private List<SpecificRecord> records() {
    return commands.stream().map(SagaCommand::record).toList();
  }
}
