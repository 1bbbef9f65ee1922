package org.edapipeline.jobs.saga.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.edapipeline.jobs.saga.SagaTestEvents.SETTINGS;
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
import java.util.UUID;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.edapipeline.commands.CancelOrder;
import org.edapipeline.commands.RefundPayment;
import org.edapipeline.commands.ReleaseInventory;
import org.edapipeline.jobs.saga.SagaTestEvents;
import org.edapipeline.jobs.saga.records.SagaCommand;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.SagaStatus;
import org.junit.jupiter.api.Test;

class SagaCorrelationFunctionTest {

  private static final long INVENTORY = SETTINGS.inventoryDeadline().toMillis();
  private static final long PAYMENT = SETTINGS.paymentDeadline().toMillis();
  private static final long SHIPMENT = SETTINGS.shipmentDeadline().toMillis();
  private static final long COMPENSATION = SETTINGS.compensationDeadline().toMillis();
  private static final long RETENTION = SETTINGS.retention().toMillis();

  private final SagaTestEvents saga = new SagaTestEvents("order-1");

  @Test
  void shouldEmitEachStatusOfASuccessfulSagaAndForgetItAfterRetention() throws Exception {
    try (SagaHarness h = SagaHarness.open()) {
      h.at(1_000).send(saga.successfulSaga());

      assertThat(h.statuses())
          .containsExactly(STARTED, INVENTORY_RESERVED, PAYMENT_PROCESSED, SHIPPED, COMPLETED);
      assertThat(h.commands()).isEmpty();
      assertThat(h.timers()).as("only the retention timer").isEqualTo(1);
      assertThat(h.stateEntries()).isPositive();

      h.at(1_000 + RETENTION - 1);
      assertThat(h.stateEntries()).isPositive();
      h.at(1_000 + RETENTION);

      assertThat(h.stateEntries()).isZero();
      assertThat(h.timers()).isZero();
      assertThat(h.changes()).hasSize(5);
    }
  }

  @Test
  void shouldTimeOutOnceWhileTheInputIsIdle() throws Exception {
    try (SagaHarness h = SagaHarness.open()) {
      h.at(1_000).send(saga.placed());
      h.at(1_000 + INVENTORY - 1);
      assertThat(h.statuses()).containsExactly(STARTED);

      h.at(1_000 + INVENTORY);

      assertThat(h.statuses()).containsExactly(STARTED, TIMED_OUT, FAILED);
      assertThat(h.commands())
          .extracting(SagaCommand::record)
          .hasOnlyElementsOfType(CancelOrder.class);
      h.at(1_000 + INVENTORY + RETENTION - 1);
      assertThat(h.statuses()).containsOnlyOnce(TIMED_OUT);
      h.at(1_000 + INVENTORY + RETENTION);
      assertThat(h.stateEntries()).isZero();
      assertThat(h.timers()).isZero();
    }
  }

  @Test
  void shouldMoveTheDeadlineWithTheSaga() throws Exception {
    try (SagaHarness h = SagaHarness.open()) {
      h.at(0).send(saga.placed());
      h.at(INVENTORY - 1).send(saga.reserved());
      h.at(INVENTORY + 1);
      assertThat(h.statuses()).containsExactly(STARTED, INVENTORY_RESERVED);
      assertThat(h.timers()).isEqualTo(1);

      h.at(INVENTORY - 1 + PAYMENT);

      assertThat(h.statuses()).endsWith(INVENTORY_RESERVED, TIMED_OUT, COMPENSATING);
      assertThat(h.commands())
          .extracting(SagaCommand::record)
          .hasExactlyElementsOfTypes(ReleaseInventory.class, CancelOrder.class);
    }
  }

  @Test
  void shouldSendCompensationsAndDeadLetterTheUnacknowledged() throws Exception {
    try (SagaHarness h = SagaHarness.open()) {
      h.at(0).send(saga.placed(), saga.reserved(), saga.paid(), saga.shipmentFailed(false, 1));

      assertThat(h.statuses()).endsWith(PAYMENT_PROCESSED, COMPENSATING);
      assertThat(h.commands())
          .extracting(SagaCommand::record)
          .hasExactlyElementsOfTypes(
              ReleaseInventory.class, RefundPayment.class, CancelOrder.class);
      assertThat(h.commands()).allSatisfy(c -> assertThat(c.orderId).isEqualTo("order-1"));

      h.at(COMPENSATION);

      assertThat(h.statuses()).endsWith(COMPENSATING, COMPENSATION_FAILED);
      assertThat(h.deadLetters())
          .hasSize(2)
          .extracting(DeadLetter::getEventId)
          .containsExactly(
              UUID.fromString(h.commands().get(0).commandId),
              UUID.fromString(h.commands().get(1).commandId));
      assertThat(h.deadLetters())
          .allSatisfy(d -> assertThat(d.getCorrelationId()).isEqualTo("order-1"));
    }
  }

  @Test
  void shouldEndCompensatedWhenEveryCompensationIsAcknowledged() throws Exception {
    try (SagaHarness h = SagaHarness.open()) {
      h.at(0).send(saga.placed(), saga.reserved(), saga.paymentFailed(false, 1));
      h.at(COMPENSATION - 1).send(saga.released());
      h.at(COMPENSATION + RETENTION);

      assertThat(h.statuses()).endsWith(COMPENSATING, SagaStatus.COMPENSATED);
      assertThat(h.deadLetters()).isEmpty();
      assertThat(h.stateEntries()).isZero();
    }
  }

