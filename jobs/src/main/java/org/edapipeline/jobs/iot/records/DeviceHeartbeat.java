package org.edapipeline.jobs.iot.records;

/**
 * What silence detection needs of a valid reading: which device spoke, when, and how often it
 * should. Sent instead of the whole reading through the shuffle to the silence detector.
 */
public class DeviceHeartbeat {
  public String deviceId;

  /** {@code measuredAt} of the reading, epoch millis. */
  public long measuredAt;

  public long reportingIntervalMillis;

  /** For Flink's POJO serializer. */
  public DeviceHeartbeat() {}

  /** The heartbeat of a valid reading. */
  public static DeviceHeartbeat of(ValidReading reading) {
    DeviceHeartbeat heartbeat = new DeviceHeartbeat();
    heartbeat.deviceId = reading.deviceId;
    heartbeat.measuredAt = reading.measuredAt;
    heartbeat.reportingIntervalMillis = reading.reportingIntervalMillis;
    return heartbeat;
  }
}
