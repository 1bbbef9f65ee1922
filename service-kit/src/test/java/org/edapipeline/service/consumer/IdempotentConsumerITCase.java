package org.edapipeline.service.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.PostgresExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.trace.EventLogContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

/**
 * The "done when", against real PostgreSQL, Kafka and schema registry: duplicates, racing
 * consumers, failing handlers, poison, transient database errors and shutdown each give exactly one
 * effect per event, and nothing is lost.
 */
class IdempotentConsumerITCase {

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
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";

  private static SchemaRegistryClient registry;
  private static PaymentsFixture fixture;

  private final List<IdempotentConsumer<?>> consumers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private DataSource db;
  private Topic<String, PaymentProcessed> topic;

  @BeforeAll
  static void connect() {
    registry =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(REGISTRY.url()).build());
    fixture = new PaymentsFixture(KAFKA.bootstrapServers(), registry);
  }

  @AfterAll
  static void disconnect() {
    registry.close();
  }

  /** A database and topics of this test's own. */
  @BeforeEach
  void isolate(TestInfo test) throws SQLException {
    String name = test.getTestMethod().orElseThrow().getName().toLowerCase();
    String url = PG.server().createDatabase(name);
    db = PaymentsFixture.dataSource(url, PG.server().user(), PG.server().password());
    PaymentsFixture.createSchema(db);
    PaymentsFixture.recordOutbox(db);
    topic = PaymentsFixture.topic("payments");
    KAFKA.createTopic(topic.name(), topic.partitions());
    Topic<byte[], DeadLetter> dlq = Topics.dlqOf(topic);
    KAFKA.createTopic(dlq.name(), dlq.partitions(), dlq.config()); // takes 2 MiB, as deployed
  }

  @AfterEach
  void stopConsumers() throws Exception {
    consumers.forEach(IdempotentConsumer::close);
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(thread.isAlive()).as("consumer thread %s stopped", thread.getName()).isFalse();
    }
    PaymentsFixture.stopRecordingOutbox(db);
  }

  @Test
  void shouldApplyAnEventDeliveredTwiceOnce() throws Exception {
    PaymentProcessed payment = PaymentsFixture.payment("p-1");
    byte[] value = fixture.encode(topic, payment);
    fixture.send(topic, null, payment.getPaymentId(), value);
    fixture.send(topic, null, payment.getPaymentId(), value);
    RecordingListener listener = new RecordingListener();

    start(consumer("payments", listener, fixture::charge));

    await().atMost(TIMEOUT).until(() -> listener.finished() == 2);
    assertThat(listener.processed).hasSize(1);
    assertThat(listener.duplicates).hasSize(1);
    assertThat(listener.duplicates.get(0).offset())
        .isGreaterThan(listener.processed.get(0).offset());
    assertOneEffectPerEvent(List.of(payment));
  }

  @Test
  void shouldGiveOneEffectPerEventWhenTwoConsumersOfOneGroupRace() throws Exception {
    // Each event twice, in two different partitions: two members of the group own them and race.
    // The second member joins while the first is working, so a rebalance also redelivers records
    // whose offsets were not committed yet.
    List<PaymentProcessed> payments = PaymentsFixture.payments("race", 150);
    try (var producer = fixture.producer()) {
      for (int i = 0; i < payments.size(); i++) {
        PaymentProcessed payment = payments.get(i);
        byte[] value = fixture.encode(topic, payment);
        for (int copy = 0; copy < 2; copy++) {
          producer.send(
              new org.apache.kafka.clients.producer.ProducerRecord<>(
                  topic.name(), (i + copy) % topic.partitions(), payment.getPaymentId(), value));
        }
      }
      producer.flush();
    }
    RecordingListener first = new RecordingListener();
    RecordingListener second = new RecordingListener();
    RecordHandler<PaymentProcessed> slowCharge =
        (connection, record) -> {
          try (Statement s = connection.createStatement()) {
            s.execute("SELECT pg_sleep(0.005)"); // widen the race window
          }
          fixture.charge(connection, record);
        };

    start(consumer("payments", first, slowCharge));
    await().atMost(TIMEOUT).until(() -> first.finished() >= 20);
    start(consumer("payments", second, slowCharge));

    await().atMost(TIMEOUT).untilAsserted(() -> assertOneEffectPerEvent(payments));
    await()
        .atMost(TIMEOUT)
        .until(() -> first.finished() + second.finished() >= 2 * payments.size());
    assertThat(first.processed.size() + second.processed.size()).isEqualTo(payments.size());
    assertThat(second.finished()).as("the second member took part").isPositive();
    assertThat(first.duplicates.size() + second.duplicates.size())
        .isGreaterThanOrEqualTo(payments.size());
    assertOneEffectPerEvent(payments);
  }

  @Test
  void shouldRollBackRetryThenDeadLetterAFailingHandlerAndGoOn() throws Exception {
    List<PaymentProcessed> payments = PaymentsFixture.payments("fail", 3);
    PaymentProcessed failing = payments.get(1);
    AtomicInteger attemptsOnFailing = new AtomicInteger();
    RecordHandler<PaymentProcessed> handler =
        (connection, record) -> {
          fixture.charge(connection, record); // written, then rolled back
          if (record.eventId().equals(failing.getMetadata().getEventId())) {
            attemptsOnFailing.incrementAndGet();
            throw new IllegalStateException("card declined by the test");
          }
        };
    // One partition, in order: the records after the failing one wait behind it.
    for (PaymentProcessed p : payments) {
      fixture.send(topic, 0, p.getPaymentId(), fixture.encode(topic, p));
    }
    RecordingListener listener = new RecordingListener();

    start(consumer("payments", listener, handler));

    await().atMost(TIMEOUT).until(() -> listener.finished() == 3);
    assertThat(attemptsOnFailing).hasValue(3);
    assertThat(listener.retriesTransient).containsExactly(false, false);
    assertThat(listener.processed)
        .extracting(DecodedRecord::eventId)
        .containsExactly(
            payments.get(0).getMetadata().getEventId(), payments.get(2).getMetadata().getEventId());
    // No marker, no charge, no outbox row for the failed event.
    assertOneEffectPerEvent(List.of(payments.get(0), payments.get(2)));
    List<ConsumerRecord<byte[], DeadLetter>> dlq = fixture.deadLetters(topic);
    assertThat(dlq).hasSize(1);
    ConsumerRecord<byte[], DeadLetter> record = dlq.get(0);
    DeadLetter letter = record.value();
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(failing.getPaymentId());
    assertThat(letter.getErrorCategory()).isEqualTo(ErrorCategory.PERMANENT);
    assertThat(letter.getAttemptCount()).isEqualTo(3);
    assertThat(letter.getErrorClass()).isEqualTo(IllegalStateException.class.getName());
    assertThat(letter.getErrorMessage()).isEqualTo("card declined by the test");
    assertThat(letter.getStackTrace()).contains("IdempotentConsumerITCase");
    assertThat(letter.getEventId()).isEqualTo(failing.getMetadata().getEventId());
    assertThat(letter.getCorrelationId()).isEqualTo(failing.getOrderId());
    assertThat(letter.getSourceTopic()).isEqualTo(topic.name());
    assertThat(letter.getSourcePartition()).isZero();
    assertThat(letter.getSourceOffset()).isEqualTo(1);
    assertThat(letter.getSourceTimestamp()).isNotNull();
    assertThat(letter.getFirstFailureAt()).isBefore(letter.getLastFailureAt());
    assertThat(letter.getJobName()).isEqualTo("payments");
    assertThat(letter.getOriginalValue().array()).isEqualTo(fixture.encode(topic, failing));
    assertThat(letter.getOriginalHeaders()).extracting(h -> h.getKey()).contains("traceparent");
    assertCommitted(new TopicPartition(topic.name(), 0), 3);
  }

  @Test
  void shouldDeadLetterPoisonAtOnceAndGoOn() throws Exception {
    PaymentProcessed before = PaymentsFixture.payment("before");
    PaymentProcessed after = PaymentsFixture.payment("after");
    fixture.send(topic, 0, "k", fixture.encode(topic, before));
    byte[] garbage = "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8);
    UUID poisonId = UUID.randomUUID();
    try (var producer = fixture.producer()) {
      var poison =
          new org.apache.kafka.clients.producer.ProducerRecord<>(topic.name(), 0, "k", garbage);
      poison
          .headers()
          .add(EventHeaders.EVENT_ID, poisonId.toString().getBytes(StandardCharsets.UTF_8));
      poison
          .headers()
          .add(EventHeaders.CORRELATION_ID, "order-poison".getBytes(StandardCharsets.UTF_8));
      producer.send(poison).get();
    }
    fixture.send(topic, 0, "k", fixture.encode(topic, after));
    AtomicInteger calls = new AtomicInteger();
    RecordingListener listener = new RecordingListener();

    start(
        consumer(
            "payments",
            listener,
            (connection, record) -> {
              calls.incrementAndGet();
              fixture.charge(connection, record);
            }));

    await().atMost(TIMEOUT).until(() -> listener.finished() == 3);
    assertThat(calls).hasValue(2);
    assertThat(listener.retriesTransient).isEmpty();
    assertOneEffectPerEvent(List.of(before, after));
    DeadLetter letter = fixture.deadLetters(topic).get(0).value();
    assertThat(letter.getErrorCategory()).isEqualTo(ErrorCategory.POISON);
    assertThat(letter.getAttemptCount()).isEqualTo(1);
    assertThat(letter.getErrorClass()).endsWith("UnknownMagicByteException");
    assertThat(letter.getOriginalValue().array()).isEqualTo(garbage);
    // Not decodable: the ids come from the CDC source's headers.
    assertThat(letter.getEventId()).isEqualTo(poisonId);
    assertThat(letter.getCorrelationId()).isEqualTo("order-poison");
    assertThat(letter.getOriginalHeaders()).hasSize(2);
    assertThat(letter.getSourceOffset()).isEqualTo(1);
  }

  @Test
  void shouldPutTheRecordsIdsIntoTheLoggingContextWhileHandlingItAndRemoveThemAfter()
      throws Exception {
    PaymentProcessed payment = PaymentsFixture.payment("p-mdc");
    fixture.send(
        topic,
        0,
        payment.getPaymentId(),
        fixture.encode(topic, payment),
        PaymentsFixture.cdcHeaders(payment, TRACEPARENT));
    // Then poison without any header: nothing of the payment's context may be left for it.
    fixture.send(topic, 0, "k", new byte[] {'{', '}'}, Map.of());
    AtomicInteger calls = new AtomicInteger();
    List<Map<String, String>> inHandler = new CopyOnWriteArrayList<>();
    AtomicReference<Map<String, String>> afterRun = new AtomicReference<>();
    RecordingListener listener = new RecordingListener();
    IdempotentConsumer<PaymentProcessed> consumer =
        consumer(
            "payments",
            listener,
            (connection, record) -> {
              inHandler.add(MDC.getCopyOfContextMap());
              fixture.charge(connection, record);
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt fails");
              }
            });

    try (CapturedLogs logs = CapturedLogs.of(IdempotentConsumer.class)) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  consumer.run();
                } finally {
                  afterRun.set(MDC.getCopyOfContextMap());
                }
              },
              "consumer-mdc");
      consumers.add(consumer);
      threads.add(thread);
      thread.start();
      await().atMost(TIMEOUT).until(() -> listener.finished() == 2);
      consumer.close();
      thread.join(TIMEOUT.toMillis());

      Map<String, String> paymentContext =
          Map.of(
              EventLogContext.EVENT_ID,
              payment.getMetadata().getEventId().toString(),
              EventLogContext.CORRELATION_ID,
              payment.getOrderId(),
              EventLogContext.TRACE_ID,
              TRACE_ID,
              EventLogContext.SPAN_ID,
              SPAN_ID);
      assertThat(inHandler).hasSize(2).allSatisfy(mdc -> assertThat(mdc).isEqualTo(paymentContext));
      // The consumer's own lines about the record carry its ids too: the retry warning.
      assertThat(logs.containing("attempt 1 on " + topic.name() + "-0@0"))
          .singleElement()
          .satisfies(line -> assertThat(line.context()).isEqualTo(paymentContext));
      // The poison's dead-letter line: the letter's trace, a root of its own, and no ids.
      assertThat(logs.containing("dead-lettering " + topic.name() + "-0@1"))
          .singleElement()
          .satisfies(
              line -> {
                assertThat(line.context())
                    .doesNotContainKeys(EventLogContext.EVENT_ID, EventLogContext.CORRELATION_ID)
                    .containsKeys(EventLogContext.TRACE_ID, EventLogContext.SPAN_ID);
                assertThat(line.context().get(EventLogContext.TRACE_ID)).isNotEqualTo(TRACE_ID);
              });
      assertThat(logs.containing("stopped"))
          .singleElement()
          .satisfies(line -> assertThat(line.context()).isEmpty());
    }
    assertThat(afterRun.get()).as("the consumer thread's MDC after run()").isNullOrEmpty();
    assertOneEffectPerEvent(List.of(payment));
  }

  @Test
  void shouldDeadLetterARecordAsLargeAsKafkasDefaultLimitWhole() throws Exception {
    // Fits the source topic and a default producer request (1 MiB); its letter, with the error
    // and stack trace added, does not: the DLQ producer must take what the DLQ topic takes.
    byte[] large = new byte[1_048_400];
    Arrays.fill(large, (byte) '{');
    fixture.send(topic, 0, "k-large", large, Map.of());
    PaymentProcessed after = PaymentsFixture.payment("after-large");
    fixture.send(topic, 0, after.getPaymentId(), fixture.encode(topic, after), Map.of());
    RecordingListener listener = new RecordingListener();

    start(consumer("payments", listener, fixture::charge));

    await().atMost(TIMEOUT).until(() -> listener.finished() == 2);
    DeadLetter letter = fixture.deadLetters(topic).get(0).value();
    assertThat(letter.getErrorCategory()).isEqualTo(ErrorCategory.POISON);
    assertThat(letter.getOriginalValue().array()).isEqualTo(large);
    assertOneEffectPerEvent(List.of(after));
  }

  @Test
  void shouldRetryAfterTheDatabaseConnectionIsKilledWithoutDeadLettering() throws Exception {
    PaymentProcessed payment = PaymentsFixture.payment("p-kill");
    fixture.send(topic, List.of(payment));
    AtomicInteger calls = new AtomicInteger();
    RecordingListener listener = new RecordingListener();

    start(
        consumer(
            "payments",
            listener,
            (connection, record) -> {
              fixture.charge(connection, record);
              if (calls.incrementAndGet() <= 2) {
                // The backend dies mid-transaction, as in a failover: the work is lost with it.
                try (Statement s = connection.createStatement()) {
                  s.execute("SELECT pg_terminate_backend(pg_backend_pid())");
                }
              }
            }));

    await().atMost(TIMEOUT).until(() -> listener.finished() == 1);
    assertThat(calls).hasValue(3);
    assertThat(listener.retriesTransient).containsExactly(true, true);
    assertThat(listener.deadLetters).isEmpty();
    assertOneEffectPerEvent(List.of(payment));
  }

  @Test
  void shouldRetryASerializationFailureWithoutDeadLettering() throws Exception {
    PaymentProcessed payment = PaymentsFixture.payment("p-40001");
    fixture.send(topic, List.of(payment));
    AtomicInteger calls = new AtomicInteger();
    RecordingListener listener = new RecordingListener();
    IdempotentConsumerConfig config = fixture.config("payments", topic).maxAttempts(1).build();

    start(
        IdempotentConsumer.builder(config, db, registry, PaymentProcessed.class)
            .listener(listener)
            .handler(
                (connection, record) -> {
                  fixture.charge(connection, record);
                  if (calls.incrementAndGet() <= 3) {
                    try (Statement s = connection.createStatement()) {
                      // PostgreSQL raising SQLSTATE 40001 itself, as a conflicting
                      // SERIALIZABLE transaction would.
                      s.execute(
                          "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE ="
                              + " 'serialization_failure'; END $$");
                    }
                  }
                })
            .build());

    await().atMost(TIMEOUT).until(() -> listener.finished() == 1);
    // max.attempts = 1 would dead-letter a handler failure at once: transient ones are not counted.
    assertThat(calls).hasValue(4);
    assertThat(listener.retriesTransient).containsExactly(true, true, true);
    assertThat(listener.deadLetters).isEmpty();
    assertOneEffectPerEvent(List.of(payment));
  }

  @Test
  void shouldFinishTheInFlightRecordAndCommitOnClose() throws Exception {
    List<PaymentProcessed> payments = PaymentsFixture.payments("close", 3);
    for (PaymentProcessed p : payments) {
      fixture.send(topic, 0, p.getPaymentId(), fixture.encode(topic, p));
    }
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RecordingListener listener = new RecordingListener();
    IdempotentConsumer<PaymentProcessed> consumer =
        consumer(
            "payments",
            listener,
            (connection, record) -> {
              fixture.charge(connection, record);
              if (record.offset() == 1) {
                inHandler.countDown();
                release.await();
              }
            });
    Thread thread = start(consumer);
    assertThat(inHandler.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    Thread closer = new Thread(consumer::close, "closer");
    closer.start();
    await().atMost(TIMEOUT).until(() -> closer.getState() == Thread.State.TIMED_WAITING);
    release.countDown();
    closer.join(TIMEOUT.toMillis());
    thread.join(TIMEOUT.toMillis());

    assertThat(closer.isAlive()).isFalse();
    assertThat(thread.isAlive()).isFalse();
    // The in-flight record finished and was committed; the one after it was not started.
    assertThat(listener.processed).extracting(DecodedRecord::offset).containsExactly(0L, 1L);
    assertOneEffectPerEvent(payments.subList(0, 2));
    assertCommitted(new TopicPartition(topic.name(), 0), 2);
  }

  private IdempotentConsumer<PaymentProcessed> consumer(
      String name, RecordingListener listener, RecordHandler<PaymentProcessed> handler) {
    return IdempotentConsumer.builder(
            fixture.config(name, topic).build(), db, registry, PaymentProcessed.class)
        .listener(listener)
        .handler(handler)
        .build();
  }

  private Thread start(IdempotentConsumer<?> consumer) {
    Thread thread = new Thread(consumer, "consumer-" + threads.size());
    consumers.add(consumer);
    threads.add(thread);
    thread.start();
    return thread;
  }

  /** Exactly one charge, one outbox row and one marker per event, and nothing else. */
  private void assertOneEffectPerEvent(List<PaymentProcessed> payments) throws SQLException {
    Set<String> ids =
        payments.stream()
            .map(p -> p.getMetadata().getEventId().toString())
            .collect(Collectors.toSet());
    Map<String, Long> once = ids.stream().collect(Collectors.toMap(id -> id, id -> 1L));
    assertThat(PaymentsFixture.chargesPerEvent(db)).isEqualTo(once);
    assertThat(PaymentsFixture.outboxRowsPerEvent(db)).isEqualTo(once);
    assertThat(processedEventIds()).isEqualTo(ids);
  }

  private Set<String> processedEventIds() throws SQLException {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT event_id FROM processed_events")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  private void assertCommitted(TopicPartition partition, long offset) {
    String group = topic.name();
    try (Admin admin = KAFKA.admin()) {
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                assertThat(committed.get(partition)).isNotNull();
                assertThat(committed.get(partition).offset()).isEqualTo(offset);
              });
    }
  }
}
