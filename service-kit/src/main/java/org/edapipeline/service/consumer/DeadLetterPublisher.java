package org.edapipeline.service.consumer;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.deadletter.DeadLetters;
import org.edapipeline.schemas.serde.AvroWireSerializer;

/**
 * Writes records the consumer gives up on to {@code <source-topic>.dlq} ({@link Topics#dlqOf}) as
 * {@link DeadLetter}s, keyed by the original key bytes, and waits for Kafka's acknowledgement
 * (acks=all) before the caller moves on: a record's offset is committed only once its dead letter
 * is durable.
 */
final class DeadLetterPublisher {

  /** The dead letters' {@code operatorUid}: which part of a service gave up on the record. */
  static final String OPERATOR_UID = "idempotent-consumer";

  private final String consumerName;
  private final Producer<byte[], byte[]> producer;
  private final AvroWireSerializer<DeadLetter> serializer;
  private final Map<String, String> dlqBySource = new HashMap<>();

  DeadLetterPublisher(
      String consumerName,
      List<Topic<?, ?>> sources,
      Producer<byte[], byte[]> producer,
      AvroWireSerializer<DeadLetter> serializer) {
    this.consumerName = consumerName;
    this.producer = producer;
    this.serializer = serializer;
    for (Topic<?, ?> source : sources) {
      dlqBySource.put(source.name(), Topics.dlqOf(source).name());
    }
  }

  /** What went wrong with a record, across its attempts. */
  record Failure(
      Throwable error,
      ErrorCategory category,
      int attempts,
      Instant firstFailureAt,
      Instant lastFailureAt) {}

  /**
   * Builds the dead letter of {@code record} and writes it synchronously.
   *
   * @param decoded the decoded record if it decoded, for its event and correlation ids; else null,
   *     and they are taken from the event headers if present
   * @throws Exception if Kafka or the registry did not take it; the caller retries
   */
  DeadLetter publish(
      ConsumerRecord<byte[], byte[]> record, DecodedRecord<?> decoded, Failure failure)
      throws InterruptedException, ExecutionException {
    DeadLetter deadLetter = build(record, decoded, failure);
    String dlq = dlqBySource.get(record.topic());
    byte[] value = serializer.serialize(dlq, deadLetter);
    producer.send(new ProducerRecord<>(dlq, null, record.key(), value)).get();
    return deadLetter;
  }

  DeadLetter build(
      ConsumerRecord<byte[], byte[]> record, DecodedRecord<?> decoded, Failure failure) {
    return DeadLetters.from(record)
        .failedIn(consumerName, OPERATOR_UID)
        .error(failure.error())
        .category(failure.category())
        .attempts(failure.attempts(), failure.firstFailureAt(), failure.lastFailureAt())
        .eventId(decoded != null ? decoded.eventId() : null)
        .correlationId(decoded != null ? decoded.correlationId() : null)
        .build();
  }
}
