package org.edapipeline.bench.harness.saga;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.bench.harness.BenchContext;
import org.edapipeline.bench.harness.Completion;
import org.edapipeline.bench.harness.ContenderDef;
import org.edapipeline.bench.harness.ContenderRun;
import org.edapipeline.bench.harness.InputLoader;
import org.edapipeline.bench.harness.JvmOptions;
import org.edapipeline.bench.harness.RunResult;
import org.edapipeline.bench.harness.Suite;
import org.edapipeline.bench.harness.TopicAdmin;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireDeserializer;

/**
 * Saga correlation: our saga job against a Kafka Streams Processor API implementation, on the same
 * {@link SagaDataSet} across {@code order.events}, {@code inventory.events}, {@code payment.events}
 * and {@code shipment.events} (4 partitions each), loaded once.
 *
 * <p>Completion: every order id seen on {@code saga.state} (read_committed) with the terminal
 * status the data set gives it (COMPLETED, or COMPENSATED after a failed payment). A terminal
 * status other than the expected one is counted in the run's {@code saga.wrong.terminal} figure
 * (and the run then does not complete: it times out, which the report shows as a failure).
 */
public final class SagaSuite implements Suite {

  public static final int QUICK_ORDERS = 5_000;
  public static final int FULL_ORDERS = 20_000;

  private static final String OURS = "org.edapipeline.bench.flink.SagaJobContender";
  private static final String STREAMS = "org.edapipeline.bench.kafka.SagaStreamsContender";

  private final Integer ordersOverride;
  private final Duration checkpointInterval;
  private final List<ContenderDef> contenders;
  private SagaDataSet data;

  /**
   * @param orders sagas, or null for the form's default
   * @param checkpointInterval our checkpoint interval, also Kafka Streams' commit interval
   */
  public SagaSuite(Integer orders, Duration checkpointInterval) {
    this.ordersOverride = orders;
    this.checkpointInterval = checkpointInterval;
    String interval = String.valueOf(checkpointInterval.toMillis());
    this.contenders =
        List.of(
            new ContenderDef(
                "ours-rocksdb-eo",
                ContenderDef.FLINK_MODULE,
                OURS,
                true,
                Map.of(
                    ContenderSpec.STATE_BACKEND, "rocksdb", ContenderSpec.DELIVERY, "exactly-once"),
                "our saga job (`SagaCorrelationJob` topology), RocksDB, exactly-once sinks,"
                    + " checkpoint every "
                    + interval
                    + " ms"),
            new ContenderDef(
                "kstreams-eos",
                ContenderDef.KAFKA_MODULE,
                STREAMS,
                false,
                Map.of(ContenderSpec.COMMIT_INTERVAL_MS, interval),
                "Kafka Streams Processor API with a state store and wall-clock punctuators for the"
                    + " deadlines, `exactly_once_v2`, `commit.interval.ms` "
                    + interval
                    + " ms,"
                    + " the same status changes and commands"));
  }

  @Override
  public String id() {
    return "saga";
  }

  @Override
  public String title() {
    return "Saga correlation";
  }

  @Override
  public List<String> contenders() {
    return contenders.stream().map(ContenderDef::id).toList();
  }

  @Override
  public List<String> describe() {
    return contenders.stream().map(ContenderDef::description).toList();
  }

  static List<Topic<?, ?>> inputTopics() {
    return List.of(
        Topics.ORDER_EVENTS,
        Topics.INVENTORY_EVENTS,
        Topics.PAYMENT_EVENTS,
        Topics.SHIPMENT_EVENTS);
  }

  static List<Topic<?, ?>> outputTopics() {
    return List.of(
        Topics.SAGA_STATE,
        Topics.SAGA_COMMANDS,
        Topics.dlqOf(Topics.ORDER_EVENTS),
        Topics.dlqOf(Topics.INVENTORY_EVENTS),
        Topics.dlqOf(Topics.PAYMENT_EVENTS),
        Topics.dlqOf(Topics.SHIPMENT_EVENTS),
        Topics.dlqOf(Topics.SAGA_COMMANDS));
  }

