package org.edapipeline.bench.kafka.saga;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.edapipeline.outputs.SagaStateChanged;

/**
 * The order saga as a Kafka Streams topology:
 *
 * <pre>
 * order/inventory/payment/shipment.events (Avro, keyed by aggregate id)
 *   -> to saga event, key = order id        ({@link ToSagaEvent})
 *   -> repartition by order id              (compact {@link SagaSerdes#events()} values)
 *   -> saga processor: state store + wake-up store + wall-clock punctuator ({@link SagaProcessor})
 *   -> SagaStateChanged -> saga.state ; commands -> saga.commands
 * </pre>
 *
 * Both stores are persistent (RocksDB), changelogged and cached, as the DSL's stores are by
 * default.
 */
public final class SagaStreamsTopology {

  static final String SOURCE = "saga-events-source";
  static final String REPARTITION = "saga-events-by-order";

  private SagaStreamsTopology() {}

  /**
   * Builds the topology.
   *
   * @param settings topics
   * @param deadlines deadlines and retry budget
   * @param events serde reading the input records into their generated classes
   * @param states serde of {@code SagaStateChanged} (subject {@code <topic>-value})
   * @param commands serde of the commands (subject {@code <topic>-<record>})
   * @param notSagaEvents counts input records that are not saga events
   * @param unreported counts what our job would dead-letter
   */
  public static Topology build(
      SagaSettings settings,
      SagaDeadlines deadlines,
      Serde<SpecificRecord> events,
      Serde<SagaStateChanged> states,
      Serde<SpecificRecord> commands,
      AtomicLong notSagaEvents,
      AtomicLong unreported) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SagaProcessor.SAGAS),
                Serdes.String(),
                SagaSerdes.states())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SagaProcessor.WAKE_UPS),
                Serdes.Bytes(),
                Serdes.String())
            .withCachingEnabled());
    SagaMachine machine = new SagaMachine(deadlines);
    builder.stream(settings.inputTopics(), Consumed.with(Serdes.String(), events).withName(SOURCE))
        .process(() -> new ToSagaEvent(notSagaEvents), Named.as("to-saga-event"))
        .repartition(Repartitioned.with(Serdes.String(), SagaSerdes.events()).withName(REPARTITION))
        .process(
            () -> new SagaProcessor(machine, unreported),
            Named.as("saga"),
            SagaProcessor.SAGAS,
            SagaProcessor.WAKE_UPS)
        .split(Named.as("saga-output-"))
        .branch(
            (orderId, output) -> output instanceof SagaStateChanged,
            Branched.withConsumer(
                changes ->
                    changes
                        .mapValues(output -> (SagaStateChanged) output, Named.as("as-state"))
                        .to(
                            settings.stateTopic(),
                            Produced.with(Serdes.String(), states).withName("saga-state-sink")),
                "state"))
        .defaultBranch(
            Branched.withConsumer(
                cmds ->
                    cmds.to(
                        settings.commandsTopic(),
                        Produced.with(Serdes.String(), commands).withName("saga-commands-sink")),
                "commands"));
    return builder.build();
  }
}
