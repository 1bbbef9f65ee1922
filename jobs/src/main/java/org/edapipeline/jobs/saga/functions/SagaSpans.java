package org.edapipeline.jobs.saga.functions;

import org.edapipeline.events.EventMetadata;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.edapipeline.jobs.saga.state.SagaState;
import org.edapipeline.jobs.saga.state.SagaTrace;
import org.edapipeline.schemas.trace.HopSpan;
import org.edapipeline.schemas.trace.TraceContext;
import org.edapipeline.schemas.trace.Tracing;

/**
 * The spans of {@link SagaCorrelationFunction}, exported when tracing is on: a {@code CONSUMER}
 * span {@code process <event type>} per event under the span that delivered it, an {@code INTERNAL}
 * span {@code saga deadline} per deadline under the saga's {@code OrderPlaced}, and a {@code
 * PRODUCER} span {@code send <output type>} per output under either, with the ids of the output's
 * {@code traceparent}. When tracing is off, nothing is derived or started: the contexts are the
 * inputs' own (for the logging context) and the spans {@link HopSpan#NOOP}.
 */
final class SagaSpans {

  private final Tracing tracing;

  /** The trace parents, the sagas' roots remembered (one per subtask, shared with the machine). */
  private final SagaTrace.Parents traces;

  SagaSpans(Tracing tracing, SagaTrace.Parents traces) {
    this.tracing = tracing;
    this.traces = traces;
  }

  /** The context of processing {@code event}: its step span, or its own when not tracing. */
  TraceContext stepOf(SagaEvent event) {
    return tracing.enabled() ? traces.step(event) : traces.parent(event.traceparent, event.orderId);
  }

  /** The context of a deadline firing: its span, or the OrderPlaced's when not tracing. */
  TraceContext deadlineOf(String placedTraceparent, String orderId, long timestamp) {
    return tracing.enabled()
        ? traces.deadline(placedTraceparent, orderId, timestamp)
        : traces.parent(placedTraceparent, orderId);
  }

  /** Starts the span of processing {@code event}; {@code step} from {@link #stepOf}. */
  HopSpan startStep(SagaEvent event, TraceContext step) {
    if (!tracing.enabled()) {
      return HopSpan.NOOP;
    }
    return tracing
        .start(
            "process " + event.type.recordClass().getSimpleName(),
            Tracing.Kind.CONSUMER,
            step,
            traces.parent(event.traceparent, event.orderId))
        .attribute("messaging.system", "kafka")
        .attribute("messaging.operation.type", "process")
        .attribute("messaging.source.name", event.sourceTopicOrDefault())
        .attribute("messaging.message.id", event.eventId)
        .attribute("edapipeline.correlation_id", event.orderId);
  }

  /** Starts the span of a deadline firing; {@code step} from {@link #deadlineOf}. */
  HopSpan startDeadline(
      String orderId, TraceContext step, String placedTraceparent, SagaState state) {
    if (!tracing.enabled()) {
      return HopSpan.NOOP;
    }
    return tracing
        .start(
            "saga deadline", Tracing.Kind.INTERNAL, step, traces.parent(placedTraceparent, orderId))
        .attribute("edapipeline.correlation_id", orderId)
        .attribute(
            "edapipeline.saga.timer",
            state == null || state.wakeUpPurpose == null ? null : state.wakeUpPurpose.name());
  }

  /**
   * One short span for an output record, with the ids of its {@code traceparent} header, under the
   * step that wrote it: the next hop's spans (a service handling a command) join the trace there.
   */
  void output(EventMetadata metadata, TraceContext step) {
    if (!tracing.enabled()) {
      return;
    }
    tracing
        .start(
            "send " + metadata.getEventType(),
            Tracing.Kind.PRODUCER,
            TraceContext.parse(metadata.getTraceparent()),
            step)
        .attribute("messaging.system", "kafka")
        .attribute("messaging.operation.type", "send")
        .attribute("messaging.message.id", metadata.getEventId().toString())
        .attribute("edapipeline.correlation_id", metadata.getCorrelationId())
        .end();
  }
}