  @Override
  public void prepare(BenchContext context) throws Exception {
    int orders =
        ordersOverride != null ? ordersOverride : context.quick() ? QUICK_ORDERS : FULL_ORDERS;
    data = new SagaDataSet(orders, Instant.now().minus(Duration.ofHours(1)));
    TopicAdmin.recreate(context.bootstrapServers(), InputLoader.newTopics(inputTopics(), 4));
    TopicAdmin.recreate(context.bootstrapServers(), InputLoader.newTopics(outputTopics(), 4));
    try (InputLoader loader =
        new InputLoader(context.bootstrapServers(), context.schemaRegistryUrl())) {
      for (int i = 0; i < orders; i++) {
        for (SagaDataSet.Event e : data.saga(i)) {
          loader.send(e.topic(), null, e.key(), e.value(), e.metadata());
        }
      }
    }
  }

  @Override
  public RunResult run(BenchContext context, String contender, int pair) throws Exception {
    ContenderDef def =
        contenders.stream()
            .filter(c -> c.id().equals(contender))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("saga: no contender " + contender));
    TopicAdmin.recreate(context.bootstrapServers(), InputLoader.newTopics(outputTopics(), 4));
    var runDir = context.runDir(id(), contender, pair);
    Map<String, String> spec = new LinkedHashMap<>();
    spec.put(ContenderSpec.CONTENDER, contender);
    spec.put(ContenderSpec.RUN_ID, "saga-" + contender + "-" + pair + "-" + System.nanoTime());
    spec.put(ContenderSpec.WORK_DIR, runDir.toString());
    spec.put(ContenderSpec.BOOTSTRAP_SERVERS, context.bootstrapServers());
    spec.put(ContenderSpec.SCHEMA_REGISTRY_URL, context.schemaRegistryUrl());
    spec.put(
        ContenderSpec.INPUT_TOPICS,
        String.join(",", inputTopics().stream().map(Topic::name).toList()));
    spec.put(
        ContenderSpec.OUTPUT_TOPICS, Topics.SAGA_STATE.name() + "," + Topics.SAGA_COMMANDS.name());
    spec.put(ContenderSpec.PARTITIONS, "4");
    spec.put(ContenderSpec.CHECKPOINT_INTERVAL_MS, String.valueOf(checkpointInterval.toMillis()));
    spec.putAll(def.spec());
    List<String> jvm =
        def.flink() ? JvmOptions.flink(context, runDir) : JvmOptions.plain(context, runDir);
    TerminalStatuses terminal = new TerminalStatuses(context.schemaRegistryUrl());
    RunResult result =
        new ContenderRun(
                Duration.ofMinutes(3),
                Duration.ofMinutes(5).plus(Duration.ofMillis(data.events() * 2)))
            .measure(
                context,
                id(),
                pair,
                def.module(),
                def.mainClass(),
                jvm,
                ContenderSpec.of(spec),
                Completion.distinctTerminalKeys(data.orders(), terminal::expectedTerminalKey),
                data.events());
    Map<String, Double> extra = new HashMap<>(result.extra());
    extra.put("saga.wrong.terminal", (double) terminal.wrong);
    return new RunResult(
        result.suite(),
        result.contender(),
        result.pair(),
        result.events(),
        result.cpu(),
        result.elapsed(),
        result.latency(),
        extra);
  }

  /** Decides, per {@code saga.state} record, whether it is its order's expected terminal status. */
  private static final class TerminalStatuses {
    private final AvroWireDeserializer<SagaStateChanged> decoder;
    private long wrong;

    TerminalStatuses(String registryUrl) {
      decoder =
          AvroWireDeserializer.forSpecific(
              new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(registryUrl).build()),
              SagaStateChanged.class);
    }

    String expectedTerminalKey(ConsumerRecord<byte[], byte[]> record) {
      if (!Topics.SAGA_STATE.name().equals(record.topic()) || record.value() == null) {
        return null;
      }
      SagaStateChanged change = decoder.decode(record.value());
      SagaStatus status = change.getStatus();
      if (status != SagaStatus.COMPLETED
          && status != SagaStatus.COMPENSATED
          && status != SagaStatus.FAILED
          && status != SagaStatus.COMPENSATION_FAILED) {
        return null;
      }
      String orderId = change.getOrderId();
      int index = Integer.parseInt(orderId.substring(orderId.lastIndexOf('-') + 1));
      if (status != SagaDataSet.expectedStatus(index)) {
        wrong++;
        return null;
      }
      return new String(record.key(), StandardCharsets.UTF_8);
    }
  }
}
