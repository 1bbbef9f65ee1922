package org.edapipeline.schemas.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";
  private static final String SAMPLED = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";

  @Test
  void shouldParseAndFormatAW3cTraceparent() {
    TraceContext context = TraceContext.parse(SAMPLED);

    assertThat(context.traceId()).isEqualTo(TRACE_ID);
    assertThat(context.spanId()).isEqualTo(SPAN_ID);
    assertThat(context.sampled()).isTrue();
    assertThat(context.traceparent()).isEqualTo(SAMPLED);
    assertThat(TraceContext.parse("00-" + TRACE_ID + "-" + SPAN_ID + "-00").sampled()).isFalse();
  }

  @Test
  void shouldAcceptAHigherVersionWithMoreFieldsAndWriteVersion00() {
    TraceContext context = TraceContext.parse("cc-" + TRACE_ID + "-" + SPAN_ID + "-09-whatever");

    assertThat(context.traceparent()).isEqualTo(SAMPLED);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "garbage",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // version 00 is 55 chars
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // uppercase
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // zero span id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // forbidden version
        "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01", // not hex
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x", // no dash after flags
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g"
      })
  void shouldRejectAnInvalidTraceparentWithoutThrowing(String value) {
    assertThat(TraceContext.parse(value)).isNull();
  }

  @Test
  void shouldDeriveAChildInTheSameTraceWithANewDeterministicSpanId() {
    TraceContext child = TraceContext.childOf(SAMPLED, "event-1");

    assertThat(child.traceId()).isEqualTo(TRACE_ID);
    assertThat(child.spanId()).isNotEqualTo(SPAN_ID).matches("[0-9a-f]{16}");
    assertThat(child.sampled()).isTrue();
    assertThat(TraceContext.childOf(SAMPLED, "event-1")).isEqualTo(child);
    assertThat(TraceContext.childOf(SAMPLED, "event-2").spanId()).isNotEqualTo(child.spanId());
    // the same output under another parent span is another span
    String otherParent = "00-" + TRACE_ID + "-1111111111111111-01";
    assertThat(TraceContext.childOf(otherParent, "event-1").spanId()).isNotEqualTo(child.spanId());
  }

  @Test
  void shouldKeepTheParentsSampledFlag() {
    assertThat(TraceContext.childOf("00-" + TRACE_ID + "-" + SPAN_ID + "-00", "x").sampled())
        .isFalse();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"not-a-traceparent", "00-zz"})
  void shouldStartANewDeterministicRootWhenTheParentIsMissingOrInvalid(String parent) {
    TraceContext root = TraceContext.childOf(parent, "event-1");

    assertThat(root).isEqualTo(TraceContext.root("event-1"));
    assertThat(root.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(TraceContext.parse(root.traceparent())).isEqualTo(root);
    assertThat(TraceContext.root("event-2").traceId()).isNotEqualTo(root.traceId());
    assertThat(TraceContext.root(null)).isNotNull();
  }
}
