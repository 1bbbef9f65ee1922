package org.edapipeline.service.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.edapipeline.dlq.DlqCli;
import org.edapipeline.dlq.read.DeadLetterEntry;
import org.edapipeline.dlq.read.DlqScanner;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.DeadLetterHeader;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.deadletter.DeadLetterHeaders;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.trace.TraceContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The idempotent consumer's dead letters are the project's, like the Flink jobs' and the CDC
 * source's: read back with the {@code dlq} tool's reader they carry every provenance field and the
 * {@link DeadLetterHeaders}, and the tool lists them and replays them to a consumer that then
 * handles the event once. On the catalogue's {@code payment.events}, since the tool takes only
 * catalogue queues.
 */
class IdempotentConsumerDeadLetterITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final PostgresExtension PG = new PostgresExtension();

  @RegisterExtension
  @Order(3)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Topic<String, SpecificRecord> SOURCE = Topics.PAYMENT_EVENTS;
  private static final String DLQ = Topics.dlqOf(SOURCE).name();
  private static final String CONSUMER_NAME = "payment-service";
  private static final String TIMEOUT_TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private static final String POISON_TRACEPARENT =
      "00-5c6a0b1e9d2f4a3b8c7d6e5f4a3b2c1d-1a2b3c4d5e6f7a8b-01";

  private static SchemaRegistryClient registry;
  private static PaymentsFixture fixture;

  private DataSource db;
  private IdempotentConsumer<PaymentProcessed> consumer;
  private Thread thread;

  @BeforeAll
  static void connect() {
    registry =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(REGISTRY.url()).build());
    fixture = new PaymentsFixture(KAFKA.bootstrapServers(), registry);
    KAFKA.createTopic(SOURCE.name(), SOURCE.partitions(), SOURCE.config());
    KAFKA.createTopic(DLQ, SOURCE.partitions(), Topics.dlqOf(SOURCE).config());
  }

  @AfterAll
  static void disconnect() {
    registry.close();
  }

  @AfterEach
  void stopConsumer() throws Exception {
    if (consumer != null) {
      consumer.close();
      thread.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(thread.isAlive()).as("consumer thread stopped").isFalse();
    }
    if (db != null) {
      PaymentsFixture.stopRecordingOutbox(db);
    }
  }

  @Test
  void shouldWriteDeadLettersInTheProjectFormatThatTheDlqToolListsAndReplays() throws Exception {
    String url = PG.server().createDatabase("dead_letters");
    db = PaymentsFixture.dataSource(url, PG.server().user(), PG.server().password());
    PaymentsFixture.createSchema(db);
    PaymentsFixture.recordOutbox(db);
    // In order on one partition: a payment whose provider keeps timing out, poison with the CDC
    // source's headers, and a payment that goes through.
    PaymentProcessed timedOut = PaymentsFixture.payment("p-timeout");
    PaymentProcessed fine = PaymentsFixture.payment("p-fine");
    UUID poisonId = UUID.randomUUID();
    byte[] garbage = "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> timedOutHeaders = PaymentsFixture.cdcHeaders(timedOut, TIMEOUT_TRACEPARENT);
    Map<String, String> poisonHeaders = new LinkedHashMap<>();
    poisonHeaders.put(EventHeaders.EVENT_ID, poisonId.toString());
    poisonHeaders.put(EventHeaders.CORRELATION_ID, "order-poison");
    poisonHeaders.put(EventHeaders.TRACEPARENT, POISON_TRACEPARENT);
    byte[] timedOutValue = fixture.encode(SOURCE, timedOut);
    RecordMetadata timedOutAt =
        fixture.send(SOURCE, 0, timedOut.getPaymentId(), timedOutValue, timedOutHeaders);
    RecordMetadata poisonAt = fixture.send(SOURCE, 0, "k-poison", garbage, poisonHeaders);
    fixture.send(
        SOURCE,
        0,
        fine.getPaymentId(),
        fixture.encode(SOURCE, fine),
        PaymentsFixture.cdcHeaders(fine, TIMEOUT_TRACEPARENT));
    PaymentProvider provider = new PaymentProvider(timedOut.getPaymentId());
    RecordingListener listener = new RecordingListener();
    start(listener, provider);

    await().atMost(TIMEOUT).until(() -> listener.finished() == 3);
    assertThat(listener.processed)
        .extracting(DecodedRecord::eventId)
        .containsExactly(fine.getMetadata().getEventId());

    // Read back as the dlq tool reads a queue.
    Map<UUID, ConsumerRecord<byte[], byte[]>> byEventId = new HashMap<>();
    Map<UUID, DeadLetter> letters = new HashMap<>();
    for (QueuedLetter queued : dlqRecords()) {
      DeadLetterEntry entry = queued.entry();
      assertThat(entry.decoded()).as("a dead letter to the tool: %s", entry).isTrue();
      byEventId.put(entry.deadLetter().getEventId(), queued.record());
      letters.put(entry.deadLetter().getEventId(), entry.deadLetter());
    }
    assertThat(letters).containsOnlyKeys(timedOut.getMetadata().getEventId(), poisonId);
    assertThat(registry.subjects().contains(Topics.dlqOf(SOURCE).valueSubject(DeadLetter.class)))
        .as("registered under the queue's catalogue subject")
        .isTrue();

    DeadLetter timeout = letters.get(timedOut.getMetadata().getEventId());
    assertProvenance(timeout, timedOutAt, timedOut.getPaymentId(), timedOutValue, timedOutHeaders);
    assertThat(timeout.getErrorCategory())
        .as("ErrorClassifier's: the retries of a timeout were exhausted")
        .isEqualTo(ErrorCategory.TRANSIENT);
    assertThat(timeout.getErrorClass()).isEqualTo(UncheckedIOException.class.getName());
    assertThat(timeout.getErrorMessage()).contains("payment provider timed out");
    assertThat(timeout.getStackTrace()).contains("HttpTimeoutException");
    assertThat(timeout.getAttemptCount()).isEqualTo(3);
    assertThat(timeout.getFirstFailureAt()).isBefore(timeout.getLastFailureAt());
    assertThat(timeout.getCorrelationId()).isEqualTo(timedOut.getOrderId());
    assertDeadLetterHeaders(byEventId.get(timeout.getEventId()), timeout, TIMEOUT_TRACEPARENT);

    DeadLetter poison = letters.get(poisonId);
    assertProvenance(poison, poisonAt, "k-poison", garbage, poisonHeaders);
    assertThat(poison.getErrorCategory()).isEqualTo(ErrorCategory.POISON);
    assertThat(poison.getErrorClass()).endsWith("UnknownMagicByteException");
    assertThat(poison.getErrorMessage()).isNotBlank();
    assertThat(poison.getStackTrace()).isNotBlank();
    assertThat(poison.getAttemptCount()).isEqualTo(1);
    assertThat(poison.getFirstFailureAt()).isEqualTo(poison.getLastFailureAt());
    assertThat(poison.getCorrelationId()).isEqualTo("order-poison");
    assertDeadLetterHeaders(byEventId.get(poisonId), poison, POISON_TRACEPARENT);

    // The operator's view: `dlq list` shows both with their provenance.
    CliResult list = dlq("list", "--source", SOURCE.name());
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out())
        .contains(SOURCE.name() + "/0/" + timedOutAt.offset())
        .contains(SOURCE.name() + "/0/" + poisonAt.offset())
        .contains("TRANSIENT", "POISON", poisonId.toString(), "order-poison")
        .contains("2 of 2 records")
        .doesNotContain("(not a dead letter)");

    // The provider is fixed: `dlq replay --category TRANSIENT` puts the payment back, once.
    provider.fixed = true;
    CliResult replay = dlq("replay", "--source", SOURCE.name(), "--category", "TRANSIENT");
    assertThat(replay.exitCode()).as(replay.err()).isZero();

    await().atMost(TIMEOUT).until(() -> listener.processed.size() == 2);
    DecodedRecord<PaymentProcessed> replayed = listener.processed.get(1);
    assertThat(replayed.eventId()).isEqualTo(timedOut.getMetadata().getEventId());
    assertThat(header(replayed.source(), EventHeaders.REPLAY_COUNT)).isEqualTo("1");
    assertThat(header(replayed.source(), EventHeaders.TRACEPARENT)).isEqualTo(TIMEOUT_TRACEPARENT);
    Map<String, Long> once =
        Map.of(
            timedOut.getMetadata().getEventId().toString(), 1L,
            fine.getMetadata().getEventId().toString(), 1L);
    assertThat(PaymentsFixture.chargesPerEvent(db)).isEqualTo(once);
    assertThat(PaymentsFixture.outboxRowsPerEvent(db)).isEqualTo(once);
    assertThat(dlqRecords()).as("nothing dead-lettered again").hasSize(2);
  }

  /** Times out on one payment (as an HTTP client would) until it is fixed. */
  private static final class PaymentProvider {
    private final String stuckPaymentId;
    volatile boolean fixed;

    PaymentProvider(String stuckPaymentId) {
      this.stuckPaymentId = stuckPaymentId;
    }

    void charge(PaymentProcessed payment) {
      if (!fixed && payment.getPaymentId().equals(stuckPaymentId)) {
        throw new UncheckedIOException(
            new HttpTimeoutException("payment provider timed out for " + payment.getPaymentId()));
      }
    }
  }

  private void start(RecordingListener listener, PaymentProvider provider) {
    IdempotentConsumerConfig config = fixture.config(CONSUMER_NAME, SOURCE).build();
    consumer =
        IdempotentConsumer.builder(config, db, registry, PaymentProcessed.class)
            .listener(listener)
            .handler(
                (connection, record) -> {
                  fixture.charge(connection, record);
                  provider.charge(record.value());
                })
            .build();
    thread = new Thread(consumer, "payment-consumer");
    thread.start();
  }

  /** Every provenance field: where the record came from, its bytes and headers, who gave up. */
  private static void assertProvenance(
      DeadLetter letter,
      RecordMetadata source,
      String key,
      byte[] value,
      Map<String, String> headers) {
    assertThat(letter.getSourceTopic()).isEqualTo(SOURCE.name());
    assertThat(letter.getSourcePartition()).isEqualTo(source.partition());
    assertThat(letter.getSourceOffset()).isEqualTo(source.offset());
    assertThat(letter.getSourceTimestamp().toEpochMilli()).isEqualTo(source.timestamp());
    assertThat(bytes(letter.getOriginalKey())).isEqualTo(key.getBytes(StandardCharsets.UTF_8));
    assertThat(bytes(letter.getOriginalValue())).isEqualTo(value);
    List<Map.Entry<String, String>> expected = new ArrayList<>(headers.entrySet());
    assertThat(letter.getOriginalHeaders())
        .extracting(
            (DeadLetterHeader h) ->
                Map.entry(h.getKey(), new String(bytes(h.getValue()), StandardCharsets.UTF_8)))
        .containsExactlyElementsOf(expected);
    assertThat(letter.getJobName()).isEqualTo(CONSUMER_NAME);
    assertThat(letter.getOperatorUid()).isEqualTo(DeadLetterPublisher.OPERATOR_UID);
  }

  /**
   * The DLQ record: keyed by the original key, with exactly the headers the jobs and the CDC source
   * write, its traceparent a child in the failed record's trace.
   */
  private static void assertDeadLetterHeaders(
      ConsumerRecord<byte[], byte[]> record, DeadLetter letter, String originalTraceparent) {
    assertThat(record.key()).isEqualTo(bytes(letter.getOriginalKey()));
    assertThat(headers(record)).isEqualTo(headers(DeadLetterHeaders.of(letter)));
    assertThat(header(record, EventHeaders.EVENT_ID)).isEqualTo(letter.getEventId().toString());
    assertThat(header(record, EventHeaders.CORRELATION_ID)).isEqualTo(letter.getCorrelationId());
    assertThat(header(record, EventHeaders.CAUSATION_ID)).isEqualTo(letter.getEventId().toString());
    TraceContext letterTrace = TraceContext.parse(header(record, EventHeaders.TRACEPARENT));
    TraceContext original = TraceContext.parse(originalTraceparent);
    assertThat(letterTrace.traceId()).isEqualTo(original.traceId());
    assertThat(letterTrace.spanId()).isNotEqualTo(original.spanId());
  }

  /** A record of the queue and what the dlq tool's reader makes of it. */
  private record QueuedLetter(ConsumerRecord<byte[], byte[]> record, DeadLetterEntry entry) {}

  /** Every record in the queue, read_committed and decoded as the tool reads. */
  private static List<QueuedLetter> dlqRecords() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<QueuedLetter> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        AvroWireDeserializer<DeadLetter> decoder =
            AvroWireDeserializer.forSpecific(registry, DeadLetter.class)) {
      DlqScanner reader = new DlqScanner(consumer, decoder, TIMEOUT);
      List<TopicPartition> partitions =
          consumer.partitionsFor(DLQ).stream()
              .map(p -> new TopicPartition(DLQ, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertThat(System.nanoTime()).as("read %s in time", DLQ).isLessThan(deadline);
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(record -> records.add(new QueuedLetter(record, reader.entry(record))));
      }
    }
    return records;
  }

  private CliResult dlq(String subcommand, String... args) {
    List<String> all = new ArrayList<>(List.of(subcommand));
    all.addAll(List.of("-b", KAFKA.bootstrapServers(), "-r", REGISTRY.url()));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = DlqCli.commandLine(Clock.systemUTC());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(all.toArray(String[]::new));
    return new CliResult(exitCode, out.toString(), err.toString());
  }

  private record CliResult(int exitCode, String out, String err) {}

  private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
    return headers(record.headers());
  }

  private static Map<String, String> headers(Iterable<Header> headers) {
    Map<String, String> texts = new LinkedHashMap<>();
    headers.forEach(h -> texts.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
    return texts;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
