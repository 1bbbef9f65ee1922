package org.edapipeline.jobs.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.jobs.iot.IotTestData;
import org.edapipeline.jobs.saga.SagaOrderRecords.Published;
import org.edapipeline.jobs.saga.records.SagaEventAdapter;
import org.edapipeline.jobs.saga.state.SagaFailureException;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.deadletter.DeadLetterHeaders;
import org.edapipeline.schemas.trace.TraceContext;
import org.junit.jupiter.api.Test;

/**
 * The saga job on a MiniCluster (parallelism 2, RocksDB, checkpoints every 500 ms) between a real
 * Kafka broker and schema registry. Input: {@value #PER_OUTCOME} sagas of each {@link Outcome},
 * their events shuffled across the four topics and their partitions, one in {@value
 * #DUPLICATE_EVERY} published twice, plus events of orders never placed, an undecodable record and
 * a record foreign to the saga. Asserts the exact read_committed {@code saga.state} (the full
 * sequence per key, so also the latest), {@code saga.commands} and dead-letter queues, without and
 * with a failure injected after a completed checkpoint.
 *
 * <p>Every input is published before any deadline passes (deadlines are {@value #DEADLINE}), so the
 * TIMED_OUT, COMPENSATION_FAILED and unknown-saga outputs all come from processing-time timers
 * firing while every input partition is idle.
 */
class SagaCorrelationJobITCase extends SagaJobTestBase {

  static final int PER_OUTCOME = 40;
  static final int UNKNOWN_ORDERS = 5;
  static final int DUPLICATE_EVERY = 5;
  static final String DEADLINE = "15 s";

  private static final String DEADLINE_EVENT = "deadline";

  private static final AtomicBoolean ARMED = new AtomicBoolean();
  private static final AtomicBoolean FAILED = new AtomicBoolean();

  /** The ways a test saga ends, with its input and its expected outputs. */
  enum Outcome {
    COMPLETED(
        o ->
            List.of(
                o.placed(), o.reserved(), o.paid(), o.confirmed(), o.dispatched(), o.delivered()),
        List.of(
            "STARTED<-OrderPlaced",
            "INVENTORY_RESERVED<-InventoryReserved",
            "PAYMENT_PROCESSED<-PaymentProcessed",
            "SHIPPED<-ShipmentDispatched",
            "COMPLETED<-ShipmentDelivered"),
        List.of()),
    COMPENSATED_AFTER_PAYMENT_FAILURE(
        o -> List.of(o.placed(), o.reserved(), o.paymentFailed(false, 1), o.released()),
        List.of(
            "STARTED<-OrderPlaced",
            "INVENTORY_RESERVED<-InventoryReserved",
            "COMPENSATING/PAYMENT_FAILED<-PaymentFailed",
            "COMPENSATED<-InventoryReleased"),
        List.of(
            "CancelOrder/PAYMENT_FAILED<-PaymentFailed",
            "ReleaseInventory/PAYMENT_FAILED<-PaymentFailed")),
    COMPENSATED_AFTER_SHIPMENT_FAILURE(
        o ->
            List.of(
                o.placed(),
                o.reserved(),
                o.paid(),
                o.shipmentFailed(false, 1),
                o.released(),
                o.refunded()),
        List.of(
            "STARTED<-OrderPlaced",
            "INVENTORY_RESERVED<-InventoryReserved",
            "PAYMENT_PROCESSED<-PaymentProcessed",
            "COMPENSATING/SHIPMENT_FAILED<-ShipmentFailed",
            "COMPENSATED<-PaymentRefunded"),
        List.of(
            "CancelOrder/SHIPMENT_FAILED<-ShipmentFailed",
            "RefundPayment/SHIPMENT_FAILED<-ShipmentFailed",
            "ReleaseInventory/SHIPMENT_FAILED<-ShipmentFailed")),
    COMPLETED_AFTER_TRANSIENT_RETRY(
        o ->
            List.of(
                o.placed(),
                o.reserved(),
                o.paymentFailed(true, 1),
                o.paid(),
                o.dispatched(),
                o.delivered()),
        COMPLETED.states,
        List.of()),
    TIMED_OUT(
        o -> List.of(o.placed()),
        List.of(
            "STARTED<-OrderPlaced",
            "TIMED_OUT/INVENTORY_TIMED_OUT<-" + DEADLINE_EVENT,
            "FAILED/INVENTORY_TIMED_OUT<-" + DEADLINE_EVENT),
        List.of("CancelOrder/INVENTORY_TIMED_OUT<-" + DEADLINE_EVENT)),
    COMPENSATION_FAILED(
        o -> List.of(o.placed(), o.reserved(), o.paymentFailed(false, 1)),
        List.of(
            "STARTED<-OrderPlaced",
            "INVENTORY_RESERVED<-InventoryReserved",
            "COMPENSATING/PAYMENT_FAILED<-PaymentFailed",
            "COMPENSATION_FAILED/COMPENSATION_NOT_ACKNOWLEDGED<-" + DEADLINE_EVENT),
        List.of(
            "CancelOrder/PAYMENT_FAILED<-PaymentFailed",
            "ReleaseInventory/PAYMENT_FAILED<-PaymentFailed"));

