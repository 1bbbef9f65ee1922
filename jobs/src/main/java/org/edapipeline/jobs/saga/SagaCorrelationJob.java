package org.edapipeline.jobs.saga;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.edapipeline.jobs.common.DecodingDeserializationSchema;
import org.edapipeline.jobs.common.JobConfig;
import org.edapipeline.jobs.common.JobEnvironment;
import org.edapipeline.jobs.common.KafkaSinks;
import org.edapipeline.jobs.common.KafkaSources;
import org.edapipeline.jobs.common.KafkaSources.Decoded;
import org.edapipeline.jobs.common.NamedOperator;
import org.edapipeline.jobs.common.RecordDecoder;
import org.edapipeline.jobs.common.Sourced;
import org.edapipeline.jobs.common.TransactionTimeoutCheck;
import org.edapipeline.jobs.saga.functions.SagaCorrelationFunction;
import org.edapipeline.jobs.saga.records.SagaCommand;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.edapipeline.jobs.saga.records.SagaEventAdapter;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;

/**
 * The order fulfillment saga run by Flink: reads the events of the order, inventory, payment and
 * shipment services, correlates them by order id in {@link SagaCorrelationFunction}, and writes
 * every status change to {@code saga.state}, the compensation commands to {@code saga.commands} and
 * every record it cannot use to the dead-letter queue of the topic it came from, all through
 * exactly-once sinks. See {@code jobs/README.md}, "Saga correlation".
 *
 * <p>{@link #main} only wires Kafka; {@link #buildTopology} builds the graph between sources and
 * sinks, for tests to call with their own.
 */
public final class SagaCorrelationJob {

  /** The job's name: default consumer group and transactional-id prefix. */
  public static final String JOB_NAME = "saga-correlation";

  /**
   * One input topic and the constant uids of the three chained operators that read it: the Kafka
   * source (with the never-throwing decoder), the split of undecodable records, and the step that
   * attaches each event's Kafka record for dead letters.
   */
  public record Input(
      Topic<String, SpecificRecord> topic,
      NamedOperator source,
      NamedOperator split,
      NamedOperator events) {}

  // Every operator's constant uid (never change a released one: savepoints map state by it).
  public static final Input ORDERS =
      new Input(
          Topics.ORDER_EVENTS,
          new NamedOperator("saga-order-events-source", "Order events from Kafka"),
          new NamedOperator("saga-order-events-decoded", "Split undecodable order events"),
          new NamedOperator("saga-order-events", "Order saga events"));
  public static final Input INVENTORY =
      new Input(
          Topics.INVENTORY_EVENTS,
          new NamedOperator("saga-inventory-events-source", "Inventory events from Kafka"),
          new NamedOperator("saga-inventory-events-decoded", "Split undecodable inventory events"),
          new NamedOperator("saga-inventory-events", "Inventory saga events"));
  public static final Input PAYMENTS =
      new Input(
          Topics.PAYMENT_EVENTS,
          new NamedOperator("saga-payment-events-source", "Payment events from Kafka"),
          new NamedOperator("saga-payment-events-decoded", "Split undecodable payment events"),
          new NamedOperator("saga-payment-events", "Payment saga events"));
  public static final Input SHIPMENTS =
      new Input(
          Topics.SHIPMENT_EVENTS,
          new NamedOperator("saga-shipment-events-source", "Shipment events from Kafka"),
          new NamedOperator("saga-shipment-events-decoded", "Split undecodable shipment events"),
          new NamedOperator("saga-shipment-events", "Shipment saga events"));

  /** The four inputs, in a stable order. */
  public static final List<Input> INPUTS = List.of(ORDERS, INVENTORY, PAYMENTS, SHIPMENTS);

  public static final NamedOperator CORRELATION =
      new NamedOperator(SagaCorrelationFunction.UID, SagaCorrelationFunction.NAME);
  public static final NamedOperator STATE_SINK =
      new NamedOperator("saga-state-sink", "Saga state to Kafka");
  public static final NamedOperator COMMANDS_SINK =
      new NamedOperator("saga-commands-sink", "Saga commands to Kafka");
  public static final NamedOperator DLQ_METRICS =
      new NamedOperator("saga-dlq-metrics", "Count dead letters");
  public static final NamedOperator DLQ_SINK =
      new NamedOperator("saga-dlq-sink", "Dead letters to Kafka");

  /** Flink type of the keyed input: a POJO, never Kryo. */
  public static final TypeInformation<SagaEvent> EVENT_TYPE = TypeInformation.of(SagaEvent.class);

  private SagaCorrelationJob() {}

