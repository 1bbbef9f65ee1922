package org.edapipeline.bench.harness.iot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.common.utils.Utils;

/**
 * The IoT suites' input, generated deterministically from a seed: {@code devices} devices with a
 * temperature and a humidity sensor each, every sensor reading once per {@code interval}, for
 * {@code readingsPerSensor} readings, with values inside the sensors' physical range and units as
 * registered (so our job accepts every reading).
 *
 * <p>Time layout: the data's event times lie in {@code [start, end)}, both aligned to the window,
 * ending {@link #MARGIN} plus one sliding window plus the bound before {@code now} (the recent
 * past: our job rejects readings measured more than a minute after they were sent). Readings are
 * emitted in order of their nominal time; each is measured up to half the out-of-orderness bound
 * earlier than nominal, so they arrive out of order but never late for a watermark (or grace) of
 * the bound. Then one sentinel reading per partition at {@link #sentinelTime()} = {@code end} +
 * sliding size + bound advances every partition's event time past the end of every data window
 * (tumbling and sliding); the sentinels' own windows never close and are not expected.
 */
public final class IotDataSet {

  /** Slack between the sentinel's event time and the time the set is generated. */
  public static final Duration MARGIN = Duration.ofMinutes(2);

  /** The sensors every device carries. */
  public static final List<Sensor> SENSORS =
      List.of(
          new Sensor("temperature", "Cel", -40, 125, 18, 6),
          new Sensor("humidity", "%", 0, 100, 35, 20));

  private final IotDataSetSpec spec;
  private final long start;
  private final long end;
  private final long sentinelTime;
  private final List<String> devices = new ArrayList<>();
  private final List<String> sentinelDevices = new ArrayList<>();

  /** A data set whose event times end shortly before {@code now}. */
  public IotDataSet(IotDataSetSpec spec, Instant now) {
    this.spec = spec;
    long window = spec.window().toMillis();
    long span = spec.interval().toMillis() * spec.readingsPerSensor();
    long latestEnd =
        now.truncatedTo(ChronoUnit.MINUTES)
            .minus(MARGIN)
            .minus(spec.slidingSize())
            .minus(spec.outOfOrderness())
            .toEpochMilli();
    this.end = Math.floorDiv(latestEnd, window) * window;
    this.start = end - ((span + window - 1) / window) * window;
    this.sentinelTime = end + spec.slidingSize().toMillis() + spec.outOfOrderness().toMillis();
    for (int i = 1; i <= spec.devices(); i++) {
      devices.add(String.format("device-%06d", i));
    }
    for (int p = 0; p < spec.partitions(); p++) {
      int partition = p;
      sentinelDevices.add(
          devices.stream()
              .filter(d -> partitionOf(d, spec.partitions()) == partition)
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no device falls on partition "
                              + partition
                              + ": use more devices than "
                              + spec.devices())));
    }
  }

  /** The partition Kafka's default partitioner picks for this key (murmur2 of its bytes). */
  public static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  public IotDataSetSpec spec() {
    return spec;
  }

  /** Device ids, in order. */
  public List<String> devices() {
    return devices;
  }

  /** Start of the data's event time (inclusive, window-aligned), epoch millis. */
  public long start() {
    return start;
  }

  /** End of the data's event time (exclusive, window-aligned), epoch millis. */
  public long end() {
    return end;
  }

  /** Event time of the sentinels. */
  public long sentinelTime() {
    return sentinelTime;
  }

  /** Data readings (without the sentinels). */
  public long dataReadings() {
    return (long) spec.devices() * SENSORS.size() * spec.readingsPerSensor();
  }

  /** Input events every contender processes: the data readings and one sentinel per partition. */
  public long inputEvents() {
    return dataReadings() + spec.partitions();
  }

  /** Visits every data reading in emission order, then the sentinels. */
  public void forEach(ReadingSink sink) {
    SplittableRandom random = new SplittableRandom(spec.seed());
    long interval = spec.interval().toMillis();
    long maxJitter = Math.max(1, spec.outOfOrderness().toMillis() / 2);
    int sensorsTotal = spec.devices() * SENSORS.size();
    long index = 0;
    for (int k = 0; k < spec.readingsPerSensor(); k++) {
      for (int d = 0; d < spec.devices(); d++) {
        for (int s = 0; s < SENSORS.size(); s++) {
          long phase = (long) (d * SENSORS.size() + s) * interval / sensorsTotal;
          long nominal = start + k * interval + phase;
          long measuredAt = nominal - random.nextLong(maxJitter);
          Sensor sensor = SENSORS.get(s);
          double value = sensor.base() + random.nextDouble() * sensor.spread();
          sink.accept(new Reading(index++, devices.get(d), sensor, value, measuredAt, false));
        }
      }
    }
    for (String device : sentinelDevices) {
      Sensor sensor = SENSORS.get(0);
      sink.accept(new Reading(index++, device, sensor, sensor.base(), sentinelTime, true));
    }
  }

  /** Tumbling windows (per device and sensor) holding data, i.e. what every contender must emit. */
  public long expectedTumblingWindows() {
    return windows(false);
  }

  /** Sliding windows (per device and sensor) holding data. */
  public long expectedSlidingWindows() {
    return windows(true);
  }

  private long windows(boolean sliding) {
    long window = spec.window().toMillis();
    long size = spec.slidingSize().toMillis();
    long slide = spec.slidingSlide().toMillis();
    Set<String> keys = new HashSet<>();
    forEach(
        r -> {
          if (r.sentinel()) {
            return;
          }
          String series = r.deviceId() + "/" + r.sensor().type() + "/";
          if (!sliding) {
            keys.add(series + Math.floorDiv(r.measuredAt(), window));
          } else {
            long last = Math.floorDiv(r.measuredAt(), slide) * slide;
            for (long s = last; s > r.measuredAt() - size; s -= slide) {
              keys.add(series + s);
            }
          }
        });
    return keys.size();
  }

  /** One sensor type of every device, with its physical range and the values generated. */
  public record Sensor(
      String type,
      String unit,
      double physicalMin,
      double physicalMax,
      double base,
      double spread) {}

  /** One reading; {@code index} is unique in the set (event ids derive from it). */
  public record Reading(
      long index,
      String deviceId,
      Sensor sensor,
      double value,
      long measuredAt,
      boolean sentinel) {}

  /** Receives the readings. */
  @FunctionalInterface
  public interface ReadingSink {
    void accept(Reading reading);
  }
}
