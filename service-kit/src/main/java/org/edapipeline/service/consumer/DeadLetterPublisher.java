package org.edapipeline.service.consumer;

import java.nio.ByteBuffer;
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
import org.edapipeline.schemas.deadletter.DeadLetterHeaders;
import org.edapipeline.schemas.deadletter.DeadLetters;
import org.edapipeline.schemas.deadletter.ErrorClassifier;
import org.edapipeline.schemas.serde.AvroWireSerializer;

/**
 * Writes records the consumer gives up on to {@code <source-topic>.dlq} ({@link Topics#dlqOf}) in
 * the project's dead-letter format, as the Flink jobs and the CDC source do: a {@link DeadLetter}
 * built by the shared {@link DeadLetters} builder (original key, value and headers, provenance,
 * error, category by {@link ErrorClassifier}, attempts), under the subject {@code <dlq>-value},
 * keyed by the original key bytes, with the {@link DeadLetterHeaders} ({@code eventId}, {@code
 * correlationId}, {@code causationId}, and a {@code traceparent} that is a child of the failed
 * record's). It waits for Kafka's acknowledgement (acks=all) before the caller moves on: a record's
 * offset is committed only once its dead letter is durable.
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

  /**
   * What went wrong with a record, across its attempts.
   *
   * @param category the dead letter's category, from {@link ErrorClassifier}
   */
  record Failure(
      Throwable error,
      ErrorCategory category,
      int attempts,
      Instant firstFailureAt,
      Instant lastFailureAt) {

    /** The value did not decode, or has no event id: never retried, POISON unless a rule's. */
    static Failure ofDecoding(Throwable error, Instant at) {
      return new Failure(error, ErrorClassifier.classifyDecoding(error), 1, at, at);
    }

    /**
     * The handler failed on every attempt: PERMANENT unless the classifier knows better (TRANSIENT
     * for a timeout the handler kept meeting, POISON for an Avro failure).
     */
    static Failure ofHandling(Throwable error, int attempts, Instant first, Instant last) {
      return new Failure(error, ErrorClassifier.classify(error), attempts, first, last);
    }
  }

  /**
   * The dead letter of {@code record}.
   *
   * @param decoded the decoded record if it decoded, for its event and correlation ids; else null,
   *     and they are taken from the {@code eventId} and {@code correlationId} headers if present
   */
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

  /** The Kafka record of {@code letter}: its DLQ, the original key, the letter, its headers. */
  ProducerRecord<byte[], byte[]> toRecord(DeadLetter letter) {
    String dlq = dlqOf(letter.getSourceTopic());
    return new ProducerRecord<>(
        dlq,
        null,
        bytes(letter.getOriginalKey()),
        serializer.serialize(dlq, letter),
        DeadLetterHeaders.of(letter));
  }

  /**
   * Writes {@code letter} and waits for Kafka's acknowledgement.
   *
   * @throws ExecutionException if Kafka did not take it; the caller retries
   * @throws org.edapipeline.schemas.serde.WireFormatException if the registry did not
   */
  void publish(DeadLetter letter) throws InterruptedException, ExecutionException {
    producer.send(toRecord(letter)).get();
  }

  private String dlqOf(String sourceTopic) {
    String dlq = dlqBySource.get(sourceTopic);
    if (dlq == null) {
      throw new IllegalArgumentException(sourceTopic + " is not consumed by " + consumerName);
    }
    return dlq;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
