package org.edapipeline.jobs.iot;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.util.OutputTag;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.jobs.common.DeadLetterSplitter;
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
import org.edapipeline.jobs.iot.functions.DeviceUpdateTimestamps;
import org.edapipeline.jobs.iot.functions.IotOutputs;
import org.edapipeline.jobs.iot.functions.LateReadingCounter;
import org.edapipeline.jobs.iot.functions.MeasuredAtTimestamps;
import org.edapipeline.jobs.iot.functions.ReadingTimestamps;
import org.edapipeline.jobs.iot.functions.ReadingValidationFunction;
import org.edapipeline.jobs.iot.functions.SilentDeviceFunction;
import org.edapipeline.jobs.iot.functions.SlidingWindowFunction;
import org.edapipeline.jobs.iot.functions.ThresholdAlertFunction;
import org.edapipeline.jobs.iot.functions.TumblingWindowOperator;
import org.edapipeline.jobs.iot.records.DeviceHeartbeat;
import org.edapipeline.jobs.iot.records.DeviceUpdate;
import org.edapipeline.jobs.iot.records.ValidReading;
import org.edapipeline.jobs.iot.records.WindowSlice;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.IotAlert;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.schemas.Topics;

/**
 * Real-time aggregation of IoT sensor readings: per device and sensor, event-time tumbling windows
 * (count, min, max, mean, sum, p95 from a t-digest) with corrections for late readings, sliding
 * windows merged from the tumbling slices, threshold and silence alerts, and every rejected record
 * in the dead-letter queue. See {@code jobs/README.md}.
 *
 * <p>{@link #main} only wires Kafka; {@link #buildTopology} builds the graph between sources and
 * sinks, for tests to call with their own.
 */
public final class IotAggregationJob {

  /** The job's name: default consumer group and transactional-id prefix. */
  public static final String JOB_NAME = "iot-aggregation";

  // Every operator's constant uid (never change a released one: savepoints map state by it).
  public static final NamedOperator READINGS_SOURCE =
      new NamedOperator("iot-readings-source", "Readings from Kafka");
  public static final NamedOperator READINGS_SPLIT =
      new NamedOperator("iot-readings-decoded", "Split undecodable readings");
  public static final NamedOperator DEVICES_SOURCE =
      new NamedOperator("iot-devices-source", "Device registry from Kafka");
  public static final NamedOperator DEVICES_SPLIT =
      new NamedOperator("iot-devices-decoded", "Split undecodable device events");
  public static final NamedOperator DEVICE_UPDATES =
      new NamedOperator("iot-device-updates", "Device updates");
  public static final NamedOperator VALIDATE =
      new NamedOperator("iot-validate-readings", "Dedupe, join device registry, validate");
  public static final NamedOperator EVENT_TIME =
      new NamedOperator("iot-measured-at", "Event time = measuredAt");
  public static final NamedOperator TUMBLING =
      new NamedOperator("iot-tumbling-windows", "Tumbling window statistics");
  public static final NamedOperator TUMBLING_OUTPUT =
      new NamedOperator("iot-tumbling-aggregates", "Tumbling aggregates");
  public static final NamedOperator SLIDING =
      new NamedOperator("iot-sliding-windows", "Sliding windows from slices");
  public static final NamedOperator LATE =
      new NamedOperator("iot-late-readings", "Count too-late readings");
  public static final NamedOperator THRESHOLD_ALERTS =
      new NamedOperator("iot-threshold-alerts", "Threshold alerts");
  public static final NamedOperator HEARTBEATS =
      new NamedOperator("iot-device-heartbeats", "Device heartbeats");
  public static final NamedOperator SILENCE_ALERTS =
      new NamedOperator("iot-silence-alerts", "Silent-device alerts");
  public static final NamedOperator AGGREGATES_SINK =
      new NamedOperator("iot-aggregates-sink", "Aggregates to Kafka");
  public static final NamedOperator ALERTS_SINK =
      new NamedOperator("iot-alerts-sink", "Alerts to Kafka");
  public static final NamedOperator LATE_SINK =
      new NamedOperator("iot-late-sink", "Late readings to Kafka");
  public static final NamedOperator DLQ_METRICS =
      new NamedOperator("iot-dlq-metrics", "Count dead letters");
  public static final NamedOperator DLQ_SINK =
      new NamedOperator("iot-dlq-sink", "Dead letters to Kafka");

  /** Readings after their window's allowed lateness. */
  static final OutputTag<ValidReading> TOO_LATE =
      new OutputTag<>("too-late-readings", TypeInformation.of(ValidReading.class));

  static final TypeInformation<SensorReadingRecorded> READING_TYPE =
      new AvroTypeInfo<>(SensorReadingRecorded.class);
  static final TypeInformation<DeviceUpdate> DEVICE_UPDATE_TYPE =
      TypeInformation.of(DeviceUpdate.class);
  private static final TypeInformation<ValidReading> VALID_TYPE =
      TypeInformation.of(ValidReading.class);
  private static final TypeInformation<DeviceHeartbeat> HEARTBEAT_TYPE =
      TypeInformation.of(DeviceHeartbeat.class);
  private static final TypeInformation<WindowSlice> SLICE_TYPE =
      TypeInformation.of(WindowSlice.class);
  private static final TypeInformation<Tuple2<String, String>> SENSOR_KEY_TYPE =
      Types.TUPLE(Types.STRING, Types.STRING);

