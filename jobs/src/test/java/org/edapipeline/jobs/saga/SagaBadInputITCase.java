package org.edapipeline.jobs.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.inventory.InventoryReserved;
import org.edapipeline.events.inventory.ReservedLine;
import org.edapipeline.events.order.OrderLine;
import org.edapipeline.events.order.OrderPlaced;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.jobs.common.BadInputCorpus;
import org.edapipeline.jobs.common.BadInputCorpus.BadInput;
import org.edapipeline.jobs.common.BadInputCorpus.BadRecord;
import org.edapipeline.jobs.common.BadInputCorpus.Destination;
import org.edapipeline.jobs.common.BadInputCorpus.Expected;
import org.edapipeline.jobs.common.BadInputCorpus.Sent;
import org.edapipeline.jobs.common.DecodingDeserializationSchema;
import org.edapipeline.jobs.common.JobMetrics;
import org.edapipeline.jobs.common.Sourced;
import org.edapipeline.jobs.iot.IotTestData;
import org.edapipeline.jobs.saga.SagaOrderRecords.Published;
import org.edapipeline.jobs.saga.functions.SagaCorrelationFunction;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.edapipeline.jobs.saga.records.SagaEventAdapter;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.junit.jupiter.api.Test;

/**
 * The bad-input corpus ({@link BadInputCorpus}) against the saga job on a MiniCluster, fed to each
 * of its four input topics after the clean sagas have completed: every bad record must land in the
 * DLQ of its topic with its provenance (or be dropped as a duplicate, counted), the job must not
 * restart, and {@code saga.state} and {@code saga.commands} must equal those of a run without the
 * corpus. Then the same with one failure injected after a completed checkpoint, on the first corpus
 * record: every input record is accounted for exactly once.
 *
 * <p>Where the corpus classes do not apply: NaN readings and far-future timestamps (the saga has no
 * measured values, and its deadlines run on processing time: {@code occurredAt} is only recorded),
 * out-of-domain values on {@code shipment.events} (its events carry none).
 */
class SagaBadInputITCase extends SagaJobTestBase {

  private static final int SAGAS = 6;
  private static final Duration OUTPUTS = Duration.ofSeconds(90);

  private static final AtomicBoolean ARMED = new AtomicBoolean();
  private static final AtomicBoolean FAILED = new AtomicBoolean();

  /** The outputs of the run without the corpus, computed once. */
  private static Outputs baseline;

  /** What the job committed: each record as key and payload (no Kafka timestamps). */
  private record Outputs(
      Set<String> states, Set<String> commands, Map<String, List<DeadLetter>> deadLetters) {}

  private record Run(Outputs outputs, List<Sent> corpus, long duplicatesDropped) {}

  @Test
  void shouldDeadLetterEveryBadRecordWithoutARestartAndLeaveTheOutputsUnchanged() throws Exception {
    Outputs clean = baseline();
    Run run = run("saga-corpus", true, false);

    BadInputCorpus.assertDeadLettered(run.corpus(), run.outputs().deadLetters());
    assertThat(run.duplicatesDropped())
        .isEqualTo(BadInputCorpus.count(run.corpus(), Destination.DEDUPE));
    assertThat(run.outputs().states()).isEqualTo(clean.states());
    assertThat(run.outputs().commands()).isEqualTo(clean.commands());
    assertThat(run.corpus())
        .extracting(s -> s.record().kind())
        .as("every class of the corpus that applies to the saga")
        .containsAll(
            Set.of(BadInput.values()).stream()
                .filter(k -> k != BadInput.FUTURE_TIMESTAMP)
                .toList());
  }

  @Test
  void shouldAccountForEveryInputExactlyOnceWhenTheJobFailsDuringTheCorpus() throws Exception {
    Outputs clean = baseline();
    Run run = run("saga-corpus-failure", true, true);
    assertThat(FAILED).as("the injected failure happened").isTrue();

    // Every input record once: the clean ones in saga.state (as in the clean run), each corpus
    // record in its DLQ (by topic, partition and offset) or in the dedupe counter.
    assertThat(run.outputs().states()).isEqualTo(clean.states());
    assertThat(run.outputs().commands()).isEqualTo(clean.commands());
    BadInputCorpus.assertDeadLettered(run.corpus(), run.outputs().deadLetters());
    assertThat(run.duplicatesDropped())
        .isEqualTo(BadInputCorpus.count(run.corpus(), Destination.DEDUPE));
  }

