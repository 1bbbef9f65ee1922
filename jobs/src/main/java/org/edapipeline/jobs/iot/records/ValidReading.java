package org.edapipeline.jobs.iot.records;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.events.iot.SensorSpec;

/**
 * A reading that passed validation, flattened to what the later stages need (its device, sensor,
 * unit, value and time) plus what they need from its device's registration: the thresholds to alert
 * on and the reporting interval to detect silence.
 *
 * <p>The whole reading, metadata envelope included, travels only as {@link #encoded} bytes, decoded
 * again by {@link #reading()} for the few readings that arrive too late and are forwarded to {@code
 * iot.late}: the hot path moves flat fields and one byte array through the keyed shuffle instead of
 * an Avro record written and read field by field at every edge. Serialized by {@link
 * ValidReadingSerializer}.
 */
@TypeInfo(ValidReadingTypeInfo.Factory.class)
public class ValidReading {
  public String deviceId;
  public String sensorType;
  public String unit;
  public double value;

  /** {@code measuredAt} in epoch millis. */
  public long measuredAt;

  public long reportingIntervalMillis;

  /** Alert when a window's mean falls below this; null for none. */
  public Double alertBelow;

  /** Alert when a window's mean rises above this; null for none. */
  public Double alertAbove;

  /** The whole reading in Avro's single-object encoding ({@link #reading()}). */
  public byte[] encoded;

  /** An empty reading, for the serializer. */
  public ValidReading() {}

  public ValidReading(
      SensorReadingRecorded reading, long reportingIntervalMillis, SensorSpec spec) {
    this.deviceId = reading.getDeviceId();
    this.sensorType = reading.getSensorType();
    this.unit = reading.getUnit();
    this.value = reading.getValue();
    this.measuredAt = reading.getMeasuredAt().toEpochMilli();
    this.reportingIntervalMillis = reportingIntervalMillis;
    this.alertBelow = spec.getAlertBelow();
    this.alertAbove = spec.getAlertAbove();
    this.encoded = encode(reading);
  }

  public String deviceId() {
    return deviceId;
  }

  public long measuredAt() {
    return measuredAt;
  }

  /** The reading exactly as validation received it (decoded from {@link #encoded}). */
  public SensorReadingRecorded reading() {
    try {
      return SensorReadingRecorded.fromByteBuffer(ByteBuffer.wrap(encoded));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode the reading of a ValidReading", e);
    }
  }

  private static byte[] encode(SensorReadingRecorded reading) {
    try {
      ByteBuffer buffer = reading.toByteBuffer();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode reading " + reading.getDeviceId(), e);
    }
  }
}
