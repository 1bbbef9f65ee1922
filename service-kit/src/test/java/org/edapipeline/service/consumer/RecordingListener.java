package org.edapipeline.service.consumer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.outputs.DeadLetter;

/** Remembers what a consumer reported, for assertions and Awaitility conditions. */
final class RecordingListener implements ConsumerListener<PaymentProcessed> {

  final List<DecodedRecord<PaymentProcessed>> processed = new CopyOnWriteArrayList<>();
  final List<DecodedRecord<PaymentProcessed>> duplicates = new CopyOnWriteArrayList<>();
  final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
  final List<Boolean> retriesTransient = new CopyOnWriteArrayList<>();

  @Override
  public void onProcessed(DecodedRecord<PaymentProcessed> record) {
    processed.add(record);
  }

  @Override
  public void onDuplicate(DecodedRecord<PaymentProcessed> record) {
    duplicates.add(record);
  }

  @Override
  public void onDeadLettered(ConsumerRecord<byte[], byte[]> record, DeadLetter deadLetter) {
    deadLetters.add(deadLetter);
  }

  @Override
  public void onRetry(
      ConsumerRecord<byte[], byte[]> record,
      Throwable failure,
      int attempt,
      boolean transientFailure,
      Duration delay) {
    retriesTransient.add(transientFailure);
  }

  /** Records seen to their end, whichever way. */
  int finished() {
    return processed.size() + duplicates.size() + deadLetters.size();
  }
}
