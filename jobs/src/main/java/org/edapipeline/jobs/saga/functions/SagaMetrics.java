package org.edapipeline.jobs.saga.functions;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.edapipeline.jobs.saga.state.SagaState;
import org.edapipeline.jobs.saga.state.SagaTransition;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStatus;

/**
 * The saga operator's metrics, shown per subtask in the web UI and by the metric reporters:
 *
 * <ul>
 *   <li>{@value #IN_FLIGHT}: gauge of sagas started and not yet ended;
 *   <li>{@value #COMPLETED}, {@value #COMPENSATED}, {@value #FAILED}, {@value #TIMED_OUT}, {@value
 *       #COMPENSATION_FAILED}: counters of sagas entering those statuses;
 *   <li>{@value #DURATION}: histogram of ended sagas' durations (startedAt to the final status);
 *   <li>{@value #LATE_EVENTS}: events ignored because their saga had ended; {@value
 *       #DUPLICATE_EVENTS}: events seen before; {@value #UNKNOWN_SAGA_EVENTS}: events dead-lettered
 *       because their saga never started.
 *   <li>{@value #DEADLINES_POSTPONED}: deadlines that came due while the subtask was behind its
 *       input and were postponed instead of applied (see {@link InputBacklog}); a postponed
 *       deadline that comes due again behind the backlog is counted again.
 * </ul>
 */
final class SagaMetrics {

  static final String IN_FLIGHT = "sagasInFlight";
  static final String COMPLETED = "sagasCompleted";
  static final String COMPENSATED = "sagasCompensated";
  static final String FAILED = "sagasFailed";
  static final String TIMED_OUT = "sagasTimedOut";
  static final String COMPENSATION_FAILED = "sagasCompensationFailed";
  static final String DURATION = "sagaDurationMillis";
  static final String LATE_EVENTS = "lateEvents";
  static final String DUPLICATE_EVENTS = "duplicateEvents";
  static final String UNKNOWN_SAGA_EVENTS = "unknownSagaEventsReported";
  static final String DEADLINES_POSTPONED = "deadlinesPostponed";

  /** Ended sagas the duration histogram keeps its statistics over. */
  private static final int HISTOGRAM_WINDOW = 10_000;

  private final Counter completed;
  private final Counter compensated;
  private final Counter failed;
  private final Counter timedOut;
  private final Counter compensationFailed;
  private final Counter lateEvents;
  private final Counter duplicateEvents;
  private final Counter unknownSagaEvents;
  private final Counter deadlinesPostponed;
  private final Histogram duration;
  private long inFlight;

  SagaMetrics(MetricGroup group, long inFlight) {
    this.inFlight = inFlight;
    group.gauge(IN_FLIGHT, this::inFlight);
    completed = group.counter(COMPLETED);
    compensated = group.counter(COMPENSATED);
    failed = group.counter(FAILED);
    timedOut = group.counter(TIMED_OUT);
    compensationFailed = group.counter(COMPENSATION_FAILED);
    lateEvents = group.counter(LATE_EVENTS);
    duplicateEvents = group.counter(DUPLICATE_EVENTS);
    unknownSagaEvents = group.counter(UNKNOWN_SAGA_EVENTS);
    deadlinesPostponed = group.counter(DEADLINES_POSTPONED);
    duration = group.histogram(DURATION, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
  }

  /** Sagas of this subtask started and not yet ended. */
  long inFlight() {
    return inFlight;
  }

  /** An event was dropped by the dedupe set before reaching the state machine. */
  void duplicate() {
    duplicateEvents.inc();
  }

  /** A due deadline was postponed because the subtask is behind its input. */
  void deadlinePostponed() {
    deadlinesPostponed.inc();
  }

  /** Deadlines postponed so far. */
  long deadlinesPostponed() {
    return deadlinesPostponed.getCount();
  }

  /** Counts what a transition did. */
  void record(SagaTransition transition) {
    switch (transition.outcome()) {
      case DUPLICATE -> duplicateEvents.inc();
      case LATE -> lateEvents.inc();
      case CLEARED -> unknownSagaEvents.inc(transition.deadLetters().size());
      default -> {}
    }
    for (SagaStateChanged change : transition.changes()) {
      SagaStatus status = change.getStatus();
      switch (status) {
        case STARTED -> inFlight++;
        case COMPLETED -> completed.inc();
        case COMPENSATED -> compensated.inc();
        case FAILED -> failed.inc();
        case TIMED_OUT -> timedOut.inc();
        case COMPENSATION_FAILED -> compensationFailed.inc();
        default -> {}
      }
      if (SagaState.isFinal(status)) {
        inFlight--;
        duration.update(change.getElapsedMillis());
      }
    }
  }
}
