package org.edapipeline.service.consumer;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.DeadLetterHeader;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
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

  /** Stack traces are cut here, to keep dead letters small. */
  static final int MAX_STACK_TRACE_CHARS = 8_000;

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
   *     and they are taken from the {@link EventHeaders} if present
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
    List<DeadLetterHeader> headers = new ArrayList<>();
    for (Header header : record.headers()) {
      headers.add(
          new DeadLetterHeader(
              header.key(), header.value() == null ? null : ByteBuffer.wrap(header.value())));
    }
    Throwable error = failure.error();
    return DeadLetter.newBuilder()
        .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
        .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
        .setOriginalHeaders(headers)
        .setSourceTopic(record.topic())
        .setSourcePartition(record.partition())
        .setSourceOffset(record.offset())
        .setSourceTimestamp(
            record.timestampType() == TimestampType.NO_TIMESTAMP_TYPE || record.timestamp() < 0
                ? null
                : Instant.ofEpochMilli(record.timestamp()))
        .setJobName(consumerName)
        .setOperatorUid(OPERATOR_UID)
        .setErrorCategory(failure.category())
        .setErrorClass(error.getClass().getName())
        .setErrorMessage(error.getMessage())
        .setStackTrace(truncatedStackTrace(error))
        .setAttemptCount(failure.attempts())
        .setFirstFailureAt(failure.firstFailureAt())
        .setLastFailureAt(failure.lastFailureAt())
        .setEventId(decoded != null ? decoded.eventId() : eventIdHeader(record))
        .setCorrelationId(
            decoded != null ? decoded.correlationId() : header(record, EventHeaders.CORRELATION_ID))
        .build();
  }

  /**
   * The CDC source's {@code eventId} header: the only id there is when the value did not decode.
   */
  private static UUID eventIdHeader(ConsumerRecord<byte[], byte[]> record) {
    String value = header(record, EventHeaders.EVENT_ID);
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null; // a bad header must not keep the record out of the DLQ
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    Header header = record.headers().lastHeader(key);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  static String truncatedStackTrace(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    String trace = out.toString();
    return trace.length() <= MAX_STACK_TRACE_CHARS
        ? trace
        : trace.substring(0, MAX_STACK_TRACE_CHARS) + "\n\t... (truncated)";
  }
}
