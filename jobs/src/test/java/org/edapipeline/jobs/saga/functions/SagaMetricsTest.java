package org.edapipeline.jobs.saga.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.jobs.saga.SagaTestEvents.JOB;
import static org.edapipeline.jobs.saga.SagaTestEvents.SETTINGS;

import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.edapipeline.jobs.saga.SagaTestEvents;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.edapipeline.jobs.saga.state.SagaState;
import org.edapipeline.jobs.saga.state.SagaStateMachine;
import org.edapipeline.jobs.saga.state.SagaTransition;
import org.junit.jupiter.api.Test;

class SagaMetricsTest {

  private final InterceptingOperatorMetricGroup group = new InterceptingOperatorMetricGroup();
  private final SagaMetrics metrics = new SagaMetrics(group, 2);
  private final SagaStateMachine machine = new SagaStateMachine(SETTINGS, JOB, "uid");

  @Test
  void shouldCountSagasByOutcomeAndTrackTheOnesInFlight() {
    SagaTestEvents ok = new SagaTestEvents("ok");
    SagaState completed = run(ok.successfulSaga());
    assertThat(inFlight()).as("restored 2, this one ended").isEqualTo(2);
    run(List.of(ok.delivered()), completed);

    SagaTestEvents slow = new SagaTestEvents("slow");
    SagaState started = run(List.of(slow.placed(), slow.reserved()));
    assertThat(inFlight()).isEqualTo(3);
    metrics.record(machine.onTimer(started, started.wakeUpAt));

    SagaTestEvents compensated = new SagaTestEvents("compensated");
    run(
        List.of(
            compensated.placed(),
            compensated.reserved(),
            compensated.paymentFailed(false, 1),
            compensated.released()));
    SagaState late = run(new SagaTestEvents("failed").successfulSaga());
    run(List.of(new SagaTestEvents("failed").paymentFailed(false, 1)), late);
    metrics.duplicate();

    assertThat(counter(SagaMetrics.COMPLETED)).isEqualTo(2);
    assertThat(counter(SagaMetrics.TIMED_OUT)).isEqualTo(1);
    assertThat(counter(SagaMetrics.COMPENSATED)).isEqualTo(1);
    assertThat(counter(SagaMetrics.LATE_EVENTS)).isEqualTo(1);
    assertThat(counter(SagaMetrics.DUPLICATE_EVENTS)).isEqualTo(2);
    assertThat(counter(SagaMetrics.COMPENSATION_FAILED)).isZero();
    assertThat(inFlight()).as("the timed-out saga is compensating").isEqualTo(3);
    Histogram duration = (Histogram) group.get(SagaMetrics.DURATION);
    assertThat(duration.getCount()).isEqualTo(3);
    assertThat(duration.getStatistics().getMax()).isEqualTo(9_000);
  }

  @Test
  void shouldCountUnknownSagaEventsReported() {
    SagaTestEvents orphan = new SagaTestEvents("orphan");
    SagaState held = run(List.of(orphan.paid(), orphan.dispatched()));

    metrics.record(machine.onTimer(held, held.wakeUpAt));

    assertThat(counter(SagaMetrics.UNKNOWN_SAGA_EVENTS)).isEqualTo(2);
    assertThat(inFlight()).isEqualTo(2);
  }

  @Test
  void shouldCountPostponedDeadlines() {
    metrics.deadlinePostponed();
    metrics.deadlinePostponed();

    assertThat(counter(SagaMetrics.DEADLINES_POSTPONED)).isEqualTo(2);
    assertThat(metrics.deadlinesPostponed()).isEqualTo(2);
  }

  private SagaState run(List<SagaEvent> events) {
    return run(events, null);
  }

  private SagaState run(List<SagaEvent> events, SagaState state) {
    for (SagaEvent e : events) {
      SagaTransition t = machine.onEvent(state, e, 0);
      metrics.record(t);
      state = t.state();
    }
    return state;
  }

  private long counter(String name) {
    return ((Counter) group.get(name)).getCount();
  }

  @SuppressWarnings("unchecked")
  private long inFlight() {
    return ((Gauge<Long>) group.get(SagaMetrics.IN_FLIGHT)).getValue();
  }
}
