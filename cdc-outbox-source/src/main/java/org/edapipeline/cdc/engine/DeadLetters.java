package org.edapipeline.cdc.engine;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.edapipeline.cdc.config.SecretMasker;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.deadletter.DeadLetterHeaders;
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
 * size. Category is always PERMANENT: the same row fails the same way every time. Built by the
 * shared {@link org.edapipeline.schemas.deadletter.DeadLetters} builder, with secrets masked.
 */
final class DeadLetters {

  static final String SOURCE_NAME = "cdc-outbox-source";
  static final String STAGE = "outbox-event-router";

  /** Header with the aggregate id, which has no header of its own on the events topics. */
  static final String AGGREGATE_ID_HEADER = "aggregateId";

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
    byte[] key =
        row.aggregateId() == null ? null : row.aggregateId().getBytes(StandardCharsets.UTF_8);
    DeadLetter letter =
        org.edapipeline.schemas.deadletter.DeadLetters.builder()
            .original(key, row.payload() == null ? null : truncated(row.payload()))
            .header(EventHeaders.EVENT_ID, row.eventId())
            .header(EventHeaders.EVENT_TYPE, row.eventType())
            .header(EventHeaders.AGGREGATE_TYPE, row.aggregateType())
            .header(AGGREGATE_ID_HEADER, row.aggregateId())
            .header(EventHeaders.CORRELATION_ID, row.correlationId())
            .header(EventHeaders.CAUSATION_ID, row.causationId())
            .header(EventHeaders.TRACEPARENT, row.traceparent())
            .source(
                row.topic(),
                -1,
                row.lsn(),
                row.commitMillis() < 0 ? null : Instant.ofEpochMilli(row.commitMillis()))
            .failedIn(SOURCE_NAME, STAGE)
            .error(error)
            .category(ErrorCategory.PERMANENT)
            .masking(masker::mask)
            .build();
    String topic = Topics.CDC_OUTBOX_DLQ.name();
    return new ProducerRecord<>(
        topic, null, key, serializer.serialize(topic, letter), DeadLetterHeaders.of(letter));
  }

  private byte[] truncated(byte[] payload) {
    return payload.length <= payloadMaxBytes ? payload : Arrays.copyOf(payload, payloadMaxBytes);
  }
}