  /** What the job writes; each goes to its own exactly-once sink. */
  public record Outputs(
      DataStream<SagaStateChanged> states,
      DataStream<SagaCommand> commands,
      DataStream<DeadLetter> deadLetters) {}

  /**
   * Runs the job: {@code flink run -c org.edapipeline.jobs.saga.SagaCorrelationJob eda-jobs.jar
   * --…}.
   */
  public static void main(String[] args) throws Exception {
    SagaJobConfig config = SagaJobConfig.parse(args);
    TransactionTimeoutCheck.validate(config.common());
    StreamExecutionEnvironment env = JobEnvironment.create(config.common());
    writeToKafka(buildTopology(config, fromKafka(env, config)), config.common());
    env.execute(JOB_NAME);
  }

  /** How the four inputs' values are decoded, by the sources and by their retry stages. */
  static RecordDecoder<SagaEvent> decoder(JobConfig config) {
    return RecordDecoder.forRecordTypes(SagaEventAdapter::toSagaEvent, config);
  }

  /**
   * The decoded records of the four input topics, in the order of {@link #INPUTS}. No watermarks:
   * the saga's deadlines are processing-time timers (see the README for why).
   */
  public static List<DataStream<Sourced<SagaEvent>>> fromKafka(
      StreamExecutionEnvironment env, SagaJobConfig config) {
    List<DataStream<Sourced<SagaEvent>>> streams = new ArrayList<>(INPUTS.size());
    for (Input input : INPUTS) {
      DecodingDeserializationSchema<SagaEvent> schema =
          DecodingDeserializationSchema.of(
              decoder(config.common()), EVENT_TYPE, config.common(), input.source().uid());
      streams.add(
          input
              .source()
              .apply(
                  env.fromSource(
                      KafkaSources.source(config.common(), input.topic(), schema),
                      WatermarkStrategy.noWatermarks(),
                      input.source().name())));
    }
    return streams;
  }

  /**
   * The job's graph between its sources and its sinks.
   *
   * @param inputs decoded records of the four input topics, in the order of {@link #INPUTS}
   */
  public static Outputs buildTopology(
      SagaJobConfig config, List<DataStream<Sourced<SagaEvent>>> inputs) {
    if (inputs.size() != INPUTS.size()) {
      throw new IllegalArgumentException(
          "Expected one stream per input " + INPUTS + ", got " + inputs.size());
    }
    DataStream<SagaEvent> events = null;
    DataStream<DeadLetter> undecodable = null;
    for (int i = 0; i < INPUTS.size(); i++) {
      Input input = INPUTS.get(i);
      // Records whose decoding failed transiently (registry unreachable) are retried with backoff.
      Decoded<SagaEvent> decoded =
          KafkaSources.split(
              inputs.get(i), input.split(), decoder(config.common()), config.common());
      // Mapped per branch, so the main branch's map stays chained to its source.
      DataStream<SagaEvent> withOrigin =
          decoded.map(
              sourced -> sourced.event.withOrigin(sourced.origin), EVENT_TYPE, input.events());
      events = events == null ? withOrigin : events.union(withOrigin);
      undecodable =
          undecodable == null ? decoded.deadLetters() : undecodable.union(decoded.deadLetters());
    }

    SingleOutputStreamOperator<SagaStateChanged> states =
        CORRELATION.apply(
            events
                .keyBy(event -> event.orderId, Types.STRING)
                .process(
                    new SagaCorrelationFunction(
                        config.settings(),
                        config.dedupeTtl(),
                        config.common().jobName(),
                        config.tracing()),
                    new AvroTypeInfo<>(SagaStateChanged.class)));

    return new Outputs(
        states,
        states.getSideOutput(SagaCorrelationFunction.COMMANDS),
        undecodable.union(states.getSideOutput(SagaCorrelationFunction.DEAD_LETTERS)));
  }

  /** Sends every output to its topic through an exactly-once sink. */
  public static void writeToKafka(Outputs outputs, JobConfig config) {
    STATE_SINK.apply(
        outputs
            .states()
            .sinkTo(
                KafkaSinks.exactlyOnce(
                    config, "state", Topics.SAGA_STATE, SagaStateChanged::getOrderId)));
    COMMANDS_SINK.apply(
        outputs
            .commands()
            .sinkTo(
                KafkaSinks.<SagaCommand, SpecificRecord>exactlyOnce(
                    config,
                    "commands",
                    Topics.SAGA_COMMANDS,
                    command -> command.orderId,
                    SagaCommand::record)));
    KafkaSinks.writeDeadLetters(outputs.deadLetters(), config, DLQ_METRICS, DLQ_SINK);
  }
}
