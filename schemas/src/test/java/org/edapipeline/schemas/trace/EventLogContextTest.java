package org.edapipeline.schemas.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class EventLogContextTest {

  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void shouldPutTheIdsForTheBlockAndRemoveThemAfter() {
    try (EventLogContext ignored = EventLogContext.open("e-1", "order-1", TRACEPARENT)) {
      assertThat(MDC.get(EventLogContext.EVENT_ID)).isEqualTo("e-1");
      assertThat(MDC.get(EventLogContext.CORRELATION_ID)).isEqualTo("order-1");
      assertThat(MDC.get(EventLogContext.TRACE_ID)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(MDC.get(EventLogContext.SPAN_ID)).isEqualTo("00f067aa0ba902b7");
    }
    assertThat(MDC.get(EventLogContext.EVENT_ID)).isNull();
    assertThat(MDC.get(EventLogContext.CORRELATION_ID)).isNull();
    assertThat(MDC.get(EventLogContext.TRACE_ID)).isNull();
    assertThat(MDC.get(EventLogContext.SPAN_ID)).isNull();
  }

  @Test
  void shouldLeaveOutWhatIsMissingOrInvalid() {
    try (EventLogContext ignored = EventLogContext.open("e-1", "order-1", TRACEPARENT)) {
      try (EventLogContext next = EventLogContext.open(null, "order-2", "garbage")) {
        assertThat(MDC.get(EventLogContext.EVENT_ID)).isNull();
        assertThat(MDC.get(EventLogContext.CORRELATION_ID)).isEqualTo("order-2");
        assertThat(MDC.get(EventLogContext.TRACE_ID)).isNull();
      }
    }
  }
}
