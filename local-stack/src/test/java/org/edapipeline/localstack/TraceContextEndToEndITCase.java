package org.edapipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.edapipeline.cdc.CdcService;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.embedded.postgres.EmbeddedPostgresServer;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.jobs.common.TracingFactory;
import org.edapipeline.localstack.OutboxSqlCommand.EventType;
import org.edapipeline.localstack.flink.FlinkRest;
import org.edapipeline.localstack.flink.FlinkRuntime;
import org.edapipeline.localstack.flink.PipelineJobs;
import org.edapipeline.localstack.flink.PipelineSettings;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.trace.TraceContext;
import org.edapipeline.schemas.trace.Tracing;
import org.edapipeline.service.ServiceSchema;
import org.edapipeline.service.outbox.OutboxWriter;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's first "done when": one order driven through the whole pipeline with nothing simulated
 * (outbox rows written with {@link OutboxWriter} → the CDC outbox source → Kafka → the saga job on
 * a MiniCluster → its exactly-once outputs), and every output record of that saga, read
 * read_committed, carries the order's correlation id and a {@code traceparent} of the trace the
 * service started on the outbox row, with a span of its own. The saga is placed, reserved and then
 * declined for good, so it writes status changes and compensation commands; a row of the same order
 * whose payload is not Avro adds a dead letter.
 *
 * <p>Tracing is on in both the CDC service and the job, exporting to the SDK's in-memory exporter:
 * the spans of the order (the CDC publishes, the job's steps and its sends) form one trace, each
 * hanging under the span the previous hop wrote into the record's headers.
 */
class TraceContextEndToEndITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final PostgresExtension POSTGRES =
      new PostgresExtension(EmbeddedPostgresServer.builder().database(LocalStack.DATABASE));

  @RegisterExtension
  @Order(3)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  private static final String SLOT = "edapipeline_outbox_trace_it";
  private static final String ORDER_ID = "order-traced";
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final Duration POLL = Duration.ofMillis(250);

  /** The service's own span of the OrderPlaced row: the trace every output must be in. */
  private static final TraceContext SERVICE_SPAN = TraceContext.root("order-service/" + ORDER_ID);

  /** Spans of the CDC service and of the job's subtasks (same JVM): kept for the assertions. */
  private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

  /**
   * Parallelism 2; deadlines far beyond the test, so only the events move the saga (no timeout adds
   * outputs while the test reads them).
   */
  private static final PipelineSettings SETTINGS =
      new PipelineSettings(
          2,
          Duration.ofSeconds(1),
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          Duration.ofSeconds(2),
          Duration.ofSeconds(10),
          2,
          Duration.ofMinutes(5),
          Duration.ofMinutes(5),
          3);

  @TempDir Path directory;

  @Test
  void shouldCarryTheCorrelationIdAndTheOutboxRowsTraceOnEveryOutputOfTheSaga() throws Exception {
    for (Topic<?, ?> topic : Topics.all()) {
      KAFKA.createTopic(topic.name(), topic.partitions(), topic.config());
    }
    ServiceSchema.migrate(POSTGRES.dataSource());
    SchemaRegistryClientConfig registryConfig =
        SchemaRegistryClientConfig.builder(REGISTRY.url()).build();

    try (Tracing cdcTracing = Tracing.withExporter(new KeepingExporter(), "cdc-outbox-source");
        CdcService cdc =
            CdcService.start(
                LocalStack.cdcConfig(
                    POSTGRES.server(), KAFKA.bootstrapServers(), REGISTRY.url(), SLOT),
                cdcTracing);
        FlinkRuntime flink = FlinkRuntime.start(0, 0, SETTINGS.slots(), directory.resolve("tmp"));
        SchemaRegistryClient registry = new RestSchemaRegistryClient(registryConfig);
        Connection psql = POSTGRES.connect()) {
      LocalStack.awaitSlot(POSTGRES.server(), SLOT);
      PipelineJobs jobs =
          new PipelineJobs(
              SETTINGS, KAFKA.bootstrapServers(), REGISTRY.url(), directory.resolve("checkpoints"));
      TracingFactory inMemory = () -> Tracing.withExporter(new KeepingExporter(), "saga");
      JobID job = flink.submit(jobs.sagaGraph(jobs.sagaConfig().withTracing(inMemory)));
      FlinkRest rest = new FlinkRest(flink.webUiUrl());
      await()
          .atMost(WAIT)
          .pollInterval(POLL)
          .ignoreExceptions()
          .until(
              () ->
                  rest.jobs().stream()
                      .anyMatch(j -> j.id().equals(job.toHexString()) && j.fullyRunning()));

      // The services: each event a child of the one before it, as the order's trace goes on.
      OutboxWriter outbox = OutboxWriter.builder(registry).build();
      SpecificRecord placed = event(EventType.OrderPlaced, SERVICE_SPAN, null);
      SpecificRecord reserved = event(EventType.InventoryReserved, child(placed), placed);
      SpecificRecord declined = event(EventType.PaymentFailed, child(reserved), reserved);
      psql.setAutoCommit(false);
      for (SpecificRecord event : List.of(placed, reserved, declined)) {
        outbox.write(psql, event);
        psql.commit();
      }
      // A row of the same order that no job can decode: its dead letter is part of the saga too.
      String undecodableId = insertUndecodableRow(psql, child(declined));
      psql.commit();

      AvroWireDeserializer<SagaStateChanged> states =
          AvroWireDeserializer.forSpecific(registry, SagaStateChanged.class);
      Outputs outputs = new Outputs();
      try (outputs) {
        await()
            .atMost(WAIT)
            .pollInterval(POLL)
            .untilAsserted(
                () -> {
                  outputs.poll();
                  assertThat(outputs.of(Topics.SAGA_STATE.name()))
                      .extracting(r -> states.decode(r.value()).getStatus())
                      .containsExactly(
                          SagaStatus.STARTED,
                          SagaStatus.INVENTORY_RESERVED,
                          SagaStatus.COMPENSATING);
                  assertThat(outputs.of(Topics.SAGA_COMMANDS.name())).hasSize(2);
                  assertThat(outputs.of(Topics.dlqOf(Topics.ORDER_EVENTS).name())).hasSize(1);
                });
      }

      // Every output record of the saga: its correlation id, and the outbox row's trace.
      Set<String> inputIds = Set.of(id(placed), id(reserved), id(declined), undecodableId);
      Set<String> spanIds = new HashSet<>();
      assertThat(outputs.all()).hasSizeGreaterThanOrEqualTo(3 + 2 + 1);
      for (ConsumerRecord<String, byte[]> record : outputs.all()) {
        String where = record.topic() + "@" + record.offset();
        assertThat(header(record, EventHeaders.CORRELATION_ID)).as(where).isEqualTo(ORDER_ID);
        TraceContext trace = TraceContext.parse(header(record, EventHeaders.TRACEPARENT));
        assertThat(trace).as("%s has a valid traceparent", where).isNotNull();
        assertThat(trace.traceId()).as(where).isEqualTo(SERVICE_SPAN.traceId());
        assertThat(spanIds.add(trace.spanId())).as("%s has a span of its own", where).isTrue();
        assertThat(header(record, EventHeaders.CAUSATION_ID))
            .as("%s was caused by one of the order's events", where)
            .isIn(inputIds);
      }

      // The spans: one trace, each hop under the span the previous one wrote into the headers.
      Set<String> rowSpans =
          Set.of(placed, reserved, declined).stream()
              .map(e -> TraceContext.parse(metadata(e).getTraceparent()).spanId())
              .collect(Collectors.toSet());
      await()
          .atMost(WAIT)
          .pollInterval(POLL)
          .untilAsserted(
              () -> {
                List<SpanData> spans = spansOf(SERVICE_SPAN.traceId());
                assertThat(spans).filteredOn(s -> s.getKind() == SpanKind.PRODUCER).hasSize(4 + 5);
                assertThat(spans).filteredOn(s -> s.getKind() == SpanKind.CONSUMER).hasSize(3);
              });
      List<SpanData> spans = spansOf(SERVICE_SPAN.traceId());
      Map<String, SpanData> byId =
          spans.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
      List<SpanData> publishes =
          spans.stream().filter(s -> s.getName().startsWith("publish ")).toList();
      assertThat(publishes)
          .hasSize(4)
          .allSatisfy(
              p ->
                  assertThat(p.getParentSpanId())
                      .as("a CDC publish hangs under its outbox row's span")
                      .isIn(union(rowSpans, TraceContext.parse(child(declined)).spanId())));
      for (SpanData step : spans.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).toList()) {
        assertThat(byId.get(step.getParentSpanId()))
            .as("the job's step %s hangs under a CDC publish", step.getName())
            .isIn(publishes);
      }
      for (SpanData send : spans.stream().filter(s -> s.getName().startsWith("send ")).toList()) {
        assertThat(byId.get(send.getParentSpanId()).getKind()).isEqualTo(SpanKind.CONSUMER);
      }
      // The ids in the outputs' headers are the exported send spans.
      for (ConsumerRecord<String, byte[]> record :
          outputs.all().stream().filter(r -> !r.topic().endsWith(".dlq")).toList()) {
        String spanId = TraceContext.parse(header(record, EventHeaders.TRACEPARENT)).spanId();
        assertThat(byId).as("span of %s@%d", record.topic(), record.offset()).containsKey(spanId);
      }
    }
  }

  /** A saga event of {@link #ORDER_ID} written by a service in span {@code span}. */
  private static SpecificRecord event(EventType type, String span, SpecificRecord cause) {
    SpecificRecord event = OutboxSqlCommand.build(type, ORDER_ID);
    EventMetadata metadata = metadata(event);
    metadata.setTraceparent(span);
    metadata.setCausationId(cause == null ? null : id(cause));
    return event;
  }

  private static SpecificRecord event(EventType type, TraceContext span, SpecificRecord cause) {
    return event(type, span.traceparent(), cause);
  }

  /** The span of the service handling {@code cause} (a child of the cause's row span). */
  private static String child(SpecificRecord cause) {
    return TraceContext.parse(metadata(cause).getTraceparent())
        .child("service/" + id(cause))
        .traceparent();
  }

  private static EventMetadata metadata(SpecificRecord event) {
    return (EventMetadata) event.get(event.getSchema().getField("metadata").pos());
  }

  private static String id(SpecificRecord event) {
    return metadata(event).getEventId().toString();
  }

  private static Set<String> union(Set<String> set, String one) {
    Set<String> all = new HashSet<>(set);
    all.add(one);
    return all;
  }

  /** An outbox row of the order whose payload is not in the wire format (the job's POISON). */
  private static String insertUndecodableRow(Connection psql, String traceparent) throws Exception {
    UUID id = UUID.randomUUID();
    try (PreparedStatement insert =
        psql.prepareStatement(
            "INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, correlation_id,"
                + " causation_id, traceparent, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setObject(1, id);
      insert.setString(2, "order");
      insert.setString(3, ORDER_ID);
      insert.setString(4, "OrderConfirmed");
      insert.setBytes(5, "{not avro}".getBytes(StandardCharsets.UTF_8));
      insert.setString(6, ORDER_ID);
      insert.setString(7, null);
      insert.setString(8, traceparent);
      insert.setTimestamp(9, Timestamp.from(Instant.now()));
      insert.executeUpdate();
    }
    try (PreparedStatement delete = psql.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
      delete.setObject(1, id);
      delete.executeUpdate();
    }
    return id.toString();
  }

  private static List<SpanData> spansOf(String traceId) {
    return SPANS.getFinishedSpanItems().stream()
        .filter(s -> s.getTraceId().equals(traceId))
        .toList();
  }

  private static String header(ConsumerRecord<?, ?> record, String key) {
    Header header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The committed records of the saga's order on the job's output topics, read_committed. */
  private static final class Outputs implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

    Outputs() {
      Map<String, Object> config = KAFKA.clientConfig();
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      config.put(
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      consumer = new KafkaConsumer<>(config);
      List<TopicPartition> partitions = new ArrayList<>();
      for (Topic<?, ?> topic :
          List.of(
              Topics.SAGA_STATE,
              Topics.SAGA_COMMANDS,
              Topics.dlqOf(Topics.ORDER_EVENTS),
              Topics.dlqOf(Topics.INVENTORY_EVENTS),
              Topics.dlqOf(Topics.PAYMENT_EVENTS),
              Topics.dlqOf(Topics.SHIPMENT_EVENTS),
              Topics.dlqOf(Topics.SAGA_COMMANDS))) {
        for (int p = 0; p < topic.partitions(); p++) {
          partitions.add(new TopicPartition(topic.name(), p));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    void poll() {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (ORDER_ID.equals(record.key())) {
          records.add(record);
        }
      }
    }

    List<ConsumerRecord<String, byte[]>> all() {
      return records;
    }

    List<ConsumerRecord<String, byte[]>> of(String topic) {
      return records.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  /** Hands spans to {@link #SPANS} and ignores the shutdown that would clear them. */
  private static final class KeepingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return SPANS.export(spans);
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
