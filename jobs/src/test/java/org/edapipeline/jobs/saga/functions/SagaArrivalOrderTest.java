package org.edapipeline.jobs.saga.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.jobs.saga.SagaTestEvents.JOB;
import static org.edapipeline.jobs.saga.SagaTestEvents.SETTINGS;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.edapipeline.jobs.saga.SagaTestEvents;
import org.edapipeline.jobs.saga.records.SagaCommand;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.edapipeline.jobs.saga.state.SagaState;
import org.edapipeline.jobs.saga.state.SagaStateMachine;
import org.edapipeline.jobs.saga.state.SagaTransition;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStatus;
import org.junit.jupiter.api.Test;

/**
 * The events of one saga come from four topics with no order between them: whatever the arrival
 * order, and however often an event is redelivered, the saga must produce the same records.
 */
class SagaArrivalOrderTest {

  private static final SagaTestEvents SAGA = new SagaTestEvents("order-1");

  /** The outputs of one run of the state machine. */
  private record Run(List<SagaStateChanged> changes, List<SagaCommand> commands) {}

  @Test
  void shouldCompleteIdenticallyForEveryPermutationOfASuccessfulSaga() {
    List<SagaEvent> events = SAGA.successfulSaga();
    Run reference = run(events);
    assertThat(statuses(reference))
        .containsOnlyOnce(SagaStatus.COMPLETED)
        .endsWith(SagaStatus.COMPLETED);

    int[] count = {0};
    forEachPermutation(
        events,
        order -> {
          assertThat(run(order)).as("arrival order %s", order).isEqualTo(reference);
          count[0]++;
        });
    assertThat(count[0]).isEqualTo(720);
  }

  @Test
  void shouldCompensateIdenticallyForEveryPermutationOfAFailedShipment() {
    List<SagaEvent> events =
        List.of(
            SAGA.placed(),
            SAGA.reserved(),
            SAGA.paid(),
            SAGA.shipmentFailed(false, 1),
            SAGA.released(),
            SAGA.refunded());
    Run reference = run(events);
    assertThat(statuses(reference)).endsWith(SagaStatus.COMPENSATING, SagaStatus.COMPENSATED);
    assertThat(reference.commands()).hasSize(3);

    forEachPermutation(
        events, order -> assertThat(run(order)).as("arrival order %s", order).isEqualTo(reference));
  }

  @Test
  void shouldCompensateIdenticallyForEveryPermutationOfAFailedPaymentWithRetries() {
    List<SagaEvent> events =
        List.of(
            SAGA.placed(),
            SAGA.reserved(),
            SAGA.paymentFailed(true, 1),
            SAGA.paymentFailed(true, 2),
            SAGA.paymentFailed(true, 3),
            SAGA.released());
    Run reference = run(events);
    assertThat(statuses(reference)).endsWith(SagaStatus.COMPENSATING, SagaStatus.COMPENSATED);

    forEachPermutation(
        events, order -> assertThat(run(order)).as("arrival order %s", order).isEqualTo(reference));
  }

  /** Through the Flink operator: any order, duplicates anywhere, COMPLETED exactly once. */
  @Property(tries = 60)
  void shouldCompleteExactlyOnceWhateverTheOrderAndDuplicates(
      @ForAll("arrivalsWithDuplicates") List<SagaEvent> arrivals) throws Exception {
    Run reference = run(SAGA.successfulSaga());
    try (SagaHarness h = SagaHarness.open()) {
      h.at(0).send(arrivals);

      assertThat(h.changes()).isEqualTo(reference.changes());
      assertThat(h.statuses()).containsOnlyOnce(SagaStatus.COMPLETED);
      assertThat(h.commands()).isEmpty();
      assertThat(h.deadLetters()).isEmpty();
      assertThat(h.timers()).as("only the retention timer").isEqualTo(1);
    }
  }

  @Provide
  Arbitrary<List<SagaEvent>> arrivalsWithDuplicates() {
    List<SagaEvent> events = SAGA.successfulSaga();
    return Arbitraries.of(events)
        .list()
        .ofMaxSize(6)
        .flatMap(
            duplicates -> {
              List<SagaEvent> all = new ArrayList<>(events);
              all.addAll(duplicates);
              return Arbitraries.shuffle(all);
            });
  }

  private static Run run(List<SagaEvent> events) {
    SagaStateMachine machine = new SagaStateMachine(SETTINGS, JOB, SagaCorrelationFunction.UID);
    SagaState state = null;
    List<SagaStateChanged> changes = new ArrayList<>();
    List<SagaCommand> commands = new ArrayList<>();
    for (SagaEvent event : events) {
      SagaTransition t = machine.onEvent(state, event, 0);
      state = t.state();
      changes.addAll(t.changes());
      commands.addAll(t.commands());
    }
    return new Run(changes, commands);
  }

  private static List<SagaStatus> statuses(Run run) {
    return run.changes().stream().map(SagaStateChanged::getStatus).toList();
  }

  private static <T> void forEachPermutation(List<T> items, Consumer<List<T>> action) {
    permute(new ArrayList<>(items), 0, action);
  }

  private static <T> void permute(List<T> items, int from, Consumer<List<T>> action) {
    if (from == items.size()) {
      action.accept(List.copyOf(items));
      return;
    }
    for (int i = from; i < items.size(); i++) {
      java.util.Collections.swap(items, from, i);
      permute(items, from + 1, action);
      java.util.Collections.swap(items, from, i);
    }
  }
}
