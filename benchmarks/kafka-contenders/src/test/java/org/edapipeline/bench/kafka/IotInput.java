package org.edapipeline.bench.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.iot.SensorReadingRecorded;

/**
 * A tiny IoT input: three devices with two sensors, three minutes of readings (some out of order
 * within the bound), then one sentinel reading per partition far enough ahead to close every data
 * window; and the windows every contender must emit for it, computed here independently.
 */
final class IotInput {

  static final Duration WINDOW = Duration.ofMinutes(1);
  static final Duration BOUND = Duration.ofSeconds(10);
  static final int MINUTES = 3;
  static final List<String> DEVICES = List.of("device-a", "device-b", "device-c");
  static final Map<String, String> SENSORS = Map.of("temperature", "Cel", "humidity", "%");
  static final int[] SECONDS = {5, 20, 35, 58};

  final long base =
      Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.HOURS).toEpochMilli();
  final List<SensorReadingRecorded> data = new ArrayList<>();
  final List<SensorReadingRecorded> sentinels = new ArrayList<>();

  /**
   * @param sentinelDelay how far after the data's end the sentinels are: one window + bound closes
   *     every tumbling window; hopping windows of five need five windows + bound
   */
  IotInput(Duration sentinelDelay, int partitions) {
    // Arrival order: by event time, except that each minute's :58 reading of every series
    // arrives just after the next minute's :05 readings (out of order, within the bound).
    Map<Long, List<SensorReadingRecorded>> byArrival = new TreeMap<>();
    for (int minute = 0; minute < MINUTES; minute++) {
      for (int i = 0; i < SECONDS.length; i++) {
        long ts = base + minute * WINDOW.toMillis() + SECONDS[i] * 1000L;
        boolean delayed = i == SECONDS.length - 1 && minute < MINUTES - 1;
        long arrival = delayed ? ts + (60 - SECONDS[i] + SECONDS[0]) * 1000L + 1 : ts;
        for (String device : DEVICES) {
          for (Map.Entry<String, String> sensor : new TreeMap<>(SENSORS).entrySet()) {
            double value =
                DEVICES.indexOf(device) * 10 + minute + i * 0.5 + sensor.getKey().length();
            byArrival
                .computeIfAbsent(arrival, a -> new ArrayList<>())
                .add(reading(device, sensor.getKey(), sensor.getValue(), value, ts));
          }
        }
      }
    }
    byArrival.values().forEach(data::addAll);
    long dataEnd = base + MINUTES * WINDOW.toMillis();
    for (int p = 0; p < partitions; p++) {
      String device = deviceIn(p, partitions);
      sentinels.add(
          reading(
              device,
              "temperature",
              "Cel",
              0.0,
              dataEnd + sentinelDelay.toMillis() + BOUND.toMillis()));
    }
  }

  /** A device id the default partitioner puts into {@code partition}. */
  static String deviceIn(int partition, int partitions) {
    for (int i = 0; ; i++) {
      String id = "sentinel-" + i;
      if (Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions
          == partition) {
        return id;
      }
    }
  }

  static SensorReadingRecorded reading(
      String device, String sensor, String unit, double value, long ts) {
    return SensorReadingRecorded.newBuilder()
        .setMetadata(
            EventMetadata.newBuilder()
                .setEventId(UUID.randomUUID())
                .setEventType("SensorReadingRecorded")
                .setSchemaVersion(1)
                .setAggregateType("device")
                .setAggregateId(device)
                .setCorrelationId(device)
                .setOccurredAt(Instant.ofEpochMilli(ts))
                .build())
        .setDeviceId(device)
        .setSensorType(sensor)
        .setValue(value)
        .setUnit(unit)
        .setMeasuredAt(Instant.ofEpochMilli(ts))
        .build();
  }

  /** Expected windows as text: device|sensor|kind|start|end|count|min|max|sum|mean|unit. */
  List<String> expected(String kind, long size, long advance) {
    Map<String, ReadingStats> windows = new TreeMap<>();
    for (SensorReadingRecorded r : data) {
      long ts = r.getMeasuredAt().toEpochMilli();
      long lastStart = ts - Math.floorMod(ts, advance);
      for (long start = lastStart; start > ts - size; start -= advance) {
        String key =
            r.getDeviceId()
                + "|"
                + r.getSensorType()
                + "|"
                + kind
                + "|"
                + start
                + "|"
                + (start + size);
        windows.computeIfAbsent(key, k -> new ReadingStats()).add(r.getValue(), r.getUnit());
      }
    }
    List<String> expected = new ArrayList<>();
    windows.forEach(
        (key, s) ->
            expected.add(
                key + "|" + s.count() + "|" + s.min() + "|" + s.max() + "|" + s.sum() + "|"
                    + s.mean() + "|" + s.unit()));
    return expected;
  }

  static String describe(org.edapipeline.outputs.WindowAggregate a) {
    return a.getDeviceId()
        + "|"
        + a.getSensorType()
        + "|"
        + a.getWindowKind()
        + "|"
        + a.getWindowStart().toEpochMilli()
        + "|"
        + a.getWindowEnd().toEpochMilli()
        + "|"
        + a.getCount()
        + "|"
        + a.getMin()
        + "|"
        + a.getMax()
        + "|"
        + a.getSum()
        + "|"
        + a.getMean()
        + "|"
        + a.getUnit();
  }
}
