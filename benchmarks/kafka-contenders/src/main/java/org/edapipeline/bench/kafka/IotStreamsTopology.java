package org.edapipeline.bench.kafka;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.Suppressed.BufferConfig;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.WindowStore;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.outputs.WindowKind;

/**
 * The IoT aggregation as a Kafka Streams DSL topology: readings keyed by (device, sensor), windowed
 * count/min/max/sum (mean derived) in RocksDB window stores, final results only, written as our
 * job's {@link WindowAggregate}.
 *
 * <p>Final results come from {@code suppress(untilWindowCloses(unbounded()))}, Kafka Streams'
 * classic operator for them, not from {@code EmitStrategy.onWindowClose()}: the latter looks for
 * closed windows while processing a record, at most once per {@code
 * emit.interval.ms.kstreams.windowed.aggregation} (1 s) of wall-clock time, so once the input is
 * consumed (a pre-loaded input is consumed within that second of its last records) the last windows
 * are never emitted, although stream time passed them. Lowering that interval to 0 would make it
 * scan the window store on every record. Suppression judges window closing by the stream time of
 * the updates it receives, from an in-memory buffer (changelogged).
 *
 * <pre>
 * iot.readings (Avro, event time = measuredAt)
 *   -> map to key (device, sensor), value (value, unit)
 *   -> repartition by device            (the repartition groupBy makes; see SensorKeys#byDevice)
 *   -> groupByKey
 *      -> tumbling windows, grace = bound, suppress until closed -> WindowAggregate TUMBLING
 *      -> hopping windows (sliding only), the same                -> WindowAggregate SLIDING
 *   -> iot.aggregates
 * </pre>
 */
public final class IotStreamsTopology {

  static final String SOURCE = "readings-source";
  static final String REPARTITION = "readings-by-sensor";
  static final String TUMBLING_STORE = "tumbling-stats";
  static final String HOPPING_STORE = "hopping-stats";

  private IotStreamsTopology() {}

  /**
   * Builds the topology.
   *
   * @param settings windows, bound and topics
   * @param readings serde of the input values
   * @param aggregates serde of the output values
   */
  public static Topology build(
      IotSettings settings,
      Serde<SensorReadingRecorded> readings,
      Serde<WindowAggregate> aggregates) {
    StreamsBuilder builder = new StreamsBuilder();
    KGroupedStream<String, SensorValue> bySensor =
        builder.stream(
                settings.readingsTopic(),
                Consumed.with(Serdes.String(), readings)
                    .withTimestampExtractor(new MeasuredAt())
                    .withName(SOURCE))
            .filter((deviceId, reading) -> reading != null, Named.as("drop-tombstones"))
            .map(
                (deviceId, r) ->
                    KeyValue.pair(
                        SensorKeys.of(r.getDeviceId(), r.getSensorType()),
                        new SensorValue(r.getValue(), r.getUnit())),
                Named.as("key-by-sensor"))
            .repartition(
                Repartitioned.with(Serdes.String(), SensorValue.serde())
                    .withName(REPARTITION)
                    .withStreamPartitioner(SensorKeys.byDevice()))
            .groupByKey();
    aggregate(
        bySensor,
        TimeWindows.ofSizeAndGrace(settings.windowSize(), settings.outOfOrderness()),
        TUMBLING_STORE,
        WindowKind.TUMBLING,
        settings.aggregatesTopic(),
        aggregates);
    if (settings.sliding()) {
      aggregate(
          bySensor,
          TimeWindows.ofSizeAndGrace(settings.hopSize(), settings.outOfOrderness())
              .advanceBy(settings.hopAdvance()),
          HOPPING_STORE,
          WindowKind.SLIDING,
          settings.aggregatesTopic(),
          aggregates);
    }
    return builder.build();
  }

  private static void aggregate(
      KGroupedStream<String, SensorValue> bySensor,
      TimeWindows windows,
      String store,
      WindowKind kind,
      String topic,
      Serde<WindowAggregate> aggregates) {
    bySensor
        .windowedBy(windows)
        .aggregate(
            ReadingStats::new,
            (key, reading, stats) -> stats.add(reading.value(), reading.unit()),
            Named.as(store),
            Materialized.<String, ReadingStats, WindowStore<Bytes, byte[]>>as(store)
                .withKeySerde(Serdes.String())
                .withValueSerde(ReadingStats.serde())
                .withRetention(retention(windows)))
        .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()).withName(store + "-final"))
        .toStream(Named.as(store + "-closed"))
        .map(
            (Windowed<String> window, ReadingStats stats) -> {
              String deviceId = SensorKeys.deviceId(window.key());
              return KeyValue.pair(
                  deviceId,
                  WindowAggregates.of(
                      kind,
                      deviceId,
                      SensorKeys.sensorType(window.key()),
                      window.window().start(),
                      window.window().end(),
                      stats));
            },
            Named.as(store + "-to-aggregate"))
        .to(topic, Produced.with(Serdes.String(), aggregates).withName(store + "-sink"));
  }

  /** Event time is the reading's {@code measuredAt}, as in our job. */
  static final class MeasuredAt implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
      return record.value() instanceof SensorReadingRecorded reading
          ? reading.getMeasuredAt().toEpochMilli()
          : partitionTime;
    }
  }

  /** A window store keeps a window until it closed: size plus grace, the least it may keep. */
  static Duration retention(TimeWindows windows) {
    return Duration.ofMillis(windows.size() + windows.gracePeriodMs());
  }
}
