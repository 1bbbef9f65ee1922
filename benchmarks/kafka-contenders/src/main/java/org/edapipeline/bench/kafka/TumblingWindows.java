package org.edapipeline.bench.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.outputs.WindowKind;

/**
 * The open tumbling windows of one input partition, for the plain loop: a map from window start to
 * the statistics of every (device, sensor) in that window, and the partition's event-time watermark
 * (largest event time seen minus the bound). Not thread-safe: one per partition thread.
 *
 * <p>A window is emitted, once, when the watermark reaches its end: the same moment Flink's
 * bounded-out-of-orderness watermark and Kafka Streams' grace close it. A reading whose window has
 * already been emitted is late: counted and dropped, as Kafka Streams drops it.
 */
final class TumblingWindows {

  private final long size;
  private final long bound;
  private final NavigableMap<Long, Window> open = new TreeMap<>();
  private long maxTimestamp = Long.MIN_VALUE;

  /** The readings of one window start, and the first input offset that fed them. */
  private static final class Window {
    final Map<String, ReadingStats> bySensor = new HashMap<>();
    final long firstOffset;

    Window(long firstOffset) {
      this.firstOffset = firstOffset;
    }
  }

  TumblingWindows(long sizeMillis, long boundMillis) {
    this.size = sizeMillis;
    this.bound = boundMillis;
  }

  /** Adds one reading at input {@code offset}; false if its window was already emitted. */
  boolean add(String deviceId, String sensorType, String unit, double value, long ts, long offset) {
    maxTimestamp = Math.max(maxTimestamp, ts);
    long start = ts - Math.floorMod(ts, size);
    if (start + size <= watermark()) {
      return false;
    }
    open.computeIfAbsent(start, s -> new Window(offset))
        .bySensor
        .computeIfAbsent(SensorKeys.of(deviceId, sensorType), k -> new ReadingStats())
        .add(value, unit);
    return true;
  }

  /** Emits every window the watermark has passed, oldest first, and forgets it. */
  void emitClosed(Consumer<WindowAggregate> out) {
    long watermark = watermark();
    for (Map.Entry<Long, Window> first = open.firstEntry();
        first != null && first.getKey() + size <= watermark;
        first = open.firstEntry()) {
      open.pollFirstEntry();
      long start = first.getKey();
      first
          .getValue()
          .bySensor
          .forEach(
              (key, stats) ->
                  out.accept(
                      WindowAggregates.of(
                          WindowKind.TUMBLING,
                          SensorKeys.deviceId(key),
                          SensorKeys.sensorType(key),
                          start,
                          start + size,
                          stats)));
    }
  }

  /**
   * The offset to commit once everything emitted so far is acknowledged: the first offset that fed
   * a window still open (its readings would be lost otherwise), or {@code position} when none is.
   */
  long committableOffset(long position) {
    long committable = position;
    for (Window window : open.values()) {
      committable = Math.min(committable, window.firstOffset);
    }
    return committable;
  }

  private long watermark() {
    return maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - bound;
  }
}
