package org.edapipeline.jobs.saga.state;

import java.util.LinkedHashMap;
import java.util.Map;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.edapipeline.schemas.trace.TraceContext;

/**
 * The saga's trace contexts, all derived (never random) so a restored job writes the same {@code
 * traceparent}s and exports spans with the same ids:
 *
 * <ul>
 *   <li>an output (status change, command) is a child of the span of the event that proves it (its
 *       causation), or after a deadline of the saga's {@code OrderPlaced}, with the output's event
 *       id as seed: {@link #output};
 *   <li>processing an event is the span {@code saga-step/<event id>} under the event's span: {@link
 *       #step}; a deadline firing is {@code saga-deadline/<order id>/<time>} under the {@code
 *       OrderPlaced}'s: {@link #deadline}.
 * </ul>
 *
 * <p>An event without a valid traceparent is treated as part of the saga's own trace, a root
 * derived from the order id, so every output of an untraced saga still shares one trace. Deriving
 * it hashes the order id (SHA-256), once for the step and once per output of every event: a {@link
 * Parents} per subtask remembers the roots of the sagas seen last, with the same results.
 */
public final class SagaTrace {

  private SagaTrace() {}

  /** The trace context an output or step hangs under: the input's, or the saga's own root. */
  public static TraceContext parent(String traceparent, String orderId) {
    TraceContext parent = TraceContext.parse(traceparent);
    return parent != null ? parent : root(orderId);
  }

  /**
   * The {@code traceparent} of an output with id {@code outputId} whose cause had {@code parent}.
   */
  public static String output(String parentTraceparent, String orderId, String outputId) {
    return output(parent(parentTraceparent, orderId), outputId);
  }

  /** The span of processing {@code event}. */
  public static TraceContext step(SagaEvent event) {
    return step(parent(event.traceparent, event.orderId), event);
  }

  /** The span of a deadline at {@code timestamp} firing for the saga of {@code orderId}. */
  public static TraceContext deadline(String placedTraceparent, String orderId, long timestamp) {
    return deadline(parent(placedTraceparent, orderId), orderId, timestamp);
  }

  /** The saga's own trace, for events without a valid traceparent (hashes the order id). */
  private static TraceContext root(String orderId) {
    return TraceContext.root("saga/" + orderId);
  }

  private static String output(TraceContext parent, String outputId) {
    return parent.child(outputId).traceparent();
  }

  private static TraceContext step(TraceContext parent, SagaEvent event) {
    return parent.child("saga-step/" + event.eventId);
  }

  private static TraceContext deadline(TraceContext parent, String orderId, long timestamp) {
    return parent.child("saga-deadline/" + orderId + "/" + timestamp);
  }

  /**
   * {@link SagaTrace}'s derivations with the sagas' roots remembered: equal results, without
   * hashing the order id again for every event and output of a saga whose events carry no valid
   * traceparent. Holds the roots of the {@value #CAPACITY} sagas used last. Not thread-safe: one
   * per subtask (function instance), never shared, never in state.
   */
  public static final class Parents {

    /** Roots remembered; a saga's events are usually close together in its subtask's input. */
    static final int CAPACITY = 4096;

    private final Map<String, TraceContext> roots =
        new LinkedHashMap<>(256, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, TraceContext> eldest) {
            return size() > CAPACITY;
          }
        };

    /** As {@link SagaTrace#parent}. */
    public TraceContext parent(String traceparent, String orderId) {
      TraceContext parent = TraceContext.parse(traceparent);
      return parent != null ? parent : roots.computeIfAbsent(orderId, SagaTrace::root);
    }

    /** As {@link SagaTrace#output}. */
    public String output(String parentTraceparent, String orderId, String outputId) {
      return SagaTrace.output(parent(parentTraceparent, orderId), outputId);
    }

    /** As {@link SagaTrace#step}. */
    public TraceContext step(SagaEvent event) {
      return SagaTrace.step(parent(event.traceparent, event.orderId), event);
    }

    /** As {@link SagaTrace#deadline}. */
    public TraceContext deadline(String placedTraceparent, String orderId, long timestamp) {
      return SagaTrace.deadline(parent(placedTraceparent, orderId), orderId, timestamp);
    }
  }
}
