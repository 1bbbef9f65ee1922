package org.edapipeline.jobs.iot.records;

import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.events.iot.SensorSpec;

/**
 * A reading that passed validation, with what the later stages need from its device's registration:
 * the thresholds to alert on and the reporting interval to detect silence.
 */
public class ValidReading {
  public SensorReadingRecorded reading;
  public long reportingIntervalMillis;

  /** Alert when a window's mean falls below this; null for none. */
  public Double alertBelow;

  /** Alert when a window's mean rises above this; null for none. */
  public Double alertAbove;

  /** For Flink's POJO serializer. */
  public ValidReading() {}

  public ValidReading(
      SensorReadingRecorded reading, long reportingIntervalMillis, SensorSpec spec) {
    this.reading = reading;
    this.reportingIntervalMillis = reportingIntervalMillis;
    this.alertBelow = spec.getAlertBelow();
    this.alertAbove = spec.getAlertAbove();
  }

  public String deviceId() {
    return reading.getDeviceId();
  }

  public long measuredAt() {
    return reading.getMeasuredAt().toEpochMilli();
  }
}
