package org.edapipeline.jobs.iot.functions;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.jobs.iot.records.BreachRun;
import org.edapipeline.jobs.iot.records.WindowSlice;
import org.edapipeline.jobs.iot.records.WindowStats;
import org.edapipeline.outputs.AlertType;
import org.edapipeline.outputs.IotAlert;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.outputs.WindowKind;

/**
 * Builds the job's Avro outputs. Everything in them is derived from the input, event ids included
 * (name-based UUIDs of what identifies the result), so a replay after a failure writes records
 * identical to the first run's and downstream consumers can dedupe or upsert on them.
 */
public final class IotOutputs {

  /** The percentile reported as {@code p95}. */
  static final double P95 = 0.95;

  private static final String AGGREGATE_TYPE = "device";

  private IotOutputs() {}

  /** A window's statistics as a {@link WindowAggregate}. */
  public static WindowAggregate aggregate(
      WindowKind kind,
      String deviceId,
      String sensorType,
      String unit,
      long windowStart,
      long windowEnd,
      WindowStats stats,
      int revision) {
    UUID id =
        nameUuid(
            "WindowAggregate", deviceId, sensorType, kind.name(), windowStart, windowEnd, revision);
    return WindowAggregate.newBuilder()
        .setMetadata(metadata("WindowAggregate", id, deviceId, windowEnd))
        .setDeviceId(deviceId)
        .setSensorType(sensorType)
        .setUnit(unit)
        .setWindowKind(kind)
        .setWindowStart(Instant.ofEpochMilli(windowStart))
        .setWindowEnd(Instant.ofEpochMilli(windowEnd))
        .setCount(stats.count)
        .setMin(stats.min)
        .setMax(stats.max)
        .setMean(stats.mean())
        .setSum(stats.sum)
        .setP95(stats.quantile(P95))
        .setRevision(revision)
        .setIsCorrection(revision > 0)
        .build();
  }

  /** A tumbling window's result as a TUMBLING {@link WindowAggregate}. */
  public static WindowAggregate tumbling(WindowSlice slice) {
    return aggregate(
        WindowKind.TUMBLING,
        slice.deviceId,
        slice.sensorType,
        slice.unit,
        slice.windowStart,
        slice.windowEnd,
        slice.stats,
        slice.revision);
  }

  /** A THRESHOLD_BREACHED alert for a run of breaching windows ending with {@code last}. */
  public static IotAlert thresholdBreached(BreachRun run, WindowSlice last, double threshold) {
    UUID id =
        nameUuid(
            "IotAlert",
            last.deviceId,
            last.sensorType,
            AlertType.THRESHOLD_BREACHED.name(),
            run.firstWindowStart);
    return IotAlert.newBuilder()
        .setMetadata(metadata("IotAlert", id, last.deviceId, last.windowEnd))
        .setDeviceId(last.deviceId)
        .setSensorType(last.sensorType)
        .setAlertType(AlertType.THRESHOLD_BREACHED)
        .setWindowStart(Instant.ofEpochMilli(run.firstWindowStart))
        .setWindowEnd(Instant.ofEpochMilli(last.windowEnd))
        .setValue(last.stats.mean())
        .setThreshold(threshold)
        .setConsecutiveWindows(run.windows)
        .build();
  }

  /** A DEVICE_SILENT alert: nothing since {@code lastSeen}, detected at {@code detectedAt}. */
  public static IotAlert deviceSilent(
      String deviceId, long lastSeen, long detectedAt, int intervals) {
    UUID id = nameUuid("IotAlert", deviceId, AlertType.DEVICE_SILENT.name(), lastSeen);
    return IotAlert.newBuilder()
        .setMetadata(metadata("IotAlert", id, deviceId, detectedAt))
        .setDeviceId(deviceId)
        .setSensorType(null)
        .setAlertType(AlertType.DEVICE_SILENT)
        .setWindowStart(Instant.ofEpochMilli(lastSeen))
        .setWindowEnd(Instant.ofEpochMilli(detectedAt))
        .setValue(null)
        .setThreshold(null)
        .setConsecutiveWindows(intervals)
        .build();
  }

  private static EventMetadata metadata(String type, UUID id, String deviceId, long occurredAt) {
    return EventMetadata.newBuilder()
        .setEventId(id)
        .setEventType(type)
        .setSchemaVersion(1)
        .setAggregateType(AGGREGATE_TYPE)
        .setAggregateId(deviceId)
        .setCorrelationId(deviceId)
        .setCausationId(null)
        .setOccurredAt(Instant.ofEpochMilli(occurredAt))
        .setTraceparent(null)
        .build();
  }

  private static UUID nameUuid(Object... parts) {
    StringBuilder name = new StringBuilder();
    for (Object part : parts) {
      name.append(part).append('\u001f'); // unit separator: cannot be confused with id text
    }
    return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8));
  }
}
