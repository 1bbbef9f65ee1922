package org.edapipeline.bench.flink;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.jobs.common.CommonOptions;
import org.edapipeline.jobs.common.JobArguments;
import org.edapipeline.jobs.common.JobConfig;
import org.edapipeline.jobs.common.JobEnvironment;
import org.edapipeline.jobs.common.KafkaSinks;
import org.edapipeline.jobs.common.RecordDecoder;
import org.edapipeline.jobs.common.TransactionTimeoutCheck;
import org.edapipeline.jobs.iot.IotOptions;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.schemas.Topics;

/**
 * The same IoT aggregation as Flink SQL window table-valued functions: per device and sensor,
 * {@code COUNT}, {@code MIN}, {@code MAX}, {@code AVG}, {@code SUM} over {@code TUMBLE} windows
 * ({@code window = tumbling}), plus {@code HOP} windows of 5 minutes every {@code window.slide.ms}
 * in the same query ({@code window = sliding}, the two aggregations joined by {@code UNION ALL}
 * into one sink, which is what a statement set of two {@code INSERT}s into one table would plan).
 *
 * <p>Input: {@code iot.readings} through a DataStream Kafka source decoding the Confluent wire
 * format with our job's decoder ({@code avro-confluent} needs Confluent's client, which is not
 * available here), with watermarks per Kafka partition, bounded by {@code out.of.orderness.ms} and
 * with our job's idleness, as the SQL Kafka connector generates them for {@code WATERMARK FOR
 * rowtime AS rowtime - INTERVAL …}; the table takes them with {@code SOURCE_WATERMARK()} on a
 * {@code rowtime} column. Output: {@code iot.aggregates}, the same Avro {@code WindowAggregate}
 * through the same exactly-once sink (and serializer) as our job ({@link SqlWindowAggregates} says
 * which fields SQL leaves out).
 *
 * <p>Not done, unlike our job: dedupe on event id, the device registry join and validation, late
 * corrections, alerts, dead letters. The environment is our jobs' ({@code
 * JobEnvironment.flinkConfiguration}: object reuse, aligned exactly-once checkpoints) with the
 * spec's {@code state.backend}, {@code delivery}, {@code checkpoint.interval.ms} and {@code
 * partitions} = parallelism; the planner's defaults otherwise (two-phase window aggregation).
 */
public final class IotSqlContender {

  /** Job name, also the {@code jobName} of the shared job configuration. */
  public static final String JOB_NAME = "iot-sql";

  private IotSqlContender() {}

  /** {@code java … IotSqlContender <spec file>}. */
  public static void main(String[] args) throws Exception {
    FlinkContenderSpec spec = FlinkContenderSpec.fromArgs(args);
    MiniClusterContender.logToWorkDir(spec);
    spec.requireTopics(
        ContenderSpec.INPUT_TOPICS, spec.inputTopics(), List.of(Topics.IOT_READINGS.name()));
    spec.requireTopics(
        ContenderSpec.OUTPUT_TOPICS, spec.outputTopics(), List.of(Topics.IOT_AGGREGATES.name()));

    JobConfig config =
        JobConfig.from(
            JobArguments.parse(
                OurJobArguments.of(spec).toArray(), CommonOptions.all(), JobConfig.REQUIRED),
            JOB_NAME);
    TransactionTimeoutCheck.validate(config);
    MiniClusterContender contender =
        MiniClusterContender.create(spec, JobEnvironment.flinkConfiguration(config));
    StreamExecutionEnvironment env = contender.environment();

    DataStream<SqlReading> readings =
        env.fromSource(
                readingsSource(config),
                WatermarkStrategy.<SqlReading>forBoundedOutOfOrderness(spec.outOfOrderness())
                    .withTimestampAssigner((reading, kafkaTimestamp) -> reading.measuredAt)
                    .withIdleness(IotOptions.IDLENESS.defaultValue()),
                "Readings from Kafka")
            .uid("sql-readings-source");

    StreamTableEnvironment tables = StreamTableEnvironment.create(env);
    tables.getConfig().setLocalTimeZone(ZoneOffset.UTC);
    tables.createTemporaryView(
        "readings",
        readings,
        Schema.newBuilder()
            .columnByMetadata("rowtime", DataTypes.TIMESTAMP_LTZ(3))
            .watermark("rowtime", "SOURCE_WATERMARK()")
            .build());
    Table aggregates = tables.sqlQuery(query(spec));

    KafkaSink<WindowAggregate> sink =
        KafkaSinks.exactlyOnce(
            config, "aggregates", Topics.IOT_AGGREGATES, WindowAggregate::getDeviceId);
    tables
        .toDataStream(aggregates)
        .map(new SqlWindowAggregates(), new AvroTypeInfo<>(WindowAggregate.class))
        .uid("sql-window-aggregates")
        .name("Rows to WindowAggregate")
        .sinkTo(sink)
        .uid("sql-aggregates-sink")
        .name("Aggregates to Kafka");
    contender.runUntilStopped(env, JOB_NAME);
  }

