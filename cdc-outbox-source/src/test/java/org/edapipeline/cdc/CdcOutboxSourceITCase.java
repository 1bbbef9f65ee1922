package org.edapipeline.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.cdc.CdcTestSupport.PATIENCE;
import static org.edapipeline.cdc.TopicReader.header;
import static org.edapipeline.cdc.TopicReader.key;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.edapipeline.cdc.OutboxLoad.Written;
import org.edapipeline.cdc.config.CdcConfig;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.DeadLetterHeader;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.trace.TraceContext;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The CDC service in this JVM against real PostgreSQL, Kafka and registry: delivery, order, keys
 * and headers under concurrent writers, dead letters, heartbeats, health and metrics.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CdcOutboxSourceITCase extends CdcITCaseBase {

  @Test
  @Order(1)
  void shouldPublishEveryCommittedRowOnceInCommitOrderPerAggregateWithKeysAndHeaders()
      throws Exception {
    CdcService service = startService(Map.of());
    OutboxLoad load = new OutboxLoad(dataSource, writer, run, 40);

    load.write(8, 1500);

    List<Written> committed = load.committed();
    assertThat(committed).hasSizeGreaterThan(1500);
    assertThat(load.rolledBack).isNotEmpty();
    TopicReader reader = reader(new ArrayList<>(Topics.outboxTopics()));
    List<ConsumerRecord<byte[], byte[]>> records =
        reader.readUntil(r -> r.size() >= committed.size(), PATIENCE, committed.size() + " events");
    records = reader.readFor(java.time.Duration.ofMillis(500));

    assertThat(CdcTestSupport.count(dataSource, "SELECT count(*) FROM outbox"))
        .as("insert-then-delete keeps the outbox empty")
        .isZero();
    Map<String, Written> byId = new HashMap<>();
    committed.forEach(w -> byId.put(w.eventId(), w));
    assertThat(records)
        .extracting(r -> header(r, EventHeaders.EVENT_ID))
        .as("every committed event once, nothing rolled back")
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(byId.keySet())
        .doesNotContainAnyElementsOf(load.rolledBack);

    AvroWireDeserializer<SpecificRecord> decoder =
        AvroWireDeserializer.forSpecificByWriterName(registryClient);
    Map<String, Long> lastSequence = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      Written written = byId.get(header(record, EventHeaders.EVENT_ID));
      assertThat(record.topic()).isEqualTo(Topics.forAggregateType(written.aggregateType()).name());
      assertThat(key(record)).isEqualTo(written.aggregateId());
      EventMetadata metadata = (EventMetadata) decoder.decode(record.value()).get(0);
      assertThat(metadata.getEventId().toString()).isEqualTo(written.eventId());
      assertThat(header(record, EventHeaders.EVENT_TYPE)).isEqualTo(metadata.getEventType());
      assertThat(header(record, EventHeaders.AGGREGATE_TYPE)).isEqualTo(written.aggregateType());
      assertThat(header(record, EventHeaders.CORRELATION_ID)).isEqualTo(run);
      assertThat(header(record, EventHeaders.CAUSATION_ID))
          .isEqualTo(Long.toString(written.sequence()));
      // The publish is a hop: same trace as the row, a span derived from the event id.
      assertThat(header(record, EventHeaders.TRACEPARENT))
          .isEqualTo(
              TraceContext.childOf(metadata.getTraceparent(), "cdc-publish/" + written.eventId())
                  .traceparent())
          .contains(TraceContext.parse(metadata.getTraceparent()).traceId());
      // Partition order = commit order per aggregate: sequences 1, 2, 3, ... without gaps.
      long previous = lastSequence.getOrDefault(written.aggregateId(), 0L);
      assertThat(written.sequence())
          .as("sequence of %s after %d", written.aggregateId(), previous)
          .isEqualTo(previous + 1);
      lastSequence.put(written.aggregateId(), written.sequence());
    }
    Awaitility.await()
        .atMost(PATIENCE)
        .until(() -> service.metrics().eventsPublished() >= committed.size());
    assertThat(service.metrics().publishFailures()).isZero();
    assertThat(service.metrics().deadLetters()).isZero();
  }

  @Test
  @Order(2)
  void shouldDeadLetterRowsThatCannotBePublishedAndDeliverTheRowsAfterThem() throws Exception {
    CdcService service =
        startService(Map.of("debezium.sink.kafka.producer.max.request.size", "100000"));
    UUID oversized = UUID.randomUUID();
    UUID nullPayload = UUID.randomUUID();
    UUID unknownAggregate = UUID.randomUUID();
    byte[] big = new byte[150_000];
    big[0] = 0; // looks like the wire format, but is far too large for one request
    CdcTestSupport.insertRawRow(dataSource, oversized, "order", run + "-big", big);
    CdcTestSupport.insertRawRow(dataSource, nullPayload, "order", run + "-null", null);
    CdcTestSupport.insertRawRow(
        dataSource, unknownAggregate, "refund", run + "-refund", new byte[] {0, 0, 0, 0, 1, 2});
    SpecificRecord after = CdcTestSupport.event("order", run + "-after", 1, run);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      writer.write(connection, after);
      connection.commit();
    }

    TopicReader events = reader(List.of(Topics.ORDER_EVENTS));
    List<ConsumerRecord<byte[], byte[]>> delivered =
        events.readUntil(r -> !r.isEmpty(), PATIENCE, "the event after the bad rows");
    assertThat(delivered).extracting(TopicReader::key).containsExactly(run + "-after");

    TopicReader dlq = reader(List.of(Topics.CDC_OUTBOX_DLQ));
    List<ConsumerRecord<byte[], byte[]>> letters =
        dlq.readUntil(r -> r.size() >= 3, PATIENCE, "three dead letters");
    AvroWireDeserializer<DeadLetter> decoder =
        AvroWireDeserializer.forSpecific(registryClient, DeadLetter.class);
    Map<UUID, DeadLetter> byId = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> letter : letters) {
      DeadLetter deadLetter = decoder.decode(letter.value());
      byId.put(deadLetter.getEventId(), deadLetter);
      assertThat(deadLetter.getErrorCategory()).isEqualTo(ErrorCategory.PERMANENT);
      assertThat(deadLetter.getJobName()).isEqualTo("cdc-outbox-source");
      assertThat(deadLetter.getSourceOffset()).as("the row's LSN").isPositive();
      assertThat(deadLetter.getCorrelationId()).isEqualTo("corr-raw");
      assertThat(headerOf(deadLetter, EventHeaders.EVENT_TYPE)).isEqualTo("OrderConfirmed");
      assertThat(headerOf(deadLetter, "aggregateId")).isEqualTo(key(letter));
    }
    assertThat(byId).containsOnlyKeys(oversized, nullPayload, unknownAggregate);

    DeadLetter tooLarge = byId.get(oversized);
    assertThat(tooLarge.getErrorClass()).endsWith("RecordTooLargeException");
    assertThat(tooLarge.getSourceTopic()).isEqualTo(Topics.ORDER_EVENTS.name());
    assertThat(tooLarge.getOriginalValue().remaining())
        .as("truncated payload")
        .isEqualTo(64 * 1024);
    assertThat(headerOf(tooLarge, EventHeaders.AGGREGATE_TYPE)).isEqualTo("order");

    assertThat(byId.get(nullPayload).getErrorClass()).endsWith("NullPayloadException");
    assertThat(byId.get(nullPayload).getOriginalValue()).isNull();

    DeadLetter unknown = byId.get(unknownAggregate);
    assertThat(unknown.getErrorClass()).endsWith("UnknownAggregateTypeException");
    assertThat(unknown.getErrorMessage()).contains("'refund'");
    assertThat(unknown.getOriginalValue())
        .isEqualTo(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 2}));

    assertThat(service.metrics().deadLetters()).isEqualTo(3);
    assertThat(metricsText(service)).contains("cdc_dead_letters_total 3");
  }

  @Test
  @Order(3)
  void shouldAdvanceTheSlotWhileTheOutboxIsIdleAndReportHealthAndMetrics() throws Exception {
    CdcService service = startService(Map.of());
    long start = CdcTestSupport.confirmedFlushLsn(dataSource, slot);

    // Other tables keep writing WAL; the outbox stays idle for many heartbeat intervals (500 ms).
    long[] previous = {start};
    int[] advances = {0};
    Awaitility.await()
        .atMost(PATIENCE)
        .pollInterval(java.time.Duration.ofMillis(250))
        .until(
            () -> {
              writeUnrelatedRow();
              long now = CdcTestSupport.confirmedFlushLsn(dataSource, slot);
              if (now > previous[0]) {
                advances[0]++;
                previous[0] = now;
              }
              return advances[0] >= 3;
            });
    assertThat(previous[0]).isGreaterThan(start);
    assertThat(service.metrics().eventsPublished()).isZero();

    HttpResponse<String> health = get(service, "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body())
        .contains("\"status\":\"UP\"", "\"engine\":\"RUNNING\"", "\"kafka\":\"REACHABLE\"");
    String metrics = metricsText(service);
    assertThat(metrics)
        .contains(
            "# TYPE cdc_events_published_total counter",
            "cdc_events_published_total 0",
            "cdc_publish_failures_total 0",
            "cdc_dead_letters_total 0",
            "cdc_engine_running 1",
            "cdc_millis_behind_source",
            "cdc_last_acknowledged_lsn");
    // Polled off the engine's thread every 250 ms here: known once a poll saw the slot.
    Awaitility.await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(gauge(metricsText(service), "cdc_replication_slot_lag_bytes"))
                    .isNotNegative());
    assertThat(gauge(metrics, "cdc_last_acknowledged_lsn"))
        .as("heartbeats acknowledged")
        .isPositive();
  }

  @Test
  @Order(4)
  void shouldStreamAsARoleWithOnlyLoginAndReplication() throws Exception {
    Map<String, String> values = freshDatabaseAndConfig();
    String role = "cdc_" + database;
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE ROLE " + role + " WITH LOGIN REPLICATION");
      statement.execute("GRANT CONNECT ON DATABASE " + database + " TO " + role);
    }
    values.put(CdcConfig.DATABASE_USER, role);
    CdcService service = startServiceWith(values);
    long start = CdcTestSupport.confirmedFlushLsn(dataSource, slot);

    SpecificRecord event = CdcTestSupport.event("payment", run + "-least", 1, run);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      writer.write(connection, event);
      connection.commit();
    }
    TopicReader reader = reader(List.of(Topics.PAYMENT_EVENTS));
    assertThat(reader.readUntil(r -> !r.isEmpty(), PATIENCE, "the event"))
        .extracting(TopicReader::key)
        .containsExactly(run + "-least");
    // The heartbeat's logical message is allowed to this role: the slot moves on while idle.
    long afterEvent = CdcTestSupport.confirmedFlushLsn(dataSource, slot);
    Awaitility.await()
        .atMost(PATIENCE)
        .until(
            () -> {
              writeUnrelatedRow();
              return CdcTestSupport.confirmedFlushLsn(dataSource, slot)
                  > Math.max(start, afterEvent);
            });
    assertThat(service.metrics().engineRestarts()).isZero();
  }

  private void writeUnrelatedRow() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO unrelated (note) VALUES ('" + "x".repeat(200) + "')");
    }
  }

  private static String headerOf(DeadLetter letter, String key) {
    return letter.getOriginalHeaders().stream()
        .filter(h -> h.getKey().equals(key))
        .map(DeadLetterHeader::getValue)
        .map(b -> StandardCharsets.UTF_8.decode(b.duplicate()).toString())
        .findFirst()
        .orElse(null);
  }

  private static String metricsText(CdcService service) throws Exception {
    HttpResponse<String> response = get(service, "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
    return response.body();
  }

  static HttpResponse<String> get(CdcService service, String path) throws Exception {
    return get(service.httpPort(), path);
  }
}
