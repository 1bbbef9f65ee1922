package org.edapipeline.sagaquery.view;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStatus;

/**
 * The sagas' current state, in memory: the latest {@code saga.state} record of each order, as the
 * compacted topic itself keeps it (Kafka keys by order id, so a saga's records are ordered in one
 * partition and the last one read is its current state). Written by one thread (the materializer),
 * read by any.
 */
public final class SagaView {

  private final Map<String, SagaDocument> sagas = new ConcurrentHashMap<>();

  /** Records a status change: it becomes the order's current state. */
  public void apply(SagaStateChanged change) {
    sagas.put(change.getOrderId(), SagaDocument.of(change));
  }

  /** Forgets an order (a tombstone on the compacted topic). */
  public void remove(String orderId) {
    sagas.remove(orderId);
  }

  /** The current state of {@code orderId}, if the view has seen it. */
  public Optional<SagaDocument> get(String orderId) {
    return Optional.ofNullable(sagas.get(orderId));
  }

  /**
   * Sagas in {@code status} (every saga when null), most recently updated first, at most {@code
   * limit}.
   */
  public List<SagaDocument> list(SagaStatus status, int limit) {
    return sagas.values().stream()
        .filter(saga -> status == null || saga.status().equals(status.name()))
        .sorted(
            Comparator.comparing((SagaDocument saga) -> Instant.parse(saga.updatedAt()))
                .reversed()
                .thenComparing(SagaDocument::orderId))
        .limit(limit)
        .toList();
  }

  /** How many sagas the view holds. */
  public int size() {
    return sagas.size();
  }
}