    final Function<SagaOrderRecords, List<Published>> events;
    final List<String> states;
    final List<String> commands;

    Outcome(
        Function<SagaOrderRecords, List<Published>> events,
        List<String> states,
        List<String> commands) {
      this.events = events;
      this.states = states;
      this.commands = commands;
    }
  }

  /** The input of one run and what it must produce. */
  private static final class Scenario {
    final Map<String, Outcome> outcomes = new TreeMap<>();
    final Map<String, String> typeOfEventId = new HashMap<>();
    final List<Published> phase1 = new ArrayList<>();
    final List<Published> phase2 = new ArrayList<>();
    final List<Published> unknown = new ArrayList<>();
    int duplicates;

    Scenario(String run) {
      Random random = new Random(42);
      for (Outcome outcome : Outcome.values()) {
        for (int i = 0; i < PER_OUTCOME; i++) {
          SagaOrderRecords order = new SagaOrderRecords(run + "-" + outcome + "-" + i);
          outcomes.put(order.orderId(), outcome);
          List<Published> events = outcome.events.apply(order);
          (i < PER_OUTCOME / 2 ? phase1 : phase2).addAll(events);
          events.forEach(e -> typeOfEventId.put(id(e), e.metadata().getEventType()));
        }
      }
      for (List<Published> phase : List.of(phase1, phase2)) {
        int size = phase.size();
        for (int i = 0; i < size; i += DUPLICATE_EVERY) {
          phase.add(phase.get(i));
          duplicates++;
        }
        Collections.shuffle(phase, random);
      }
      for (int i = 0; i < UNKNOWN_ORDERS; i++) {
        unknown.add(new SagaOrderRecords(run + "-never-placed-" + i).paid());
      }
    }
  }

  @Test
  void shouldWriteExactlyTheExpectedStatesCommandsAndDeadLettersWithMetrics() throws Exception {
    Scenario scenario = new Scenario("plain");
    // The saga metrics are checked while the job runs, once its outputs are complete.
    assertExpectedOutputs(scenario, run(scenario, "saga-it-plain", false));
  }

  @Test
  void shouldWriteTheSameOutputsWhenTheJobFailsAfterACompletedCheckpoint() throws Exception {
    Scenario scenario = new Scenario("failure");
    assertExpectedOutputs(scenario, run(scenario, "saga-it-failure", true));
    assertThat(FAILED).as("the injected failure happened").isTrue();
  }

  private record Run(List<RecordMetadata> unknownSent) {}

