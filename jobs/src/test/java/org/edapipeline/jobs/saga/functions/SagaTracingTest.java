package org.edapipeline.jobs.saga.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.jobs.common.RawRecord;
import org.edapipeline.jobs.common.TracingFactory;
import org.edapipeline.jobs.saga.SagaTestEvents;
import org.edapipeline.jobs.saga.records.SagaCommand;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.trace.TraceContext;
import org.edapipeline.schemas.trace.Tracing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The saga's trace context: every output is a new span in its cause's trace, the same with tracing
 * on or off, and the spans exported when tracing is on carry exactly those ids.
 */
class SagaTracingTest {

  /** The SDK in the harness's subtask exports here (same JVM); kept across its shutdown. */
  private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

  private static final TracingFactory IN_MEMORY =
      () -> Tracing.withExporter(new KeepingExporter(), "saga-test");

  private final SagaTestEvents saga = new SagaTestEvents("order-traced");

  @AfterEach
  void forgetSpans() {
    SPANS.reset();
  }

  /** A compensation path: status changes and commands. */
  private List<SagaEvent> events() {
    return List.of(saga.placed(), saga.reserved(), saga.paymentFailed(false, 1));
  }

  @Test
  void shouldExportAProcessSpanPerEventAndASendSpanPerOutputWithTheHeadersIds() throws Exception {
    List<EventMetadata> outputs;
    try (SagaHarness harness = SagaHarness.open(IN_MEMORY).send(events())) {
      outputs = outputs(harness);
    }
    assertThat(outputs).hasSizeGreaterThan(3);
    List<SpanData> spans = SPANS.getFinishedSpanItems();
    Map<String, SpanData> byId =
        spans.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));

    List<SpanData> steps = spans.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).toList();
    assertThat(steps).hasSize(events().size());
    for (SagaEvent event : events()) {
      TraceContext input = TraceContext.parse(event.traceparent);
      assertThat(steps)
          .as("the step of %s is a child of its span", event)
          .anySatisfy(
              step -> {
                assertThat(step.getName()).endsWith(event.type.recordClass().getSimpleName());
                assertThat(step.getTraceId()).isEqualTo(input.traceId());
                assertThat(step.getParentSpanId()).isEqualTo(input.spanId());
              });
    }
    for (EventMetadata output : outputs) {
      TraceContext header = TraceContext.parse(output.getTraceparent());
      SpanData send = byId.get(header.spanId());
      assertThat(send).as("span of %s", output.getEventType()).isNotNull();
      assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
      assertThat(send.getTraceId()).isEqualTo(header.traceId());
      assertThat(byId.get(send.getParentSpanId()).getKind())
          .as("written by a step")
          .isEqualTo(SpanKind.CONSUMER);
    }
  }

  @Test
  void shouldWriteEachOutputInItsCausesTraceWithANewSpanTheSameWithTracingOff() throws Exception {
    List<EventMetadata> traced;
    try (SagaHarness harness = SagaHarness.open(IN_MEMORY).send(events())) {
      traced = outputs(harness);
    }
    List<EventMetadata> untraced;
    try (SagaHarness harness = SagaHarness.open().send(events())) {
      untraced = outputs(harness);
    }

    assertThat(untraced).isEqualTo(traced);
    Map<String, String> inputTraces =
        events().stream().collect(Collectors.toMap(e -> e.eventId, e -> e.traceparent));
    for (EventMetadata output : traced) {
      assertThat(output.getCorrelationId()).isEqualTo(saga.orderId());
      String cause = inputTraces.get(output.getCausationId());
      assertThat(cause).as("caused by an input: %s", output).isNotNull();
      TraceContext header = TraceContext.parse(output.getTraceparent());
      assertThat(header.traceId()).isEqualTo(TraceContext.parse(cause).traceId());
      assertThat(header.spanId()).isNotEqualTo(TraceContext.parse(cause).spanId());
    }
    assertThat(traced.stream().map(EventMetadata::getTraceparent)).doesNotHaveDuplicates();
  }

  @Test
  void shouldTakeTheDeliveringRecordsTraceparentWhenItIsValid() {
    SagaEvent event = saga.placed();
    String payloadTrace = event.traceparent;
    String cdcTrace = TraceContext.childOf(payloadTrace, "cdc-publish/x").traceparent();

    assertThat(event.withOrigin(origin(cdcTrace)).traceparent).isEqualTo(cdcTrace);
    SagaEvent other = saga.placed();
    assertThat(other.withOrigin(origin("garbage")).traceparent).isEqualTo(payloadTrace);
    assertThat(saga.placed().withOrigin(origin(null)).traceparent).isEqualTo(payloadTrace);
  }

  private static RawRecord origin(String traceparent) {
    RawRecord raw = new RawRecord();
    raw.topic = Topics.ORDER_EVENTS.name();
    raw.headerKeys = traceparent == null ? new String[0] : new String[] {EventHeaders.TRACEPARENT};
    raw.headerValues =
        traceparent == null
            ? new byte[0][]
            : new byte[][] {traceparent.getBytes(StandardCharsets.UTF_8)};
    return raw;
  }

  private static List<EventMetadata> outputs(SagaHarness harness) {
    List<EventMetadata> outputs = new ArrayList<>();
    harness.changes().stream().map(SagaStateChanged::getMetadata).forEach(outputs::add);
    harness.commands().stream().map(SagaCommand::metadata).forEach(outputs::add);
    return outputs;
  }

  /** Hands spans to {@link #SPANS} and ignores the shutdown that would clear them. */
  private static final class KeepingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return SPANS.export(spans);
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
