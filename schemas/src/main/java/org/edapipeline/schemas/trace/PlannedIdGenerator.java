package org.edapipeline.schemas.trace;

import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * Gives the OpenTelemetry SDK the span id (and, for a root, the trace id) that the pipeline derived
 * with {@link TraceContext} and wrote into the record's headers, so the exported span and the
 * header name the same span. The ids are planned on the calling thread right before {@code
 * startSpan()} (which asks for them synchronously) and forgotten right after; a span started
 * without a plan gets random ids.
 */
final class PlannedIdGenerator implements IdGenerator {

  private static final ThreadLocal<TraceContext> PLANNED = new ThreadLocal<>();
  private static final IdGenerator RANDOM = IdGenerator.random();

  static void plan(TraceContext context) {
    PLANNED.set(context);
  }

  static void forget() {
    PLANNED.remove();
  }

  @Override
  public String generateSpanId() {
    TraceContext planned = PLANNED.get();
    return planned == null ? RANDOM.generateSpanId() : planned.spanId();
  }

  @Override
  public String generateTraceId() {
    TraceContext planned = PLANNED.get();
    return planned == null ? RANDOM.generateTraceId() : planned.traceId();
  }

  @Override
  public boolean generatesRandomTraceIds() {
    return false; // derived from the seed (W3C level 2's "random" flag must not be set)
  }
}
