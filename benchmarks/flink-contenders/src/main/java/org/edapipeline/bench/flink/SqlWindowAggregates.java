package org.edapipeline.bench.flink;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.types.Row;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.outputs.WindowKind;

/**
 * Turns a row of the SQL contender's window query into the {@link WindowAggregate} our job writes
 * for the same window: the same fields, key, deterministic event id (name-based, from device,
 * sensor, kind, window and revision) and metadata, so both write records of the same shape and
 * size.
 *
 * <p>What SQL does not compute: {@code p95} is {@code NaN} (the schema requires a double; the
 * built-in aggregates have no percentile, and a t-digest UDF would be our code, not Flink SQL's),
 * and every result is revision 0 (a window TVF emits each window once, when the watermark passes
 * its end, and drops later readings; our job corrects a window for late readings within its allowed
 * lateness; the benchmark input has no late readings).
 */
final class SqlWindowAggregates implements MapFunction<Row, WindowAggregate> {
  private static final long serialVersionUID = 1L;

  /** Column names of the query's result. */
  static final String KIND = "windowKind";

  static final String DEVICE = "deviceId";
  static final String SENSOR = "sensorType";
  static final String UNIT = "unit";
  static final String START = "window_start";
  static final String END = "window_end";
  static final String COUNT = "readings";
  static final String MIN = "minValue";
  static final String MAX = "maxValue";
  static final String MEAN = "meanValue";
  static final String SUM = "sumValue";

  private static final String TYPE = "WindowAggregate";

  @Override
  public WindowAggregate map(Row row) {
    WindowKind kind = WindowKind.valueOf(((String) row.getField(KIND)).trim());
    String deviceId = (String) row.getField(DEVICE);
    String sensorType = (String) row.getField(SENSOR);
    long start = epochMillis(row.getField(START));
    long end = epochMillis(row.getField(END));
    UUID id = nameUuid(TYPE, deviceId, sensorType, kind.name(), start, end, 0);
    return WindowAggregate.newBuilder()
        .setMetadata(
            EventMetadata.newBuilder()
                .setEventId(id)
                .setEventType(TYPE)
                .setSchemaVersion(1)
                .setAggregateType("device")
                .setAggregateId(deviceId)
                .setCorrelationId(deviceId)
                .setCausationId(null)
                .setOccurredAt(Instant.ofEpochMilli(end))
                .setTraceparent(null)
                .build())
        .setDeviceId(deviceId)
        .setSensorType(sensorType)
        .setUnit((String) row.getField(UNIT))
        .setWindowKind(kind)
        .setWindowStart(Instant.ofEpochMilli(start))
        .setWindowEnd(Instant.ofEpochMilli(end))
        .setCount((Long) row.getField(COUNT))
        .setMin((Double) row.getField(MIN))
        .setMax((Double) row.getField(MAX))
        .setMean((Double) row.getField(MEAN))
        .setSum((Double) row.getField(SUM))
        .setP95(Double.NaN)
        .setRevision(0)
        .setIsCorrection(false)
        .build();
  }

  /**
   * A window bound: {@code TIMESTAMP(3)} in the session time zone, which the contender sets to UTC
   * ({@code TIMESTAMP_LTZ(3)} arrives as an {@link Instant}).
   */
  static long epochMillis(Object bound) {
    if (bound instanceof Instant instant) {
      return instant.toEpochMilli();
    }
    if (bound instanceof LocalDateTime local) {
      return local.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    throw new IllegalStateException("unexpected window bound: " + bound);
  }

  private static UUID nameUuid(Object... parts) {
    StringBuilder name = new StringBuilder();
    for (Object part : parts) {
      name.append(part).append('\u001f');
    }
    return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8));
  }
}
