package org.edapipeline.cdc.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.edapipeline.cdc.engine.UnpublishableRowException.NullPayloadException;
import org.edapipeline.cdc.engine.UnpublishableRowException.UnknownAggregateTypeException;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.trace.TraceContext;

/**
 * Turns a record that left the EventRouter into what the publisher does with it: a Kafka record
 * whose value is the outbox payload's bytes, unchanged (no converter runs), a heartbeat to
 * acknowledge without publishing, or a row that cannot be published.
 */
final class OutboxRecordMapper {

  /** Value schema of Debezium's heartbeat records. */
  static final String HEARTBEAT_SCHEMA = "io.debezium.connector.common.Heartbeat";

  /** The header the EventRouter gives the row's id. */
  static final String ROUTER_EVENT_ID_HEADER = "id";

  private static final Set<String> OUTBOX_TOPICS =
      Topics.outboxTopics().stream().map(Topic::name).collect(Collectors.toUnmodifiableSet());

  /** What to do with one record. */
  sealed interface Mapped permits Heartbeat, Publish, Reject {}

  /** A heartbeat: nothing to publish, but its offset moves the replication slot on. */
  record Heartbeat(long lsn) implements Mapped {}

  /**
   * An outbox event to send.
   *
   * @param span the publish's trace context, written as the record's {@code traceparent}
   * @param parent the outbox row's trace context; null if the row had none (or an invalid one)
   */
  record Publish(
      OutboxRow row, ProducerRecord<byte[], byte[]> record, TraceContext span, TraceContext parent)
      implements Mapped {}

  /** Seed prefix of the publish span's id: {@code cdc-publish/<event id>}. */
  static final String SPAN_SEED_PREFIX = "cdc-publish/";

  /** A row that goes to the dead-letter topic. */
  record Reject(OutboxRow row, RuntimeException error) implements Mapped {}

  Mapped map(SourceRecord record) {
    Schema valueSchema = record.valueSchema();
    if (valueSchema != null && HEARTBEAT_SCHEMA.equals(valueSchema.name())) {
      return new Heartbeat(lsn(record.sourceOffset()));
    }
    OutboxRow row = row(record);
    if (!OUTBOX_TOPICS.contains(row.topic())) {
      return new Reject(
          row,
          new UnknownAggregateTypeException(
              "aggregate type '"
                  + row.aggregateType()
                  + "' routes to "
                  + row.topic()
                  + ", which is not an outbox topic of the catalogue "
                  + OUTBOX_TOPICS.stream().sorted().toList()));
    }
    if (row.payload() == null) {
      return new Reject(
          row, new NullPayloadException("payload is NULL: there is no event to publish"));
    }
    RecordHeaders headers = new RecordHeaders();
    add(headers, EventHeaders.EVENT_ID, row.eventId());
    add(headers, EventHeaders.EVENT_TYPE, row.eventType());
    add(headers, EventHeaders.AGGREGATE_TYPE, row.aggregateType());
    add(headers, EventHeaders.CORRELATION_ID, row.correlationId());
    add(headers, EventHeaders.CAUSATION_ID, row.causationId());
    // The publish is a hop of its own: a child of the row's span, derived from the event id so a
    // repeated batch writes the same header (a row without a valid one starts a trace here).
    TraceContext parent = TraceContext.parse(row.traceparent());
    TraceContext span =
        parent == null ? TraceContext.root(spanSeed(row)) : parent.child(spanSeed(row));
    add(headers, EventHeaders.TRACEPARENT, span.traceparent());
    byte[] key =
        row.aggregateId() == null ? null : row.aggregateId().getBytes(StandardCharsets.UTF_8);
    return new Publish(
        row,
        new ProducerRecord<>(row.topic(), null, null, key, row.payload(), headers),
        span,
        parent);
  }

  private static String spanSeed(OutboxRow row) {
    return SPAN_SEED_PREFIX + row.eventId();
  }

  private static OutboxRow row(SourceRecord record) {
    Map<String, ?> offset = record.sourceOffset();
    return new OutboxRow(
        record.topic(),
        header(record, ROUTER_EVENT_ID_HEADER),
        header(record, EventHeaders.AGGREGATE_TYPE),
        record.key() == null ? null : record.key().toString(),
        header(record, EventHeaders.EVENT_TYPE),
        header(record, EventHeaders.CORRELATION_ID),
        header(record, EventHeaders.CAUSATION_ID),
        header(record, EventHeaders.TRACEPARENT),
        bytes(record.value()),
        lsn(offset),
        commitMillis(offset));
  }

  private static String header(SourceRecord record, String key) {
    Header header = record.headers().lastWithName(key);
    return header == null || header.value() == null ? null : header.value().toString();
  }

  private static byte[] bytes(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return bytes;
    }
    throw new IllegalStateException(
        "The outbox payload must be bytea (binary.handling.mode=bytes), got "
            + value.getClass().getName());
  }

  private static void add(RecordHeaders headers, String key, String value) {
    if (value != null) {
      headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The row's WAL position from Debezium's PostgreSQL offset; -1 if absent. */
  static long lsn(Map<String, ?> offset) {
    return offset != null && offset.get("lsn") instanceof Number lsn ? lsn.longValue() : -1;
  }

  /** Commit time of the row's transaction from Debezium's PostgreSQL offset; -1 if absent. */
  static long commitMillis(Map<String, ?> offset) {
    return offset != null && offset.get("ts_usec") instanceof Number micros
        ? micros.longValue() / 1000
        : -1;
  }
}