  @Test
  void shouldWaitForARetryBeforeCompensating() throws Exception {
    try (SagaHarness h = SagaHarness.open()) {
      h.at(0).send(saga.placed(), saga.reserved());
      h.at(PAYMENT - 1).send(saga.paymentFailed(true, 1));
      h.at(PAYMENT + 1);
      assertThat(h.statuses())
          .as("the failure restarted the deadline")
          .endsWith(INVENTORY_RESERVED);

      h.at(2 * PAYMENT - 2).send(saga.paid());

      assertThat(h.statuses()).endsWith(PAYMENT_PROCESSED);
      assertThat(h.commands()).isEmpty();
    }
  }

  @Test
  void shouldIgnoreDuplicatesAndLateEvents() throws Exception {
    try (SagaHarness h = SagaHarness.open()) {
      for (var event : saga.successfulSaga()) {
        h.send(event, event);
      }
      h.send(saga.placed(), saga.paymentFailed(false, 1), saga.paymentFailed(false, 1));

      assertThat(h.statuses())
          .containsExactly(STARTED, INVENTORY_RESERVED, PAYMENT_PROCESSED, SHIPPED, COMPLETED);
      assertThat(h.commands()).isEmpty();
    }
  }

  @Test
  void shouldReportAnUnknownSagaAndForgetIt() throws Exception {
    try (SagaHarness h = SagaHarness.open()) {
      h.at(0).send(saga.paid(), saga.paid());
      h.at(SETTINGS.unknownSagaDeadline().toMillis() - 1);
      assertThat(h.deadLetters()).isEmpty();

      h.at(SETTINGS.unknownSagaDeadline().toMillis());

      assertThat(h.deadLetters())
          .singleElement()
          .satisfies(d -> assertThat(d.getCorrelationId()).isEqualTo("order-1"));
      assertThat(h.changes()).isEmpty();
      assertThat(h.stateEntries()).isZero();
      assertThat(h.timers()).isZero();
    }
  }

  @Test
  void shouldFireEachPendingDeadlineOnceAfterARestore() throws Exception {
    SagaTestEvents started = new SagaTestEvents("started");
    SagaTestEvents reserved = new SagaTestEvents("reserved");
    SagaTestEvents paid = new SagaTestEvents("paid");
    SagaTestEvents compensating = new SagaTestEvents("compensating");
    SagaTestEvents completed = new SagaTestEvents("completed");
    OperatorSubtaskState savepoint;
    try (SagaHarness h = SagaHarness.open()) {
      h.at(0)
          .send(started.placed())
          .send(reserved.placed(), reserved.reserved())
          .send(paid.placed(), paid.reserved(), paid.paid())
          .send(
              compensating.placed(), compensating.reserved(), compensating.paymentFailed(false, 1))
          .send(completed.successfulSaga());
      assertThat(h.timers()).isEqualTo(5);
      savepoint = h.snapshot(1);
    }

    OperatorSubtaskState afterFiring;
    try (SagaHarness h = SagaHarness.restore(savepoint)) {
      assertThat(h.timers()).isEqualTo(5);
      assertThat(h.changes()).isEmpty();

      h.at(SHIPMENT);

      assertThat(h.statusesOf("started")).containsExactly(TIMED_OUT, FAILED);
      assertThat(h.statusesOf("reserved")).containsExactly(TIMED_OUT, COMPENSATING);
      assertThat(h.statusesOf("paid")).containsExactly(TIMED_OUT, COMPENSATING);
      assertThat(h.statusesOf("compensating")).isEmpty();
      h.at(COMPENSATION);
      assertThat(h.statusesOf("compensating")).containsExactly(COMPENSATION_FAILED);
      assertThat(h.statuses()).filteredOn(s -> s == TIMED_OUT).hasSize(3);
      afterFiring = h.snapshot(2);
    }

    try (SagaHarness h = SagaHarness.restore(afterFiring)) {
      h.at(COMPENSATION + SHIPMENT);
      assertThat(h.statusesOf("started")).as("fired before the snapshot, not again").isEmpty();
      assertThat(h.statusesOf("compensating")).isEmpty();
      assertThat(h.statuses()).doesNotContain(TIMED_OUT);
      // The timed-out sagas' own compensation deadlines were pending in the second snapshot.
      assertThat(h.statusesOf("reserved")).containsExactly(COMPENSATION_FAILED);
      assertThat(h.statusesOf("paid")).containsExactly(COMPENSATION_FAILED);
      h.at(10 * RETENTION);
      assertThat(h.changes()).hasSize(2);
      assertThat(h.stateEntries()).isZero();
      assertThat(h.timers()).isZero();
    }
  }

  @Test
  void shouldRunWithGenericTypesDisabled() throws Exception {
    try (SagaHarness h = SagaHarness.open()) {
      assertThatThrownBy(
              () ->
                  new GenericTypeInfo<>(Object.class)
                      .createSerializer(h.harness.getExecutionConfig().getSerializerConfig()))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void shouldRefuseADedupeTtlShorterThanTheRetention() {
    assertThatThrownBy(() -> new SagaCorrelationFunction(SETTINGS, Duration.ofSeconds(1), "job"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retention");
  }
}
