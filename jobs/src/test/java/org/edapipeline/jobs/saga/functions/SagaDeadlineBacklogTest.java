package org.edapipeline.jobs.saga.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.jobs.saga.SagaTestEvents.PLACED_AT;
import static org.edapipeline.jobs.saga.SagaTestEvents.SETTINGS;
import static org.edapipeline.outputs.SagaStatus.COMPLETED;
import static org.edapipeline.outputs.SagaStatus.FAILED;
import static org.edapipeline.outputs.SagaStatus.INVENTORY_RESERVED;
import static org.edapipeline.outputs.SagaStatus.PAYMENT_PROCESSED;
import static org.edapipeline.outputs.SagaStatus.SHIPPED;
import static org.edapipeline.outputs.SagaStatus.STARTED;
import static org.edapipeline.outputs.SagaStatus.TIMED_OUT;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.edapipeline.jobs.saga.SagaTestEvents;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.junit.jupiter.api.Test;

/**
 * Deadlines that come due while the subtask is behind its input wait for the backlog; idle or
 * caught-up subtasks apply them on time (the rule of {@link InputBacklog}).
 */
class SagaDeadlineBacklogTest {

  private static final long INVENTORY = SETTINGS.inventoryDeadline().toMillis();
  private static final long TOLERANCE = SETTINGS.backlogTolerance().toMillis();

  /** The processing time the saga under test starts at: the clock of its OrderPlaced. */
  private static final long T0 = PLACED_AT;

  private final SagaTestEvents saga = new SagaTestEvents("order-1");
  private int trafficSeq;

  @Test
  void shouldPostponeADeadlineWhileOldEventsKeepArrivingAndCompleteWhenTheAnswerComes()
      throws Exception {
    try (SagaHarness h = SagaHarness.open()) {
      h.at(T0).send(saga.placed());
      // Other sagas' events, each written 30 s before it is read: a backlog of 30 s.
      for (long t = T0 + 1_000; t <= T0 + 35_000; t += 1_000) {
        h.at(t).send(traffic(t - 30_000));
      }
      assertThat(h.statusesOf("order-1"))
          .as("due at T0 + 10 s, postponed")
          .containsExactly(STARTED);
      assertThat(h.deadlinesPostponed()).isPositive();

      h.send(saga.reserved(), saga.paid(), saga.dispatched(), saga.delivered());

      assertThat(h.statusesOf("order-1"))
          .containsExactly(STARTED, INVENTORY_RESERVED, PAYMENT_PROCESSED, SHIPPED, COMPLETED);
      assertThat(h.commands()).filteredOn(c -> c.orderId.equals("order-1")).isEmpty();
    }
  }

  @Test
  void shouldApplyTheDeadlineOnTimeWhenNoEventsArrive() throws Exception {
    try (SagaHarness h = SagaHarness.open()) {
      // Read 30 s behind, then nothing more: the subtask is idle when the deadline comes due.
      SagaEvent placed = saga.placed();
      placed.occurredAt = T0 - 30_000;
      h.at(T0).send(placed);
      h.at(T0 + INVENTORY - 1);
      assertThat(h.statuses()).containsExactly(STARTED);

      h.at(T0 + INVENTORY);

      assertThat(h.statuses()).containsExactly(STARTED, TIMED_OUT, FAILED);
      assertThat(h.deadlinesPostponed()).isZero();
    }
  }

  @Test
  void shouldApplyTheDeadlineOnTimeWhenTheInputIsCaughtUp() throws Exception {
    try (SagaHarness h = SagaHarness.open()) {
      h.at(T0).send(saga.placed());
      for (long t = T0 + 1_000; t <= T0 + INVENTORY; t += 1_000) {
        h.at(t).send(traffic(t - TOLERANCE));
      }

      assertThat(h.statusesOf("order-1")).containsExactly(STARTED, TIMED_OUT, FAILED);
      assertThat(h.deadlinesPostponed()).isZero();
    }
  }

  @Test
  void shouldPostponeARestoredDeadlineOnceThenApplyItIfNothingArrives() throws Exception {
    OperatorSubtaskState savepoint;
    try (SagaHarness h = SagaHarness.open()) {
      h.at(T0).send(saga.placed());
      savepoint = h.snapshot(1);
    }

    long restoredAt = T0 + 5 * INVENTORY;
    try (SagaHarness h = SagaHarness.restoreAt(savepoint, restoredAt)) {
      h.at(restoredAt + 1);
      assertThat(h.statuses()).as("the backlog is unknown right after the restore").isEmpty();
      assertThat(h.deadlinesPostponed()).isEqualTo(1);
      assertThat(h.timers()).isEqualTo(1);

      h.at(restoredAt + TOLERANCE - 1);
      assertThat(h.statuses()).isEmpty();
      h.at(restoredAt + TOLERANCE);

      assertThat(h.statuses()).containsExactly(TIMED_OUT, FAILED);
      assertThat(h.deadlinesPostponed()).as("postponed once").isEqualTo(1);
      assertThat(h.statuses()).containsOnlyOnce(TIMED_OUT);
    }
  }

  @Test
  void shouldLetARestoredSagaCompleteFromTheBacklogReadAfterTheRestore() throws Exception {
    OperatorSubtaskState savepoint;
    try (SagaHarness h = SagaHarness.open()) {
      h.at(T0).send(saga.placed());
      savepoint = h.snapshot(1);
    }

    long restoredAt = T0 + 5 * INVENTORY;
    try (SagaHarness h = SagaHarness.restoreAt(savepoint, restoredAt)) {
      for (long t = restoredAt + 1_000; t < restoredAt + TOLERANCE + 20_000; t += 1_000) {
        h.at(t).send(traffic(t - 4 * INVENTORY));
      }
      assertThat(h.statusesOf("order-1")).isEmpty();

      h.send(saga.reserved());

      assertThat(h.statusesOf("order-1")).containsExactly(INVENTORY_RESERVED);
      assertThat(h.deadlinesPostponed()).isPositive();
    }
  }

  /** An event of another saga, written at {@code occurredAt}. */
  private SagaEvent traffic(long occurredAt) {
    SagaEvent event = new SagaTestEvents("traffic-" + trafficSeq++).placed();
    event.occurredAt = occurredAt;
    return event;
  }
}
