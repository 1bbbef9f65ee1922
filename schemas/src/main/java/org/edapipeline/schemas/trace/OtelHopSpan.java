package org.edapipeline.schemas.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/** A {@link HopSpan} backed by an OpenTelemetry SDK span. */
final class OtelHopSpan implements HopSpan {
  private final Span span;

  OtelHopSpan(Span span) {
    this.span = span;
  }

  @Override
  public HopSpan attribute(String key, String value) {
    if (value != null) {
      span.setAttribute(key, value);
    }
    return this;
  }

  @Override
  public void failed(Throwable error) {
    span.recordException(error);
    span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
  }

  @Override
  public void end() {
    span.end();
  }
}
