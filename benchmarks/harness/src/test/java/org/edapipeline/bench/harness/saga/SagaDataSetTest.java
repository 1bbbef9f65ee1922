package org.edapipeline.bench.harness.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.trace.TraceContext;
import org.junit.jupiter.api.Test;

class SagaDataSetTest {

  private final SagaDataSet data = new SagaDataSet(100, Instant.parse("2026-11-29T09:00:00Z"));

  @Test
  void shouldCompleteEightyFivePercentAndCompensateTheRest() {
    long compensated =
        java.util.stream.IntStream.range(0, 100)
            .filter(i -> SagaDataSet.expectedStatus(i) == SagaStatus.COMPENSATED)
            .count();

    assertThat(compensated).isEqualTo(15);
    assertThat(data.events()).isEqualTo(85 * 5 + 15 * 4);
  }

  @Test
  void shouldGiveAFailedPaymentItsReleaseAcknowledgement() {
    int failing = 17;
    List<String> types = data.saga(failing).stream().map(e -> e.metadata().getEventType()).toList();

    assertThat(types)
        .containsExactly("OrderPlaced", "InventoryReserved", "PaymentFailed", "InventoryReleased");
    assertThat(data.saga(failing).get(3).topic()).isEqualTo(Topics.INVENTORY_EVENTS);
  }

  @Test
  void shouldCarryTheOrderIdAsCorrelationIdAndTheAggregateIdAsKey() {
    for (SagaDataSet.Event e : data.saga(3)) {
      assertThat(e.metadata().getCorrelationId()).isEqualTo(SagaDataSet.orderId(3));
      assertThat(e.key()).isEqualTo(e.metadata().getAggregateId());
      assertThat(e.topic()).isEqualTo(Topics.forAggregateType(e.metadata().getAggregateType()));
    }
    assertThat(data.saga(3)).hasSize(5);
  }

  @Test
  void shouldTraceEachSagaAsOneTraceWithASpanPerEvent() {
    List<TraceContext> saga =
        data.saga(3).stream().map(e -> TraceContext.parse(e.metadata().getTraceparent())).toList();
    TraceContext other = TraceContext.parse(data.saga(4).get(0).metadata().getTraceparent());

    assertThat(saga).doesNotContainNull().hasSize(5);
    assertThat(saga).extracting(TraceContext::traceId).containsOnly(saga.get(0).traceId());
    assertThat(saga).extracting(TraceContext::spanId).doesNotHaveDuplicates();
    assertThat(other.traceId()).isNotEqualTo(saga.get(0).traceId());
  }
}