  private Run run(Scenario scenario, String instance, boolean injectFailure) throws Exception {
    ARMED.set(false);
    FAILED.set(false);
    SagaJobConfig config =
        config(
            instance,
            "--saga.deadline.inventory",
            DEADLINE,
            "--saga.deadline.payment",
            DEADLINE,
            "--saga.deadline.shipment",
            DEADLINE,
            "--saga.deadline.delivery",
            DEADLINE,
            "--saga.deadline.compensation",
            DEADLINE,
            "--saga.deadline.unknown-saga",
            DEADLINE,
            "--saga.retention",
            "10 min");
    StreamExecutionEnvironment env = environment(config, injectFailure ? 2 : 0);
    SagaCorrelationJob.Outputs outputs =
        SagaCorrelationJob.buildTopology(config, SagaCorrelationJob.fromKafka(env, config));
    SagaCorrelationJob.writeToKafka(
        new SagaCorrelationJob.Outputs(
            outputs
                .states()
                .map(new FailOnceWhenArmed(), new AvroTypeInfo<>(SagaStateChanged.class))
                .uid("test-failure")
                .name("Fail once when armed"),
            outputs.commands(),
            outputs.deadLetters()),
        config.common());
    JobClient job = env.executeAsync("saga-it-" + instance);
    List<RecordMetadata> unknownSent;
    try {
      publish(scenario.phase1);
      unknownSent = publish(scenario.unknown);
      publishBadRecords();
      await().atMost(WAIT).until(() -> !states().isEmpty()); // a checkpoint has completed
      ARMED.set(injectFailure);
      publish(scenario.phase2);

      int expectedStates = scenario.outcomes.values().stream().mapToInt(o -> o.states.size()).sum();
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () ->
                  assertThat(
                          List.of(
                              states().size(),
                              commands().size(),
                              deadLetters(Topics.SAGA_COMMANDS).size(),
                              deadLetters(Topics.PAYMENT_EVENTS).size()))
                      .as("saga.state, saga.commands, their DLQ, payment.events.dlq")
                      .containsExactly(
                          expectedStates,
                          scenario.outcomes.values().stream()
                              .mapToInt(o -> o.commands.size())
                              .sum(),
                          PER_OUTCOME,
                          UNKNOWN_ORDERS));
      if (!injectFailure) {
        assertSagaMetrics(scenario, job.getJobID());
      }
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
    return new Run(unknownSent);
  }

  /** An undecodable record on order.events and a foreign record on shipment.events. */
  private static void publishBadRecords() throws Exception {
    publishRaw(
        Topics.ORDER_EVENTS,
        "bad",
        "{not avro}".getBytes(StandardCharsets.UTF_8),
        Map.of(EventHeaders.EVENT_ID, MALFORMED_ID, EventHeaders.CORRELATION_ID, "bad"));
    publishRaw(
        Topics.SHIPMENT_EVENTS,
        "d1",
        serialize(
            Topics.SHIPMENT_EVENTS,
            IotTestData.decommissioned("d1", Instant.parse("2026-03-01T10:00:00Z"))),
        Map.of());
  }

  private static final String MALFORMED_ID = "00000000-0000-0000-0000-00000000bad1";

