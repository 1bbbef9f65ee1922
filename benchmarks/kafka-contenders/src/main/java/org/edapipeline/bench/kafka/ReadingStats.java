package org.edapipeline.bench.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Running statistics of one sensor over one window: count, min, max, sum (the mean is sum / count)
 * and the sensor's unit. Mutable: the aggregators update it in place.
 */
public final class ReadingStats {

  long count;
  double min = Double.POSITIVE_INFINITY;
  double max = Double.NEGATIVE_INFINITY;
  double sum;
  String unit;

  /** Adds one reading. */
  public ReadingStats add(double value, String unit) {
    if (this.unit == null) {
      this.unit = unit;
    }
    count++;
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
    return this;
  }

  public long count() {
    return count;
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  public double sum() {
    return sum;
  }

  public double mean() {
    return sum / count;
  }

  public String unit() {
    return unit;
  }

  /**
   * A compact binary serde for the window stores (count, min, max, sum as fixed-width numbers, then
   * the unit's UTF-8 bytes): what a Kafka Streams user would write instead of a general-purpose
   * format for a store value updated on every reading.
   */
  public static Serde<ReadingStats> serde() {
    Serializer<ReadingStats> serializer =
        (topic, stats) -> {
          if (stats == null) {
            return null;
          }
          byte[] unit =
              stats.unit == null ? new byte[0] : stats.unit.getBytes(StandardCharsets.UTF_8);
          return ByteBuffer.allocate(32 + unit.length)
              .putLong(stats.count)
              .putDouble(stats.min)
              .putDouble(stats.max)
              .putDouble(stats.sum)
              .put(unit)
              .array();
        };
    Deserializer<ReadingStats> deserializer =
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          ByteBuffer buffer = ByteBuffer.wrap(bytes);
          ReadingStats stats = new ReadingStats();
          stats.count = buffer.getLong();
          stats.min = buffer.getDouble();
          stats.max = buffer.getDouble();
          stats.sum = buffer.getDouble();
          stats.unit = new String(bytes, 32, bytes.length - 32, StandardCharsets.UTF_8);
          return stats;
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
