package org.edapipeline.jobs.iot.functions;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.edapipeline.jobs.common.Sourced;
import org.edapipeline.jobs.iot.records.DeviceUpdate;

/**
 * Watermarks of the device topic: event time is {@code occurredAt}, and partitions go idle. Joined
 * with the readings, the device stream's watermark holds the readings' event time back until the
 * device registry has been read up to it: at start, windows and unknown-device deadlines wait for
 * the compacted topic to be read (or its partitions to go idle) instead of racing it.
 */
public final class DeviceUpdateTimestamps {
  private DeviceUpdateTimestamps() {}

  public static WatermarkStrategy<Sourced<DeviceUpdate>> watermarks(Duration idleness) {
    return WatermarkStrategy.<Sourced<DeviceUpdate>>forMonotonousTimestamps()
        .withTimestampAssigner(
            (record, kafkaTimestamp) ->
                record.decoded() ? record.event.occurredAt() : Long.MIN_VALUE)
        .withIdleness(idleness);
  }
}
