package org.edapipeline.sagaquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.outputs.SagaStatus.COMPENSATED;
import static org.edapipeline.outputs.SagaStatus.COMPENSATING;
import static org.edapipeline.outputs.SagaStatus.COMPLETED;
import static org.edapipeline.outputs.SagaStatus.INVENTORY_RESERVED;
import static org.edapipeline.outputs.SagaStatus.PAYMENT_PROCESSED;
import static org.edapipeline.outputs.SagaStatus.SHIPPED;
import static org.edapipeline.outputs.SagaStatus.STARTED;

import org.edapipeline.sagaquery.view.SagaDocument;
import org.edapipeline.sagaquery.view.SagaView;
import org.junit.jupiter.api.Test;

class SagaViewTest {

  private final SagaView view = new SagaView();

  @Test
  void shouldKeepTheLatestChangeWithTheTimeSpentInEachStatus() {
    view.apply(SagaStates.change("o-1", STARTED));
    view.apply(SagaStates.change("o-1", STARTED, INVENTORY_RESERVED, COMPENSATING));

    SagaDocument saga = view.get("o-1").orElseThrow();

    assertThat(saga.status()).isEqualTo("COMPENSATING");
    assertThat(saga.previousStatus()).isEqualTo("INVENTORY_RESERVED");
    assertThat(saga.reason()).isEqualTo("PAYMENT_FAILED");
    assertThat(saga.startedAt()).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(saga.updatedAt()).isEqualTo("2026-03-01T10:00:02Z");
    assertThat(saga.elapsedMillis()).isEqualTo(2000);
    assertThat(saga.history())
        .extracting(s -> s.status() + " " + s.enteredAt() + " " + s.durationMillis())
        .containsExactly(
            "STARTED 2026-03-01T10:00:00Z 1000",
            "INVENTORY_RESERVED 2026-03-01T10:00:01Z 1000",
            "COMPENSATING 2026-03-01T10:00:02Z null");
    assertThat(saga.lastEventId())
        .isEqualTo(
            SagaStates.change("o-1", STARTED, INVENTORY_RESERVED, COMPENSATING)
                .getMetadata()
                .getEventId()
                .toString());
  }

  @Test
  void shouldListByStatusMostRecentlyUpdatedFirstAndForgetTombstonedOrders() {
    view.apply(SagaStates.change("o-1", STARTED, INVENTORY_RESERVED, COMPENSATING, COMPENSATED));
    view.apply(
        SagaStates.change(
            "o-2", STARTED, INVENTORY_RESERVED, PAYMENT_PROCESSED, SHIPPED, COMPLETED));
    view.apply(SagaStates.change("o-3", STARTED, INVENTORY_RESERVED, COMPENSATING, COMPENSATED));
    view.apply(SagaStates.change("o-4", STARTED));

    assertThat(view.list(COMPENSATED, 10))
        .extracting(SagaDocument::orderId)
        .containsExactly("o-1", "o-3");
    assertThat(view.list(null, 10))
        .extracting(SagaDocument::orderId)
        .containsExactly("o-2", "o-1", "o-3", "o-4");
    assertThat(view.list(null, 2)).hasSize(2);

    view.remove("o-1");

    assertThat(view.get("o-1")).isEmpty();
    assertThat(view.list(COMPENSATED, 10)).extracting(SagaDocument::orderId).containsExactly("o-3");
    assertThat(view.size()).isEqualTo(3);
  }
}
