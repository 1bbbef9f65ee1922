package org.edapipeline.bench.connect;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.trace.TraceContext;

/**
 * An outbox row as our CDC service publishes it (cdc-outbox-source README, first table): topic
 * {@code <aggregatetype>.events}, key = aggregate id (UTF-8), value = the payload bytes unchanged,
 * headers {@code eventId}, {@code eventType}, {@code aggregateType}, {@code correlationId}, {@code
 * causationId} (when not NULL) and a {@code traceparent} that is a child of the row's, derived from
 * the event id exactly as the service derives it.
 */
final class OutboxProducerRecords {

  /** The EventRouter's placeholder in {@link Topics#OUTBOX_ROUTE_TOPIC_REPLACEMENT}. */
  private static final String ROUTED_BY_VALUE = "${routedByValue}";

  /** Seed prefix of the publish span's id, as in cdc-outbox-source's OutboxRecordMapper. */
  private static final String SPAN_SEED_PREFIX = "cdc-publish/";

  private OutboxProducerRecords() {}

  static ProducerRecord<byte[], byte[]> of(OutboxInsert row) {
    RecordHeaders headers = new RecordHeaders();
    add(headers, EventHeaders.EVENT_ID, row.id());
    add(headers, EventHeaders.EVENT_TYPE, row.eventType());
    add(headers, EventHeaders.AGGREGATE_TYPE, row.aggregateType());
    add(headers, EventHeaders.CORRELATION_ID, row.correlationId());
    add(headers, EventHeaders.CAUSATION_ID, row.causationId());
    add(
        headers,
        EventHeaders.TRACEPARENT,
        TraceContext.childOf(row.traceparent(), SPAN_SEED_PREFIX + row.id()).traceparent());
    byte[] key =
        row.aggregateId() == null ? null : row.aggregateId().getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic(row), null, null, key, row.payload(), headers);
  }

  static String topic(OutboxInsert row) {
    return Topics.OUTBOX_ROUTE_TOPIC_REPLACEMENT.replace(ROUTED_BY_VALUE, row.aggregateType());
  }

  private static void add(RecordHeaders headers, String key, String value) {
    if (value != null) {
      headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
