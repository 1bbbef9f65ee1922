package org.edapipeline.service.consumer;

import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.edapipeline.outputs.DeadLetter;

/**
 * Callbacks on the consumer's thread, for metrics and tests. Each is called after the fact it
 * reports is durable: after the database commit, after the dead letter was acknowledged by Kafka;
 * the Kafka offsets are committed later, after the batch. A listener must not throw; whatever it
 * throws is logged and ignored.
 *
 * @param <T> the value type
 */
public interface ConsumerListener<T extends SpecificRecord> {

  /** The handler ran and its transaction, with the marker, committed. */
  default void onProcessed(DecodedRecord<T> record) {}

  /** The event was already in {@code processed_events}: the handler was skipped. */
  default void onDuplicate(DecodedRecord<T> record) {}

  /** The record went to the dead-letter queue; its offset will be committed. */
  default void onDeadLettered(ConsumerRecord<byte[], byte[]> record, DeadLetter deadLetter) {}

  /**
   * An attempt failed and will be retried after {@code delay}.
   *
   * @param attempt the failed attempt, from 1
   * @param transientFailure whether the failure was transient (retried without limit)
   */
  default void onRetry(
      ConsumerRecord<byte[], byte[]> record,
      Throwable failure,
      int attempt,
      boolean transientFailure,
      Duration delay) {}
}