  private static final KeySelector<ValidReading, Tuple2<String, String>> READING_SENSOR =
      reading -> Tuple2.of(reading.deviceId, reading.sensorType);
  private static final KeySelector<WindowSlice, Tuple2<String, String>> SLICE_SENSOR =
      slice -> Tuple2.of(slice.deviceId, slice.sensorType);

  private IotAggregationJob() {}

  /** What the job writes; each goes to its own exactly-once sink. */
  public record Outputs(
      DataStream<WindowAggregate> aggregates,
      DataStream<IotAlert> alerts,
      DataStream<SensorReadingRecorded> late,
      DataStream<DeadLetter> deadLetters) {}

  /**
   * Runs the job: {@code flink run -c org.edapipeline.jobs.iot.IotAggregationJob eda-jobs.jar --…}.
   */
  public static void main(String[] args) throws Exception {
    IotJobConfig config = IotJobConfig.parse(args);
    TransactionTimeoutCheck.validate(config.common());
    StreamExecutionEnvironment env = JobEnvironment.create(config.common());
    Outputs outputs =
        buildTopology(config, readingsFromKafka(env, config), devicesFromKafka(env, config));
    writeToKafka(outputs, config.common());
    env.execute(JOB_NAME);
  }

  /** The decoded readings of {@code iot.readings}, with event time and watermarks per partition. */
  public static DataStream<Sourced<SensorReadingRecorded>> readingsFromKafka(
      StreamExecutionEnvironment env, IotJobConfig config) {
    DecodingDeserializationSchema<SensorReadingRecorded> schema =
        DecodingDeserializationSchema.of(
            readingDecoder(config.common()), READING_TYPE, config.common(), READINGS_SOURCE.uid());
    return READINGS_SOURCE.apply(
        env.fromSource(
            KafkaSources.source(config.common(), Topics.IOT_READINGS, schema),
            ReadingTimestamps.watermarks(
                config.outOfOrderness(), config.idleness(), config.maxFutureSkew()),
            READINGS_SOURCE.name()));
  }

  /** How {@code iot.readings} values are decoded, by the source and by its retry stage. */
  static RecordDecoder<SensorReadingRecorded> readingDecoder(JobConfig config) {
    return RecordDecoder.forRecord(SensorReadingRecorded.class, config);
  }

  /** How {@code iot.devices} values are decoded, by the source and by its retry stage. */
  static RecordDecoder<DeviceUpdate> deviceDecoder(JobConfig config) {
    return RecordDecoder.forRecordTypes(DeviceUpdate::of, config);
  }

  /** The decoded device registry of the compacted {@code iot.devices}, from its beginning. */
  public static DataStream<Sourced<DeviceUpdate>> devicesFromKafka(
      StreamExecutionEnvironment env, IotJobConfig config) {
    DecodingDeserializationSchema<DeviceUpdate> schema =
        DecodingDeserializationSchema.of(
            deviceDecoder(config.common()),
            DEVICE_UPDATE_TYPE,
            config.common(),
            DEVICES_SOURCE.uid());
    return DEVICES_SOURCE.apply(
        env.fromSource(
            KafkaSources.source(config.common(), Topics.IOT_DEVICES, schema),
            DeviceUpdateTimestamps.watermarks(config.idleness()),
            DEVICES_SOURCE.name()));
  }