  private Outputs baseline() throws Exception {
    if (baseline == null) {
      baseline = run("saga-clean", false, false).outputs();
      assertThat(baseline.deadLetters().values()).allSatisfy(d -> assertThat(d).isEmpty());
      freshTopics();
    }
    return baseline;
  }

  private Run run(String instance, boolean corpus, boolean injectFailure) throws Exception {
    ARMED.set(false);
    FAILED.set(false);
    List<Published> clean = cleanSagas();
    publish(clean);

    SagaJobConfig config = config(instance);
    StreamExecutionEnvironment env = environment(config, injectFailure ? 2 : 0);
    List<DataStream<Sourced<SagaEvent>>> inputs =
        new ArrayList<>(SagaCorrelationJob.fromKafka(env, config));
    DataStream<Sourced<SagaEvent>> orders = inputs.get(0);
    inputs.set(
        0,
        orders
            .map(new FailOnceWhenArmed(), orders.getType())
            .uid("test-failure")
            .name("Fail once when armed"));
    SagaCorrelationJob.writeToKafka(
        SagaCorrelationJob.buildTopology(config, inputs), config.common());
    JobClient job = env.executeAsync("saga-bad-input-" + instance);
    List<Sent> sent = List.of();
    long duplicates = 0;
    try {
      // Every clean saga completed and committed: a checkpoint has completed after them.
      await().atMost(OUTPUTS).until(() -> states().size() == SAGAS * 5);
      if (corpus) {
        ARMED.set(injectFailure); // the first corpus record fails the job once
        sent = BadInputCorpus.publish(KAFKA.clientConfig(), corpus());
        List<Sent> published = sent;
        // Polled until every letter is there; a letter missing or wrong is named when it fails.
        await()
            .atMost(OUTPUTS)
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> BadInputCorpus.assertDeadLettered(published, deadLetters()));
        // Redeliveries only now, after any restart: each is counted by one attempt only.
        List<Sent> redelivered = BadInputCorpus.publish(KAFKA.clientConfig(), duplicates(clean));
        sent = concat(sent, redelivered);
        long expectedDuplicates = BadInputCorpus.count(sent, Destination.DEDUPE);
        await().atMost(OUTPUTS).until(() -> duplicatesDropped(job), n -> n == expectedDuplicates);
        duplicates = duplicatesDropped(job);
      }
      assertThat(job.getJobStatus().get(30, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
      assertThat(JobMetrics.numRestarts(reporter, job.getJobID()))
          .as("restarts")
          .isEqualTo(injectFailure ? 1 : 0);
      assertThat(states()).as("no saga state from the corpus").hasSize(SAGAS * 5);
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
      await().atMost(OUTPUTS).until(() -> job.getJobStatus().get().isGloballyTerminalState());
    }
    return new Run(outputs(), sent, duplicates);
  }

  private long duplicatesDropped(JobClient job) {
    return JobMetrics.counter(
        reporter, job.getJobID(), SagaCorrelationFunction.NAME, "duplicateEvents");
  }

  private static Outputs outputs() {
    return new Outputs(
        states().stream()
            .map(o -> o.key() + " " + o.value())
            .collect(Collectors.toCollection(TreeSet::new)),
        commands().stream()
            .map(o -> o.key() + " " + o.value())
            .collect(Collectors.toCollection(TreeSet::new)),
        deadLetters());
  }

  private static Map<String, List<DeadLetter>> deadLetters() {
    Map<String, List<DeadLetter>> letters = new LinkedHashMap<>();
    for (SagaCorrelationJob.Input input : SagaCorrelationJob.INPUTS) {
      letters.put(
          Topics.dlqOf(input.topic()).name(),
          deadLetters(input.topic()).stream().map(Output::value).toList());
    }
    letters.put(
        Topics.dlqOf(Topics.SAGA_COMMANDS).name(),
        deadLetters(Topics.SAGA_COMMANDS).stream().map(Output::value).toList());
    return letters;
  }

  // --- input ---

  /** {@value #SAGAS} sagas that complete: six events each over the four topics. */
  private static List<Published> cleanSagas() {
    List<Published> events = new ArrayList<>();
    for (int i = 0; i < SAGAS; i++) {
      SagaOrderRecords o = new SagaOrderRecords("clean-" + i);
      events.addAll(
          List.of(
              o.placed(), o.reserved(), o.paid(), o.confirmed(), o.dispatched(), o.delivered()));
    }
    return events;
  }

  /** The corpus for each input topic, from valid records of that topic. */
  private static List<BadRecord> corpus() {
    SagaOrderRecords bad = new SagaOrderRecords("corpus-order");
    List<BadRecord> corpus = new ArrayList<>();
    for (Published valid : List.of(bad.placed(), bad.reserved(), bad.paid(), bad.dispatched())) {
      Topic<String, SpecificRecord> topic = valid.topic();
      byte[] bytes = serialize(topic, valid.value());
      corpus.addAll(BadInputCorpus.undecodable(topic, valid.key(), bytes));
      corpus.add(
          BadInputCorpus.of(
              BadInput.NULL_KEY,
              topic,
              null,
              bytes,
              valid.metadata().getEventId(),
              Expected.rejected(DecodingDeserializationSchema.MISSING_KEY)));
      corpus.add(
          BadInputCorpus.of(
              BadInput.OTHER_SCHEMA,
              topic,
              valid.key(),
              serialize(
                  topic, IotTestData.reading("corpus-" + topic.name(), "d1", 20, IotTestData.T0)),
              Expected.rejected(SagaEventAdapter.NOT_A_SAGA_EVENT)));
    }
    for (Published outOfDomain : outOfDomain(bad)) {
      corpus.add(
          BadInputCorpus.of(
              BadInput.OUT_OF_DOMAIN,
              outOfDomain.topic(),
              outOfDomain.key(),
              serialize(outOfDomain.topic(), outOfDomain.value()),
              outOfDomain.metadata().getEventId(),
              Expected.rejected(SagaEventAdapter.OUT_OF_DOMAIN)));
    }
    return corpus;
  }

  /** A negative quantity, a reservation of nothing, a negative payment. */
  private static List<Published> outOfDomain(SagaOrderRecords order) {
    OrderPlaced placed = (OrderPlaced) order.placed().value();
    InventoryReserved reserved = (InventoryReserved) order.reserved().value();
    PaymentProcessed paid = (PaymentProcessed) order.paid().value();
    return List.of(
        new Published(
            Topics.ORDER_EVENTS,
            order.orderId(),
            OrderPlaced.newBuilder(placed)
                .setLines(List.of(new OrderLine("sku-1", -2, 100L)))
                .build()),
        new Published(
            Topics.INVENTORY_EVENTS,
            order.reserved().key(),
            InventoryReserved.newBuilder(reserved)
                .setLines(List.of(new ReservedLine("sku-1", 0)))
                .build()),
        new Published(
            Topics.PAYMENT_EVENTS,
            order.paid().key(),
            PaymentProcessed.newBuilder(paid).setAmountMinor(-63_600L).build()));
  }

  /** One redelivery per input topic of a clean event already processed. */
  private static List<BadRecord> duplicates(List<Published> clean) {
    Map<Topic<?, ?>, Published> firstPerTopic = new HashMap<>();
    clean.forEach(p -> firstPerTopic.putIfAbsent(p.topic(), p));
    List<BadRecord> duplicates = new ArrayList<>();
    for (SagaCorrelationJob.Input input : SagaCorrelationJob.INPUTS) {
      Published original = firstPerTopic.get(input.topic());
      EventMetadata m = original.metadata();
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put(EventHeaders.EVENT_ID, m.getEventId().toString());
      headers.put(EventHeaders.EVENT_TYPE, m.getEventType());
      headers.put(EventHeaders.CORRELATION_ID, m.getCorrelationId());
      duplicates.add(
          BadInputCorpus.duplicate(
              original.topic(),
              original.key(),
              serialize(original.topic(), original.value()),
              headers,
              Expected.DEDUPED));
    }
    return duplicates;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Fails the job once, on the first record read after the test armed it. */
  private static final class FailOnceWhenArmed
      implements MapFunction<Sourced<SagaEvent>, Sourced<SagaEvent>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Sourced<SagaEvent> map(Sourced<SagaEvent> value) {
      if (ARMED.get() && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("Injected failure after a completed checkpoint");
      }
      return value;
    }
  }
}