  private void assertExpectedOutputs(Scenario scenario, Run run) {
    // saga.state: per order, the exact sequence of status changes (hence also the latest).
    Map<String, List<String>> actualStates = new TreeMap<>();
    List<Output<SagaStateChanged>> states = states();
    for (Output<SagaStateChanged> out : states) {
      SagaStateChanged change = out.value();
      assertThat(out.key()).isEqualTo(change.getOrderId());
      assertHeaders(out.headers(), change.getMetadata(), change.getOrderId());
      actualStates
          .computeIfAbsent(change.getOrderId(), k -> new ArrayList<>())
          .add(describe(scenario, change));
    }
    Map<String, List<String>> expectedStates = new TreeMap<>();
    scenario.outcomes.forEach((order, outcome) -> expectedStates.put(order, outcome.states));
    assertThat(actualStates).isEqualTo(expectedStates);
    assertThat(states.stream().map(s -> s.value().getMetadata().getEventId()))
        .as("no status change written twice")
        .doesNotHaveDuplicates();
    assertThat(states)
        .allSatisfy(
            s ->
                assertThat(s.value().getHistory())
                    .extracting(step -> step.getStatus())
                    .last()
                    .isEqualTo(s.value().getStatus()));

    // saga.commands: per order, the exact set of commands, each once, with its headers.
    Map<String, List<String>> actualCommands = new TreeMap<>();
    List<Output<SpecificRecord>> commands = commands();
    for (Output<SpecificRecord> out : commands) {
      EventMetadata metadata = metadata(out.value());
      assertThat(out.key()).isEqualTo(metadata.getAggregateId());
      assertHeaders(out.headers(), metadata, out.key());
      actualCommands
          .computeIfAbsent(out.key(), k -> new ArrayList<>())
          .add(
              metadata.getEventType()
                  + "/"
                  + out.value().get(out.value().getSchema().getField("reason").pos())
                  + "<-"
                  + typeOf(scenario, metadata.getCausationId()));
    }
    actualCommands.values().forEach(Collections::sort);
    Map<String, List<String>> expectedCommands = new TreeMap<>();
    scenario.outcomes.forEach(
        (order, outcome) -> {
          if (!outcome.commands.isEmpty()) {
            expectedCommands.put(order, outcome.commands);
          }
        });
    assertThat(actualCommands).isEqualTo(expectedCommands);
    assertThat(commands.stream().map(c -> metadata(c.value()).getEventId()))
        .doesNotHaveDuplicates();

    // Unacknowledged compensations: one dead letter per saga, naming the command.
    List<Output<DeadLetter>> unacknowledged = deadLetters(Topics.SAGA_COMMANDS);
    assertThat(unacknowledged)
        .extracting(d -> d.value().getCorrelationId())
        .containsExactlyInAnyOrderElementsOf(ordersOf(scenario, Outcome.COMPENSATION_FAILED));
    assertThat(unacknowledged)
        .allSatisfy(
            d -> {
              assertThat(d.value().getErrorClass())
                  .isEqualTo(SagaFailureException.CompensationNotAcknowledged.class.getName());
              assertThat(d.value().getErrorCategory()).isEqualTo(ErrorCategory.PERMANENT);
              assertThat(d.key()).isEqualTo(d.value().getCorrelationId());
              assertThat(d.headers())
                  .containsEntry(EventHeaders.EVENT_ID, d.value().getEventId().toString())
                  .containsEntry(EventHeaders.CORRELATION_ID, d.key())
                  .containsEntry(
                      EventHeaders.TRACEPARENT, DeadLetterHeaders.trace(d.value()).traceparent());
              assertThat(d.value().getOriginalHeaders())
                  .extracting(
                      h ->
                          h.getKey()
                              + "="
                              + StandardCharsets.UTF_8.decode(h.getValue().duplicate()))
                  .contains(EventHeaders.EVENT_TYPE + "=ReleaseInventory");
            });
    assertThat(unacknowledged.stream().map(d -> d.value().getEventId().toString()))
        .isSubsetOf(
            commands.stream()
                .filter(c -> metadata(c.value()).getEventType().equals("ReleaseInventory"))
                .map(c -> metadata(c.value()).getEventId().toString())
                .toList());

    // Events of orders never placed: reported with their original bytes and provenance.
    List<Output<DeadLetter>> unknown = deadLetters(Topics.PAYMENT_EVENTS);
    assertThat(unknown).hasSize(UNKNOWN_ORDERS);
    for (int i = 0; i < UNKNOWN_ORDERS; i++) {
      Published sent = scenario.unknown.get(i);
      RecordMetadata where = run.unknownSent().get(i);
      DeadLetter letter =
          unknown.stream()
              .map(Output::value)
              .filter(d -> d.getEventId().equals(sent.metadata().getEventId()))
              .findFirst()
              .orElseThrow();
      assertThat(letter.getErrorClass())
          .isEqualTo(SagaFailureException.UnknownSaga.class.getName());
      assertThat(letter.getErrorCategory()).isEqualTo(ErrorCategory.PERMANENT);
      assertThat(letter.getCorrelationId()).isEqualTo(sent.metadata().getCorrelationId());
      assertThat(letter.getSourceTopic()).isEqualTo(Topics.PAYMENT_EVENTS.name());
      assertThat(letter.getSourcePartition()).isEqualTo(where.partition());
      assertThat(letter.getSourceOffset()).isEqualTo(where.offset());
      assertThat(bytes(letter.getOriginalValue()))
          .isEqualTo(serialize(Topics.PAYMENT_EVENTS, sent.value()));
      assertThat(bytes(letter.getOriginalKey())).isEqualTo(utf8(sent.key()));
      assertThat(letter.getOriginalHeaders())
          .anySatisfy(h -> assertThat(h.getKey()).isEqualTo(EventHeaders.TRACEPARENT));
    }

    // Bad records: the undecodable one is POISON, the foreign one PERMANENT, both in their DLQ.
    assertThat(deadLetters(Topics.ORDER_EVENTS))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.value().getErrorCategory()).isEqualTo(ErrorCategory.POISON);
              assertThat(d.value().getEventId().toString()).isEqualTo(MALFORMED_ID);
              assertThat(new String(bytes(d.value().getOriginalValue()), StandardCharsets.UTF_8))
                  .isEqualTo("{not avro}");
              assertThat(d.value().getOperatorUid())
                  .isEqualTo(SagaCorrelationJob.ORDERS.source().uid());
            });
    assertThat(deadLetters(Topics.SHIPMENT_EVENTS))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.value().getErrorCategory()).isEqualTo(ErrorCategory.PERMANENT);
              assertThat(d.value().getErrorMessage()).startsWith(SagaEventAdapter.NOT_A_SAGA_EVENT);
            });
    assertThat(deadLetters(Topics.INVENTORY_EVENTS)).isEmpty();
  }

  /** Correlation id, causation id and traceparent travel as headers too. */
  private static void assertHeaders(
      Map<String, String> headers, EventMetadata metadata, String orderId) {
    assertThat(headers)
        .containsEntry(EventHeaders.EVENT_ID, metadata.getEventId().toString())
        .containsEntry(EventHeaders.EVENT_TYPE, metadata.getEventType())
        .containsEntry(EventHeaders.CORRELATION_ID, orderId)
        .containsEntry(EventHeaders.TRACEPARENT, metadata.getTraceparent());
    assertThat(metadata.getTraceparent()).as("every output is traced").isNotNull();
    if (metadata.getCausationId() != null) {
      assertThat(headers).containsEntry(EventHeaders.CAUSATION_ID, metadata.getCausationId());
      // In the cause's trace (each test event's trace id is its event id), with a span of its own.
      assertThat(TraceContext.parse(metadata.getTraceparent()).traceId())
          .isEqualTo(metadata.getCausationId().replace("-", ""));
    } else {
      assertThat(headers).doesNotContainKey(EventHeaders.CAUSATION_ID);
    }
  }

  private void assertSagaMetrics(Scenario scenario, JobID job) {
    // Looked up by name: a task made of one operator registers some metrics (numBytesOut...) under
    // the same identifier at task and operator level, which getMetricsByIdentifiers cannot map.
    Map<String, Metric> metrics = new HashMap<>();
    for (String name :
        List.of(
            "sagasCompleted",
            "sagasCompensated",
            "sagasTimedOut",
            "sagasFailed",
            "sagasCompensationFailed",
            "unknownSagaEventsReported",
            "duplicateEvents",
            "sagaDurationMillis",
            "sagasInFlight")) {
      metrics.putAll(reporter.findMetrics(job, name));
    }
    long ended = scenario.outcomes.size();
    assertThat(count(metrics, "sagasCompleted")).isEqualTo(2L * PER_OUTCOME);
    assertThat(count(metrics, "sagasCompensated")).isEqualTo(2L * PER_OUTCOME);
    assertThat(count(metrics, "sagasTimedOut")).isEqualTo(PER_OUTCOME);
    assertThat(count(metrics, "sagasFailed")).isEqualTo(PER_OUTCOME);
    assertThat(count(metrics, "sagasCompensationFailed")).isEqualTo(PER_OUTCOME);
    assertThat(count(metrics, "unknownSagaEventsReported")).isEqualTo(UNKNOWN_ORDERS);
    assertThat(count(metrics, "duplicateEvents")).isEqualTo(scenario.duplicates);
    assertThat(
            matching(metrics, "sagaDurationMillis").stream()
                .mapToLong(m -> ((Histogram) m).getCount())
                .sum())
        .isEqualTo(ended);
    assertThat(
            matching(metrics, "sagasInFlight").stream()
                .mapToLong(m -> ((Number) ((Gauge<?>) m).getValue()).longValue())
                .sum())
        .as("every saga ended")
        .isZero();
    assertThat(metrics.keySet())
        .as("scoped to the saga operator, one per subtask")
        .filteredOn(k -> k.endsWith(".sagasCompleted"))
        .hasSize(2)
        .allSatisfy(k -> assertThat(k).contains(SagaCorrelationFunctionNames.SCOPE));
  }

  /** The operator's name as it appears in metric identifiers. */
  private static final class SagaCorrelationFunctionNames {
    static final String SCOPE = "Saga correlation";
  }

  private static long count(Map<String, Metric> metrics, String name) {
    return matching(metrics, name).stream().mapToLong(m -> ((Counter) m).getCount()).sum();
  }

  private static List<Metric> matching(Map<String, Metric> metrics, String name) {
    List<Metric> found =
        metrics.entrySet().stream()
            .filter(e -> e.getKey().endsWith("." + name))
            .map(Map.Entry::getValue)
            .toList();
    assertThat(found).as("metric %s among %s", name, metrics.keySet()).isNotEmpty();
    return found;
  }

  private static String describe(Scenario scenario, SagaStateChanged change) {
    return change.getStatus()
        + (change.getReason() == null ? "" : "/" + change.getReason())
        + "<-"
        + typeOf(
            scenario,
            change.getTriggeringEventId() == null
                ? null
                : change.getTriggeringEventId().toString());
  }

  private static String typeOf(Scenario scenario, String eventId) {
    return eventId == null
        ? DEADLINE_EVENT
        : scenario.typeOfEventId.getOrDefault(eventId, "unknown " + eventId);
  }

  private static List<String> ordersOf(Scenario scenario, Outcome outcome) {
    return scenario.outcomes.entrySet().stream()
        .filter(e -> e.getValue() == outcome)
        .map(Map.Entry::getKey)
        .collect(Collectors.toList());
  }

  private static EventMetadata metadata(SpecificRecord record) {
    return (EventMetadata) record.get(record.getSchema().getField("metadata").pos());
  }

  private static String id(Published record) {
    return record.metadata().getEventId().toString();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  /** Fails the job once, on the first status change after the test armed it. */
  private static final class FailOnceWhenArmed
      implements MapFunction<SagaStateChanged, SagaStateChanged> {
    private static final long serialVersionUID = 1L;

    @Override
    public SagaStateChanged map(SagaStateChanged value) {
      if (ARMED.get() && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("Injected failure after a completed checkpoint");
      }
      return value;
    }
  }
}
