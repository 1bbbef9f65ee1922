package org.edapipeline.cdc.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.edapipeline.cdc.engine.OutboxRecordMapper.Heartbeat;
import org.edapipeline.cdc.engine.OutboxRecordMapper.Mapped;
import org.edapipeline.cdc.engine.OutboxRecordMapper.Publish;
import org.edapipeline.cdc.engine.OutboxRecordMapper.Reject;
import org.edapipeline.cdc.engine.UnpublishableRowException.NullPayloadException;
import org.edapipeline.cdc.engine.UnpublishableRowException.UnknownAggregateTypeException;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.trace.TraceContext;
import org.junit.jupiter.api.Test;

/** Records as the EventRouter emits them (headers from the outbox columns, bytes as the value). */
class OutboxRecordMapperTest {

  private static final Map<String, Object> OFFSET =
      Map.of("lsn", 4242L, "ts_usec", 1_700_000_000_123_456L);
  private final OutboxRecordMapper mapper = new OutboxRecordMapper();

  private static final String EVENT_ID = "6f1c1f6e-8a6f-4c55-9a76-0c6f0b1d2e3f";
  private static final String ROW_TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private static SourceRecord routed(String topic, Object payload, String causation) {
    return routed(topic, payload, causation, null);
  }

  private static SourceRecord routed(
      String topic, Object payload, String causation, String traceparent) {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString("id", EVENT_ID);
    headers.addString(EventHeaders.EVENT_TYPE, "OrderConfirmed");
    headers.addString(EventHeaders.AGGREGATE_TYPE, "order");
    headers.addString(EventHeaders.CORRELATION_ID, "order-1");
    headers.add(EventHeaders.CAUSATION_ID, causation, Schema.OPTIONAL_STRING_SCHEMA);
    headers.add(EventHeaders.TRACEPARENT, traceparent, Schema.OPTIONAL_STRING_SCHEMA);
    return new SourceRecord(
        Map.of("server", "x"),
        OFFSET,
        topic,
        null,
        Schema.STRING_SCHEMA,
        "order-1",
        Schema.OPTIONAL_BYTES_SCHEMA,
        payload,
        0L,
        headers);
  }

  @Test
  void shouldPassThePayloadBytesThroughWithKeyAndHeaders() {
    byte[] payload = {0, 0, 0, 0, 7, 1, 2, 3};

    Mapped mapped = mapper.map(routed("order.events", payload, "cmd-9"));

    assertThat(mapped).isInstanceOf(Publish.class);
    ProducerRecord<byte[], byte[]> record = ((Publish) mapped).record();
    assertThat(record.topic()).isEqualTo("order.events");
    assertThat(record.value()).isSameAs(payload);
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("order-1");
    assertThat(record.partition()).as("partitioned by key").isNull();
    assertThat(header(record, EventHeaders.EVENT_ID)).isEqualTo(EVENT_ID);
    assertThat(header(record, EventHeaders.EVENT_TYPE)).isEqualTo("OrderConfirmed");
    assertThat(header(record, EventHeaders.AGGREGATE_TYPE)).isEqualTo("order");
    assertThat(header(record, EventHeaders.CORRELATION_ID)).isEqualTo("order-1");
    assertThat(header(record, EventHeaders.CAUSATION_ID)).isEqualTo("cmd-9");
    assertThat(header(record, EventHeaders.TRACEPARENT))
        .as("NULL column: the publish starts a trace, derived from the event id")
        .isEqualTo(TraceContext.root("cdc-publish/" + EVENT_ID).traceparent());
    assertThat(((Publish) mapped).parent()).isNull();
    assertThat(((Publish) mapped).row().lsn()).isEqualTo(4242L);
    assertThat(((Publish) mapped).row().commitMillis()).isEqualTo(1_700_000_000_123L);
  }

  @Test
  void shouldWriteAChildOfTheRowsTraceparentTheSameOnEveryRepeat() {
    Publish first =
        (Publish) mapper.map(routed("order.events", new byte[] {0}, null, ROW_TRACEPARENT));
    Publish repeat =
        (Publish) mapper.map(routed("order.events", new byte[] {0}, null, ROW_TRACEPARENT));

    TraceContext row = TraceContext.parse(ROW_TRACEPARENT);
    TraceContext published = TraceContext.parse(header(first.record(), EventHeaders.TRACEPARENT));
    assertThat(published.traceId()).isEqualTo(row.traceId());
    assertThat(published.spanId()).isNotEqualTo(row.spanId());
    assertThat(published).isEqualTo(first.span()).isEqualTo(repeat.span());
    assertThat(first.parent()).isEqualTo(row);
    assertThat(first.row().traceparent()).as("the row keeps its own").isEqualTo(ROW_TRACEPARENT);
  }

  @Test
  void shouldStartATraceForAnInvalidTraceparentInsteadOfFailing() {
    Mapped mapped = mapper.map(routed("order.events", new byte[] {0}, null, "not-a-trace"));

    assertThat(header(((Publish) mapped).record(), EventHeaders.TRACEPARENT))
        .isEqualTo(TraceContext.root("cdc-publish/" + EVENT_ID).traceparent());
  }

  @Test
  void shouldAcceptAByteBufferPayload() {
    Mapped mapped = mapper.map(routed("order.events", ByteBuffer.wrap(new byte[] {0, 1, 2}), null));

    assertThat(((Publish) mapped).record().value()).containsExactly(0, 1, 2);
    assertThat(((Publish) mapped).record().headers().lastHeader(EventHeaders.CAUSATION_ID))
        .isNull();
  }

  @Test
  void shouldRejectANullPayloadAndAnAggregateTypeWithoutTopic() {
    Mapped nullPayload = mapper.map(routed("order.events", null, null));
    Mapped unknown = mapper.map(routed("refund.events", new byte[] {0}, null));

    assertThat(nullPayload).isInstanceOf(Reject.class);
    assertThat(((Reject) nullPayload).error()).isInstanceOf(NullPayloadException.class);
    assertThat(unknown).isInstanceOf(Reject.class);
    assertThat(((Reject) unknown).error())
        .isInstanceOf(UnknownAggregateTypeException.class)
        .hasMessageContaining("refund.events");
    assertThat(((Reject) unknown).row().aggregateId()).isEqualTo("order-1");
  }

  @Test
  void shouldRecogniseHeartbeatsWithoutPublishingThem() {
    Schema schema =
        SchemaBuilder.struct()
            .name(OutboxRecordMapper.HEARTBEAT_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .build();
    SourceRecord heartbeat =
        new SourceRecord(
            Map.of("server", "x"),
            OFFSET,
            "__debezium-heartbeat.edapipeline",
            schema,
            new Struct(schema).put("ts_ms", 1L));

    assertThat(mapper.map(heartbeat)).isEqualTo(new Heartbeat(4242L));
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String key) {
    return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}
