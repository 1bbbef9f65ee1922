package org.edapipeline.jobs.saga.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.edapipeline.jobs.saga.records.SagaEventType;
import org.edapipeline.schemas.trace.TraceContext;
import org.junit.jupiter.api.Test;

/**
 * The per-subtask shortcuts of the saga's derived ids give exactly what the plain derivations give:
 * {@link SagaRecords#nameUuid} (a reused MD5 digest) equals {@link UUID#nameUUIDFromBytes}, and
 * {@link SagaTrace.Parents} (remembered roots) equals {@link SagaTrace}'s static methods, also once
 * roots have been forgotten.
 */
class SagaDerivationsTest {

  private static final String TRACED = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  @Test
  void shouldDeriveTheSameNameBasedIdsAsUuidNameUuidFromBytes() {
    SagaRecords records = new SagaRecords("job", "uid", new SagaTrace.Parents());
    List<String[]> names = new ArrayList<>();
    names.add(new String[] {"order-1", "ReleaseInventory", "event-1"});
    names.add(new String[] {"order-1", "SagaStateChanged", "1", "STARTED"});
    names.add(new String[] {"ördér-ü", "CancelOrder", "deadline/STARTED/e"});
    names.add(new String[] {""});
    for (int i = 0; i < 200; i++) {
      names.add(new String[] {"order-" + i, "RefundPayment", UUID.randomUUID().toString()});
    }
    for (String[] parts : names) {
      UUID expected =
          UUID.nameUUIDFromBytes(String.join("/", parts).getBytes(StandardCharsets.UTF_8));
      // Twice: the reused digest must be reset between ids.
      assertThat(records.nameUuid(parts)).as(String.join("/", parts)).isEqualTo(expected);
      assertThat(records.nameUuid(parts)).isEqualTo(expected);
      assertThat(records.nameUuid(parts).version()).isEqualTo(3);
    }
  }

  @Test
  void shouldDeriveTheSameTraceContextsWithRememberedRoots() {
    SagaTrace.Parents parents = new SagaTrace.Parents();
    // More sagas than the memo holds, each seen twice, so some roots are forgotten and derived
    // again.
    int sagas = SagaTrace.Parents.CAPACITY + 50;
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < sagas; i++) {
        String orderId = "order-" + i;
        String traceparent = i % 3 == 0 ? TRACED : i % 3 == 1 ? null : "not-a-traceparent";
        SagaEvent event =
            new SagaEvent("event-" + i, SagaEventType.ORDER_PLACED, orderId, 1_000L + i);
        event.traceparent = traceparent;

        assertThat(parents.parent(traceparent, orderId))
            .isEqualTo(SagaTrace.parent(traceparent, orderId));
        assertThat(parents.output(traceparent, orderId, "out-" + i))
            .isEqualTo(SagaTrace.output(traceparent, orderId, "out-" + i));
        assertThat(parents.step(event)).isEqualTo(SagaTrace.step(event));
        assertThat(parents.deadline(traceparent, orderId, 77L))
            .isEqualTo(SagaTrace.deadline(traceparent, orderId, 77L));
      }
    }
    assertThat(parents.parent(null, null)).isEqualTo(TraceContext.root("saga/null"));
    assertThat(parents.parent(null, "order-1")).isEqualTo(TraceContext.root("saga/order-1"));
    assertThat(parents.parent(null, "order-1")).isNotEqualTo(parents.parent(null, "order-2"));
  }
}
