package org.edapipeline.cdc.engine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.edapipeline.cdc.config.SecretMasker;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.DeadLetterHeader;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.serde.AvroWireSerializer;

/**
 * Builds the {@link DeadLetter} of an outbox row that cannot be published, for {@link
 * Topics#CDC_OUTBOX_DLQ}.
 *
 * <p>How the CDC source fills the fields written for Flink jobs: {@code sourceTopic} is the topic
 * the row was routed to ({@code <aggregatetype>.events}), {@code sourcePartition} is -1 (a table
 * has none), {@code sourceOffset} is the row's WAL position (LSN), {@code jobName} is {@value
 * #SOURCE_NAME}, {@code operatorUid} is {@value #STAGE}. The key is the aggregate id; the headers
 * are the event's headers plus {@code aggregateId}; the payload is truncated to the configured
 * size. Category is always PERMANENT: the same row fails the same way every time.
 */
final class DeadLetters {

  static final String SOURCE_NAME = "cdc-outbox-source";
  static final String STAGE = "outbox-event-router";

  /** Header with the aggregate id, which has no header of its own on the events topics. */
  static final String AGGREGATE_ID_HEADER = "aggregateId";

  private static final int STACK_TRACE_MAX_CHARS = 4000;

  private final AvroWireSerializer<SpecificRecord> serializer;
  private final int payloadMaxBytes;
  private final SecretMasker masker;

  DeadLetters(
      AvroWireSerializer<SpecificRecord> serializer, int payloadMaxBytes, SecretMasker masker) {
    this.serializer = serializer;
    this.payloadMaxBytes = payloadMaxBytes;
    this.masker = masker;
  }

  /** The dead letter of {@code row}, serialized for the CDC dead-letter topic. */
  ProducerRecord<byte[], byte[]> of(OutboxRow row, Throwable error) {
    Instant now = Instant.now();
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setOriginalKey(
                row.aggregateId() == null
                    ? null
                    : ByteBuffer.wrap(row.aggregateId().getBytes(StandardCharsets.UTF_8)))
            .setOriginalValue(
                row.payload() == null ? null : ByteBuffer.wrap(truncated(row.payload())))
            .setOriginalHeaders(headers(row))
            .setSourceTopic(row.topic())
            .setSourcePartition(-1)
            .setSourceOffset(row.lsn())
            .setSourceTimestamp(
                row.commitMillis() < 0 ? null : Instant.ofEpochMilli(row.commitMillis()))
            .setJobName(SOURCE_NAME)
            .setOperatorUid(STAGE)
            .setErrorCategory(ErrorCategory.PERMANENT)
            .setErrorClass(error.getClass().getName())
            .setErrorMessage(masker.mask(error.getMessage()))
            .setStackTrace(stackTrace(error))
            .setAttemptCount(1)
            .setFirstFailureAt(now)
            .setLastFailureAt(now)
            .setEventId(uuid(row.eventId()))
            .setCorrelationId(row.correlationId())
            .build();
    String topic = Topics.CDC_OUTBOX_DLQ.name();
    byte[] key =
        row.aggregateId() == null ? null : row.aggregateId().getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic, key, serializer.serialize(topic, letter));
  }

  private byte[] truncated(byte[] payload) {
    return payload.length <= payloadMaxBytes ? payload : Arrays.copyOf(payload, payloadMaxBytes);
  }

  private static List<DeadLetterHeader> headers(OutboxRow row) {
    List<DeadLetterHeader> headers = new ArrayList<>(7);
    header(headers, EventHeaders.EVENT_ID, row.eventId());
    header(headers, EventHeaders.EVENT_TYPE, row.eventType());
    header(headers, EventHeaders.AGGREGATE_TYPE, row.aggregateType());
    header(headers, AGGREGATE_ID_HEADER, row.aggregateId());
    header(headers, EventHeaders.CORRELATION_ID, row.correlationId());
    header(headers, EventHeaders.CAUSATION_ID, row.causationId());
    header(headers, EventHeaders.TRACEPARENT, row.traceparent());
    return headers;
  }

  private static void header(List<DeadLetterHeader> headers, String key, String value) {
    if (value != null) {
      headers.add(
          new DeadLetterHeader(key, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8))));
    }
  }

  private static UUID uuid(String text) {
    try {
      return text == null ? null : UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private String stackTrace(Throwable error) {
    StringWriter text = new StringWriter();
    error.printStackTrace(new PrintWriter(text));
    String trace = masker.mask(text.toString());
    return trace.length() <= STACK_TRACE_MAX_CHARS
        ? trace
        : trace.substring(0, STACK_TRACE_MAX_CHARS);
  }
}