  /** The window query: TUMBLE, and for {@code sliding} also HOP, per device and sensor. */
  static String query(FlinkContenderSpec spec) {
    String tumbling =
        select(
            "TUMBLING",
            "TUMBLE(TABLE readings, DESCRIPTOR(rowtime), " + interval(spec.windowSize()) + ")");
    if (spec.window() == FlinkContenderSpec.Window.TUMBLING) {
      return tumbling;
    }
    String hopping =
        select(
            "SLIDING",
            "HOP(TABLE readings, DESCRIPTOR(rowtime), "
                + interval(spec.windowSlide())
                + ", "
                + interval(FlinkContenderSpec.SLIDING_SIZE)
                + ")");
    return tumbling + "\nUNION ALL\n" + hopping;
  }

  private static String select(String kind, String window) {
    return String.join(
        "\n",
        "SELECT CAST('" + kind + "' AS STRING) AS " + SqlWindowAggregates.KIND + ",",
        "  deviceId, sensorType, unit, window_start, window_end,",
        "  COUNT(*) AS " + SqlWindowAggregates.COUNT + ",",
        "  MIN(`value`) AS " + SqlWindowAggregates.MIN + ",",
        "  MAX(`value`) AS " + SqlWindowAggregates.MAX + ",",
        "  AVG(`value`) AS " + SqlWindowAggregates.MEAN + ",",
        "  SUM(`value`) AS " + SqlWindowAggregates.SUM,
        "FROM TABLE(" + window + ")",
        // unit: one per device and sensor (our job rejects a reading in another unit).
        "GROUP BY deviceId, sensorType, unit, window_start, window_end");
  }

  /** A SQL day-time interval of millisecond precision, e.g. {@code INTERVAL '0 00:01:00.000'}. */
  static String interval(Duration duration) {
    return String.format(
        "INTERVAL '%d %02d:%02d:%02d.%03d' DAY TO SECOND(3)",
        duration.toDays(),
        duration.toHoursPart(),
        duration.toMinutesPart(),
        duration.toSecondsPart(),
        duration.toMillisPart());
  }

  /**
   * Reads {@code iot.readings} as our job's source does (read_committed, earliest, run's group).
   */
  private static KafkaSource<SqlReading> readingsSource(JobConfig config) {
    return KafkaSource.<SqlReading>builder()
        .setProperties(config.kafkaClientProperties())
        .setBootstrapServers(config.bootstrapServers())
        .setGroupId(config.groupId())
        .setClientIdPrefix(config.transactionalIdPrefix() + "-" + Topics.IOT_READINGS.name())
        .setTopics(Topics.IOT_READINGS.name())
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .setProperty("commit.offsets.on.checkpoint", "true")
        .setDeserializer(
            new SqlReadingDeserializer(
                RecordDecoder.forRecord(SensorReadingRecorded.class, config)))
        .build();
  }
}
