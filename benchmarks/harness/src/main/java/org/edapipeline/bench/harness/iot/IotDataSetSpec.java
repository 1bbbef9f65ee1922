package org.edapipeline.bench.harness.iot;

import java.time.Duration;

/**
 * Shape of the IoT input.
 *
 * @param devices devices (each with the sensors of {@link IotDataSet#SENSORS})
 * @param readingsPerSensor readings of every sensor
 * @param interval time between two readings of one sensor
 * @param outOfOrderness the watermark bound / grace every contender uses; readings arrive out of
 *     order by up to half of it
 * @param window tumbling window size
 * @param slidingSize sliding (hopping) window size
 * @param slidingSlide its slide
 * @param partitions partitions of the input topics
 * @param seed random seed (values and jitter)
 */
public record IotDataSetSpec(
    int devices,
    int readingsPerSensor,
    Duration interval,
    Duration outOfOrderness,
    Duration window,
    Duration slidingSize,
    Duration slidingSlide,
    int partitions,
    long seed) {

  public IotDataSetSpec {
    if (devices < partitions) {
      throw new IllegalArgumentException(
          "iot: need at least as many devices ("
              + devices
              + ") as partitions ("
              + partitions
              + ")");
    }
    if (readingsPerSensor < 1) {
      throw new IllegalArgumentException("iot: readings per sensor must be positive");
    }
    if (slidingSize.toMillis() % slidingSlide.toMillis() != 0) {
      throw new IllegalArgumentException("iot: sliding size must be a multiple of its slide");
    }
  }

  /**
   * The suites' shape for about {@code readings} readings: 4 partitions, one reading per sensor
   * every 10 s, 10 s bound, 1-minute tumbling and 5 min / 1 min sliding windows, 200 readings per
   * sensor (33 minutes of event time) and as many devices as that takes.
   */
  public static IotDataSetSpec forReadings(long readings, long seed) {
    int perSensor = 200;
    int devices = (int) Math.max(8, readings / (perSensor * IotDataSet.SENSORS.size()));
    return new IotDataSetSpec(
        devices,
        perSensor,
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(1),
        4,
        seed);
  }
}
