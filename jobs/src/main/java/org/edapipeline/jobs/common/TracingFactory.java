package org.edapipeline.jobs.common;

import java.io.Serializable;
import org.edapipeline.schemas.trace.Tracing;

/**
 * How an operator gets its {@link Tracing}: serialized with the function (it holds only settings),
 * called in {@code open()} on the TaskManager, and the {@code Tracing} it returns is closed in
 * {@code close()}. The OpenTelemetry SDK is therefore never serialized, never created on the
 * client, and created at most once per TaskManager JVM ({@link Tracing#sharedOtlp}).
 */
@FunctionalInterface
public interface TracingFactory extends Serializable {

  /** Creates (or joins) the tracing of this operator instance. */
  Tracing open();

  /** Tracing off: no SDK, no-op spans. */
  static TracingFactory disabled() {
    return Tracing::disabled;
  }

  /**
   * Spans exported over OTLP/HTTP, one SDK per TaskManager JVM and endpoint.
   *
   * @param endpoint base URL of the collector, e.g. {@code http://otel-collector:4318}
   * @param serviceName the spans' {@code service.name}
   */
  static TracingFactory otlp(String endpoint, String serviceName) {
    return () -> Tracing.sharedOtlp(endpoint, serviceName);
  }
}
