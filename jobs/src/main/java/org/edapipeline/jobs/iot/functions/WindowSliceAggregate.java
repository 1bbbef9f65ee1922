package org.edapipeline.jobs.iot.functions;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.edapipeline.jobs.iot.records.ValidReading;
import org.edapipeline.jobs.iot.records.WindowSlice;
import org.edapipeline.jobs.iot.records.WindowStats;

/**
 * Pre-aggregates the readings of one tumbling window of one sensor as they arrive: the window state
 * holds one small {@link WindowSlice} (statistics and t-digest), never the readings.
 */
public class WindowSliceAggregate
    implements AggregateFunction<ValidReading, WindowSlice, WindowSlice> {
  private static final long serialVersionUID = 1L;

  @Override
  public WindowSlice createAccumulator() {
    WindowSlice slice = new WindowSlice();
    slice.stats = new WindowStats();
    return slice;
  }

  @Override
  public WindowSlice add(ValidReading reading, WindowSlice slice) {
    slice.deviceId = reading.reading.getDeviceId();
    slice.sensorType = reading.reading.getSensorType();
    slice.unit = reading.reading.getUnit();
    // The latest registration's thresholds apply to the window.
    slice.alertBelow = reading.alertBelow;
    slice.alertAbove = reading.alertAbove;
    slice.stats.add(reading.reading.getValue());
    return slice;
  }

  @Override
  public WindowSlice getResult(WindowSlice slice) {
    return slice;
  }

  @Override
  public WindowSlice merge(WindowSlice a, WindowSlice b) {
    a.stats.merge(b.stats);
    return a;
  }
}
