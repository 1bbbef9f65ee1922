package org.edapipeline.bench.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.outputs.WindowKind;

/**
 * Builds the {@link WindowAggregate} our IoT job writes, from a window's statistics: the same
 * fields and the same deterministic event id (a name-based UUID of device, sensor, kind, window and
 * revision, as in the job's {@code IotOutputs}). Only first results are written (revision 0), and
 * {@code p95} is {@link Double#NaN}: these contenders compute count/min/max/mean/sum, the
 * aggregation the benchmark compares; our job's t-digest percentile is extra work it pays for.
 */
public final class WindowAggregates {

  private static final String TYPE = "WindowAggregate";
  private static final String AGGREGATE_TYPE = "device";

  private WindowAggregates() {}

  /** A first (revision 0) result of one window. */
  public static WindowAggregate of(
      WindowKind kind,
      String deviceId,
      String sensorType,
      long windowStart,
      long windowEnd,
      ReadingStats stats) {
    UUID id = nameUuid(TYPE, deviceId, sensorType, kind.name(), windowStart, windowEnd, 0);
    return WindowAggregate.newBuilder()
        .setMetadata(
            EventMetadata.newBuilder()
                .setEventId(id)
                .setEventType(TYPE)
                .setSchemaVersion(1)
                .setAggregateType(AGGREGATE_TYPE)
                .setAggregateId(deviceId)
                .setCorrelationId(deviceId)
                .setCausationId(null)
                .setOccurredAt(Instant.ofEpochMilli(windowEnd))
                .setTraceparent(null)
                .build())
        .setDeviceId(deviceId)
        .setSensorType(sensorType)
        .setUnit(stats.unit())
        .setWindowKind(kind)
        .setWindowStart(Instant.ofEpochMilli(windowStart))
        .setWindowEnd(Instant.ofEpochMilli(windowEnd))
        .setCount(stats.count())
        .setMin(stats.min())
        .setMax(stats.max())
        .setMean(stats.mean())
        .setSum(stats.sum())
        .setP95(Double.NaN)
        .setRevision(0)
        .setIsCorrection(false)
        .build();
  }

  private static UUID nameUuid(Object... parts) {
    StringBuilder name = new StringBuilder();
    for (Object part : parts) {
      name.append(part).append('\u001f');
    }
    return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8));
  }
}
