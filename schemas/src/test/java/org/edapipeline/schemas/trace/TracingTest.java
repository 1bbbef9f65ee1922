package org.edapipeline.schemas.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.edapipeline.schemas.Topics;
import org.junit.jupiter.api.Test;

class TracingTest {

  private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void shouldExportASpanWithTheIdsWrittenIntoTheHeaders() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (Tracing tracing = Tracing.withExporter(exporter, "test-service")) {
      TraceContext parent = TraceContext.parse(PARENT);
      TraceContext hop = parent.child("event-1");
      String topic = Topics.ORDER_EVENTS.name();

      tracing
          .start("publish " + topic, Tracing.Kind.PRODUCER, hop, parent)
          .attribute("messaging.destination.name", topic)
          .end();

      List<SpanData> spans = exporter.getFinishedSpanItems();
      assertThat(spans).hasSize(1);
      SpanData span = spans.get(0);
      assertThat(span.getTraceId()).isEqualTo(hop.traceId());
      assertThat(span.getSpanId()).isEqualTo(hop.spanId());
      assertThat(span.getParentSpanId()).isEqualTo(parent.spanId());
      assertThat(span.getParentSpanContext().isRemote()).isTrue();
      assertThat(span.getKind()).isEqualTo(SpanKind.PRODUCER);
      assertThat(span.getName()).isEqualTo("publish " + topic);
      assertThat(span.getResource().getAttributes().asMap().values()).contains("test-service");
    }
  }

  @Test
  void shouldExportARootWithItsDerivedTraceIdAndMarkFailures() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (Tracing tracing = Tracing.withExporter(exporter, "test-service")) {
      TraceContext root = TraceContext.root("event-1");
      HopSpan span = tracing.start("step", Tracing.Kind.CONSUMER, root, null);
      span.failed(new IllegalStateException("boom"));
      span.end();

      SpanData data = exporter.getFinishedSpanItems().get(0);
      assertThat(data.getTraceId()).isEqualTo(root.traceId());
      assertThat(data.getSpanId()).isEqualTo(root.spanId());
      assertThat(data.getParentSpanContext().isValid()).isFalse();
      assertThat(data.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }
  }

  @Test
  void shouldRecordNothingForAnUnsampledParent() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (Tracing tracing = Tracing.withExporter(exporter, "test-service")) {
      TraceContext parent = TraceContext.parse(PARENT.replace("-01", "-00"));
      tracing.start("step", Tracing.Kind.CONSUMER, parent.child("x"), parent).end();

      assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }
  }

  @Test
  void shouldHandOutNoopSpansWhenDisabled() {
    Tracing tracing = Tracing.disabled();

    assertThat(tracing.enabled()).isFalse();
    assertThat(tracing.start("x", Tracing.Kind.CONSUMER, TraceContext.root("a"), null))
        .isSameAs(HopSpan.NOOP);
  }

  @Test
  void shouldShareOneSdkPerEndpointAndShutItDownWithTheLastHandle() {
    Tracing first = Tracing.sharedOtlp("http://127.0.0.1:4318", "saga");
    Tracing second = Tracing.sharedOtlp("http://127.0.0.1:4318", "saga");

    assertThat(first.enabled()).isTrue();
    first.close();
    first.close(); // a second close does not release the other handle's reference
    HopSpan span = second.start("x", Tracing.Kind.CONSUMER, TraceContext.root("a"), null);
    assertThat(span).isNotSameAs(HopSpan.NOOP);
    second.close();
  }

  @Test
  void shouldBuildTheTracesUrlAndRefuseABadEndpoint() {
    assertThat(Tracing.tracesUrl("http://collector:4318"))
        .isEqualTo("http://collector:4318/v1/traces");
    assertThat(Tracing.tracesUrl("https://collector:4318/"))
        .isEqualTo("https://collector:4318/v1/traces");
    assertThatThrownBy(() -> Tracing.tracesUrl("collector:4318"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("collector:4318");
    assertThatThrownBy(() -> Tracing.tracesUrl("http://bad host"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
