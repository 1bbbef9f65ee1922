package org.edapipeline.schemas.trace;

import org.slf4j.MDC;

/**
 * Puts the ids of the event being processed into the logging context (SLF4J's {@link MDC}, which is
 * log4j2's {@code ThreadContext} under the {@code log4j-slf4j2-impl} binding) so that every log
 * line written meanwhile carries them, and removes them again on {@link #close()}:
 *
 * <pre>{@code
 * try (EventLogContext ignored = EventLogContext.open(eventId, correlationId, traceparent)) {
 *   ... // every log line here has correlation_id, event_id, trace_id and span_id
 * }
 * }</pre>
 *
 * <p>The JSON layout of {@code flink-conf/} and of the CDC service writes them as fields; the text
 * layouts may show them with {@code %X{correlation_id}}. A null value, or a traceparent that does
 * not parse, leaves its key out. Not nestable: close restores nothing, it removes the four keys.
 */
public final class EventLogContext implements AutoCloseable {

  /** The event's correlation id (the order id for the saga). */
  public static final String CORRELATION_ID = "correlation_id";

  /** The event's id. */
  public static final String EVENT_ID = "event_id";

  /** The trace id of the event's {@code traceparent}, 32 hex digits. */
  public static final String TRACE_ID = "trace_id";

  /** The span id of the event's {@code traceparent}, 16 hex digits. */
  public static final String SPAN_ID = "span_id";

  private static final EventLogContext INSTANCE = new EventLogContext();

  private EventLogContext() {}

  /**
   * Puts the ids into the current thread's logging context.
   *
   * @param traceparent the W3C traceparent whose ids are logged; may be null or invalid
   */
  public static EventLogContext open(String eventId, String correlationId, String traceparent) {
    return open(eventId, correlationId, TraceContext.parse(traceparent));
  }

  /** Puts the ids into the current thread's logging context; {@code trace} may be null. */
  public static EventLogContext open(String eventId, String correlationId, TraceContext trace) {
    put(EVENT_ID, eventId);
    put(CORRELATION_ID, correlationId);
    put(TRACE_ID, trace == null ? null : trace.traceId());
    put(SPAN_ID, trace == null ? null : trace.spanId());
    return INSTANCE;
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  /** Removes the four keys from the current thread's logging context. */
  @Override
  public void close() {
    MDC.remove(EVENT_ID);
    MDC.remove(CORRELATION_ID);
    MDC.remove(TRACE_ID);
    MDC.remove(SPAN_ID);
  }
}