  /**
   * The job's graph between its sources and its sinks.
   *
   * @param readings decoded readings with event time = measuredAt ({@link ReadingTimestamps})
   * @param devices decoded device updates with watermarks ({@link DeviceUpdateTimestamps})
   */
  public static Outputs buildTopology(
      IotJobConfig config,
      DataStream<Sourced<SensorReadingRecorded>> readings,
      DataStream<Sourced<DeviceUpdate>> devices) {
    // Records whose decoding failed transiently (registry unreachable) are retried with backoff.
    Decoded<SensorReadingRecorded> decodedReadings =
        KafkaSources.split(
            readings, READINGS_SPLIT, readingDecoder(config.common()), config.common());
    Decoded<DeviceUpdate> decodedDevices =
        KafkaSources.split(devices, DEVICES_SPLIT, deviceDecoder(config.common()), config.common());

    BroadcastStream<DeviceUpdate> registry =
        // Mapped per branch, so the main branch's map stays chained to its source.
        decodedDevices
            .map(update -> update.event, DEVICE_UPDATE_TYPE, DEVICE_UPDATES)
            .broadcast(ReadingValidationFunction.DEVICES, ReadingValidationFunction.DECOMMISSIONED);

    SingleOutputStreamOperator<ValidReading> validated =
        VALIDATE.apply(
            decodedReadings
                .events()
                .keyBy(record -> record.event.getDeviceId(), Types.STRING)
                .connect(registry)
                .process(
                    new ReadingValidationFunction(
                        config.common().jobName(),
                        VALIDATE.uid(),
                        config.common().dedupeTtl(),
                        config.maxFutureSkew(),
                        config.registrationGrace(),
                        readings.getType()),
                    VALID_TYPE));
    DataStream<ValidReading> valid =
        EVENT_TIME.apply(
            validated.transform(EVENT_TIME.name(), VALID_TYPE, new MeasuredAtTimestamps()));

    SingleOutputStreamOperator<WindowSlice> tumbling = tumblingWindows(valid, config);

    DataStream<SensorReadingRecorded> late =
        LATE.apply(
            tumbling.getSideOutput(TOO_LATE).process(new LateReadingCounter(), READING_TYPE));

    TypeInformation<WindowAggregate> aggregateType = new AvroTypeInfo<>(WindowAggregate.class);
    DataStream<WindowAggregate> tumblingAggregates =
        TUMBLING_OUTPUT.apply(tumbling.map(IotOutputs::tumbling, aggregateType));

    TypeInformation<IotAlert> alertType = new AvroTypeInfo<>(IotAlert.class);
    DataStream<IotAlert> thresholdAlerts =
        THRESHOLD_ALERTS.apply(
            tumbling
                .keyBy(SLICE_SENSOR, SENSOR_KEY_TYPE)
                .process(
                    new ThresholdAlertFunction(
                        config.alertConsecutiveWindows(), config.windowSize()),
                    alertType));
    // Silence detection needs only who spoke when: a small heartbeat crosses the shuffle.
    DataStream<DeviceHeartbeat> heartbeats =
        HEARTBEATS.apply(valid.map(DeviceHeartbeat::of, HEARTBEAT_TYPE));
    DataStream<IotAlert> silenceAlerts =
        SILENCE_ALERTS.apply(
            heartbeats
                .keyBy(heartbeat -> heartbeat.deviceId, Types.STRING)
                .connect(
                    validated
                        .getSideOutput(ReadingValidationFunction.RETIRED_DEVICES)
                        .keyBy(deviceId -> deviceId, Types.STRING))
                .process(new SilentDeviceFunction(config.silenceIntervals()), alertType));

    DataStream<DeadLetter> deadLetters =
        decodedReadings
            .deadLetters()
            .union(
                decodedDevices.deadLetters(),
                validated.getSideOutput(DeadLetterSplitter.DEAD_LETTERS));

    DataStream<WindowAggregate> aggregates =
        config.slidingEnabled()
            ? tumblingAggregates.union(slidingWindows(tumbling, config))
            : tumblingAggregates;
    return new Outputs(aggregates, thresholdAlerts.union(silenceAlerts), late, deadLetters);
  }

  /**
   * Per device and sensor, tumbling windows of {@code iot.window.size} pre-aggregated as readings
   * arrive, fired again with the next revision for each late reading within the allowed lateness;
   * later readings go to the {@link #TOO_LATE} side output, judged from checkpointed state so that
   * a restored job judges them as the original run did ({@link TumblingWindowOperator}).
   */
  static SingleOutputStreamOperator<WindowSlice> tumblingWindows(
      DataStream<ValidReading> valid, IotJobConfig config) {
    return TUMBLING.apply(
        valid
            .keyBy(READING_SENSOR, SENSOR_KEY_TYPE)
            .transform(
                TUMBLING.name(),
                SLICE_TYPE,
                new TumblingWindowOperator(
                    config.windowSize(), config.allowedLateness(), TOO_LATE)));
  }

  /**
   * Sliding windows merged from the tumbling slices they cover; each slice is one element, so a
   * reading is never copied into every window that contains it.
   */
  static SingleOutputStreamOperator<WindowAggregate> slidingWindows(
      DataStream<WindowSlice> slices, IotJobConfig config) {
    return SLIDING.apply(
        slices
            .keyBy(SLICE_SENSOR, SENSOR_KEY_TYPE)
            .window(SlidingEventTimeWindows.of(config.slidingSize(), config.slidingSlide()))
            // Corrections of a slice arrive up to the allowed lateness after its end.
            .allowedLateness(config.allowedLateness())
            .process(new SlidingWindowFunction(), new AvroTypeInfo<>(WindowAggregate.class)));
  }

  /** Sends every output to its topic through an exactly-once sink. */
  public static void writeToKafka(Outputs outputs, JobConfig config) {
    AGGREGATES_SINK.apply(
        outputs
            .aggregates()
            .sinkTo(
                KafkaSinks.exactlyOnce(
                    config, "aggregates", Topics.IOT_AGGREGATES, WindowAggregate::getDeviceId)));
    ALERTS_SINK.apply(
        outputs
            .alerts()
            .sinkTo(
                KafkaSinks.exactlyOnce(
                    config, "alerts", Topics.IOT_ALERTS, IotAlert::getDeviceId)));
    LATE_SINK.apply(
        outputs
            .late()
            .sinkTo(
                KafkaSinks.exactlyOnce(
                    config, "late", Topics.IOT_LATE, SensorReadingRecorded::getDeviceId)));
    KafkaSinks.writeDeadLetters(outputs.deadLetters(), config, DLQ_METRICS, DLQ_SINK);
  }
}
