package org.edapipeline.bench.harness.e2e;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.edapipeline.bench.harness.Completion;
import org.edapipeline.bench.harness.saga.SagaDataSet;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireDeserializer;

/**
 * Per saga, the time from the intended commit of the outbox row that ends it (ShipmentDelivered →
 * COMPLETED, InventoryReleased → COMPENSATED) until its terminal status is visible to a
 * read_committed consumer of {@code saga.state} (the moment the poll returned it). Complete when
 * every saga reached a terminal status; a terminal status the data set does not expect is counted.
 */
final class SagaTerminalLatency implements Completion {

  private final AvroWireDeserializer<SagaStateChanged> decoder;
  private final Map<String, Long> intendedEndNanos;
  private final long sagas;
  private final Histogram histogram = new Histogram(3);
  private final Set<String> done = new HashSet<>();
  private long wrong;

  /**
   * @param intendedEndNanos per order id, the {@link System#nanoTime()} its last row was due at
   *     (filled by the generator while this reads)
   */
  SagaTerminalLatency(
      SchemaRegistryClient registry, Map<String, Long> intendedEndNanos, long sagas) {
    this.decoder = AvroWireDeserializer.forSpecific(registry, SagaStateChanged.class);
    this.intendedEndNanos = intendedEndNanos;
    this.sagas = sagas;
  }

  @Override
  public void accept(ConsumerRecord<byte[], byte[]> record) {
    if (!Topics.SAGA_STATE.name().equals(record.topic()) || record.value() == null) {
      return;
    }
    long visible = System.nanoTime();
    SagaStateChanged change = decoder.decode(record.value());
    SagaStatus status = change.getStatus();
    if (status != SagaStatus.COMPLETED
        && status != SagaStatus.COMPENSATED
        && status != SagaStatus.FAILED
        && status != SagaStatus.COMPENSATION_FAILED) {
      return;
    }
    String order = new String(record.key(), StandardCharsets.UTF_8);
    Long intended = intendedEndNanos.get(order);
    if (intended == null) {
      throw new IllegalStateException(
          "terminal status of " + order + " before its last row was due");
    }
    if (status != SagaDataSet.expectedStatus(index(order))) {
      wrong++;
      return;
    }
    if (done.add(order)) {
      histogram.recordValue(Math.max(0, (visible - intended) / 1000));
    }
  }

  @Override
  public boolean complete() {
    return done.size() >= sagas;
  }

  @Override
  public String progress() {
    return done.size() + "/" + sagas + " sagas terminal";
  }

  /** Saga {@code i}'s index from its order id ({@link SagaDataSet#orderId}). */
  private static int index(String orderId) {
    return Integer.parseInt(orderId.substring(orderId.lastIndexOf('-') + 1));
  }

  Histogram histogram() {
    return histogram;
  }

  long wrong() {
    return wrong;
  }
}
