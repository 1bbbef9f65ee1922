package org.edapipeline.bench.flink;

/**
 * A decoded {@code SensorReadingRecorded}, flat, as the Flink SQL contender's input table sees it
 * (a POJO: Flink's own serializer, no Kryo). {@code measuredAt} (epoch millis) is the event time:
 * the source's watermark strategy assigns it as the record's timestamp, which SQL sees as the
 * {@code rowtime} column.
 */
public class SqlReading {
  public String deviceId;
  public String sensorType;
  public String unit;
  public double value;
  public long measuredAt;

  public SqlReading() {}

  public SqlReading(
      String deviceId, String sensorType, String unit, double value, long measuredAt) {
    this.deviceId = deviceId;
    this.sensorType = sensorType;
    this.unit = unit;
    this.value = value;
    this.measuredAt = measuredAt;
  }
}
