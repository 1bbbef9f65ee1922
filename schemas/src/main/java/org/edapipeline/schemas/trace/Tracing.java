package org.edapipeline.schemas.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * OpenTelemetry spans of the pipeline's hops (the CDC publish, a saga step), with the ids the hop
 * wrote into its records' {@code traceparent} headers ({@link TraceContext}), so a tracing backend
 * joins the services', the CDC's and the jobs' spans into one trace.
 *
 * <p><b>Off unless configured, at zero cost:</b> {@link #disabled()} creates no SDK, no exporter
 * and no thread, and its {@link #start} returns {@link HopSpan#NOOP} without touching
 * OpenTelemetry. {@link #otlp(String, String)} sets up an SDK of its own (never the global one)
 * that exports in batches over OTLP/HTTP (protobuf) with the JDK's HTTP client.
 *
 * <p>Sampling follows the parent: an input whose {@code traceparent} is not sampled yields a span
 * that is not recorded (its ids are still in the headers). A replayed hop exports its span again,
 * with the same ids.
 *
 * <p>The OpenTelemetry artifacts are optional dependencies of {@code schemas}: a component that
 * calls {@link #otlp} or {@link #withExporter} brings {@code opentelemetry-sdk} and {@code
 * opentelemetry-exporter-otlp}. Thread-safe.
 */
public final class Tracing implements AutoCloseable {

  /** Path of the traces endpoint under an OTLP/HTTP base URL (OTel's exporter specification). */
  public static final String TRACES_PATH = "v1/traces";

  private static final Tracing DISABLED = new Tracing(null, null);
  private static final String SCOPE = "org.edapipeline";

  /** The JVM's shared SDKs ({@link #sharedOtlp}) by endpoint and service name. */
  private static final Map<String, Shared> SHARED = new HashMap<>();

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final String sharedKey;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Tracing(SdkTracerProvider provider, String sharedKey) {
    this.provider = provider;
    this.tracer = provider == null ? null : provider.get(SCOPE);
    this.sharedKey = sharedKey;
  }

  /** Tracing off: no SDK is created, spans are {@link HopSpan#NOOP}. */
  public static Tracing disabled() {
    return DISABLED;
  }

  /**
   * Spans exported in batches over OTLP/HTTP.
   *
   * @param endpoint base URL of the collector, e.g. {@code http://otel-collector:4318} (like {@code
   *     OTEL_EXPORTER_OTLP_ENDPOINT}: {@value #TRACES_PATH} is appended)
   * @param serviceName the {@code service.name} resource attribute
   * @throws IllegalArgumentException if the endpoint is not an absolute http(s) URL
   */
  public static Tracing otlp(String endpoint, String serviceName) {
    String traces = tracesUrl(endpoint);
    SpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(traces).build();
    return create(BatchSpanProcessor.builder(exporter).build(), serviceName);
  }

  /**
   * Like {@link #otlp}, but one SDK per JVM for each endpoint and service name, shared by every
   * caller: what each Flink subtask uses, so a TaskManager runs one exporter (one batch queue, one
   * thread) however many subtasks it hosts. Each call returns a handle; {@link #close()} releases
   * it, and the last release shuts the SDK down.
   */
  public static Tracing sharedOtlp(String endpoint, String serviceName) {
    String key = tracesUrl(endpoint) + " " + Objects.requireNonNull(serviceName, "serviceName");
    synchronized (SHARED) {
      Shared shared = SHARED.get(key);
      if (shared == null) {
        shared = new Shared(otlp(endpoint, serviceName).provider);
        SHARED.put(key, shared);
      }
      shared.references++;
      return new Tracing(shared.provider, key);
    }
  }

  /**
   * Spans handed to {@code exporter} as each ends (a simple processor): for tests, with the SDK's
   * {@code InMemorySpanExporter}.
   */
  public static Tracing withExporter(SpanExporter exporter, String serviceName) {
    return create(SimpleSpanProcessor.create(Objects.requireNonNull(exporter)), serviceName);
  }

  /**
   * The traces URL of an OTLP/HTTP base URL: {@code http://host:4318} → {@code
   * http://host:4318/v1/traces}.
   *
   * @throws IllegalArgumentException if it is not an absolute http(s) URL
   */
  public static String tracesUrl(String endpoint) {
    URI uri;
    try {
      uri = URI.create(Objects.requireNonNull(endpoint, "endpoint").strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + endpoint, e);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "not an absolute http(s) URL, e.g. http://otel-collector:4318: " + endpoint);
    }
    String base = uri.toString();
    return base.endsWith("/") ? base + TRACES_PATH : base + "/" + TRACES_PATH;
  }

  private static Tracing create(SpanProcessor processor, String serviceName) {
    return new Tracing(provider(processor, serviceName), null);
  }

  private static SdkTracerProvider provider(SpanProcessor processor, String serviceName) {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(
                                AttributeKey.stringKey("service.name"),
                                Objects.requireNonNull(serviceName, "serviceName")))))
            .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
            .setIdGenerator(new PlannedIdGenerator())
            .addSpanProcessor(processor)
            .build();
    return provider;
  }

  /** Whether spans are recorded and exported. */
  public boolean enabled() {
    return provider != null;
  }

  /**
   * Starts the span {@code span} (ids as written into the headers), a child of {@code parent}.
   *
   * @param name the span name, e.g. {@code publish order.events}
   * @param kind {@code PRODUCER} for a publish, {@code CONSUMER} for processing a consumed record
   * @param span this hop's context, from {@link TraceContext#childOf} or {@link TraceContext#root}
   * @param parent the input's context; null if this span is the root of its trace
   */
  public HopSpan start(String name, Kind kind, TraceContext span, TraceContext parent) {
    if (tracer == null || span == null) {
      return HopSpan.NOOP;
    }
    SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(otel(kind));
    if (parent != null && parent.traceId().equals(span.traceId())) {
      builder.setParent(
          Context.root()
              .with(
                  Span.wrap(
                      SpanContext.createFromRemoteParent(
                          parent.traceId(),
                          parent.spanId(),
                          parent.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                          TraceState.getDefault()))));
    } else {
      builder.setNoParent();
    }
    PlannedIdGenerator.plan(span);
    try {
      return new OtelHopSpan(builder.startSpan());
    } finally {
      PlannedIdGenerator.forget();
    }
  }

  /**
   * Exports what is buffered and shuts the SDK down (waits up to 10 s); for a {@link #sharedOtlp}
   * handle, releases it, and the last release shuts down. A second call does nothing.
   */
  @Override
  public void close() {
    if (provider == null || !closed.compareAndSet(false, true)) {
      return;
    }
    if (sharedKey != null) {
      synchronized (SHARED) {
        Shared shared = SHARED.get(sharedKey);
        if (shared == null || --shared.references > 0) {
          return;
        }
        SHARED.remove(sharedKey);
      }
    }
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }

  /** Exports what is buffered, waiting up to {@code timeout}. */
  public void flush(Duration timeout) {
    if (provider != null) {
      provider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** One shared SDK and how many handles use it. */
  private static final class Shared {
    final SdkTracerProvider provider;
    int references;

    Shared(SdkTracerProvider provider) {
      this.provider = provider;
    }
  }

  /** What a span does, in OpenTelemetry's terms. */
  public enum Kind {
    /** Publishes a record (the CDC publish). */
    PRODUCER,
    /** Processes a consumed record (a job's step). */
    CONSUMER,
    /** Work inside a component. */
    INTERNAL
  }

  private static SpanKind otel(Kind kind) {
    return switch (kind) {
      case PRODUCER -> SpanKind.PRODUCER;
      case CONSUMER -> SpanKind.CONSUMER;
      case INTERNAL -> SpanKind.INTERNAL;
    };
  }
}
