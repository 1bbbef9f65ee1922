package org.edapipeline.jobs.iot.functions;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.edapipeline.jobs.iot.records.WindowSlice;

/**
 * Completes a tumbling window's pre-aggregated slice with the window bounds and its revision: 0
 * when the watermark closes the window, then one more each time a late reading (within the allowed
 * lateness) fires it again, so downstream keeps the highest revision per window. The revision
 * counter lives in per-window state, dropped with the window when its lateness has passed.
 */
public class TumblingWindowFunction
    extends ProcessWindowFunction<WindowSlice, WindowSlice, Tuple2<String, String>, TimeWindow> {
  private static final long serialVersionUID = 1L;

  static final ValueStateDescriptor<Integer> FIRINGS =
      new ValueStateDescriptor<>("tumbling-firings", Types.INT);

  @Override
  public void process(
      Tuple2<String, String> key,
      Context context,
      Iterable<WindowSlice> slices,
      Collector<WindowSlice> out)
      throws Exception {
    ValueState<Integer> firings = context.windowState().getState(FIRINGS);
    int revision = firings.value() == null ? 0 : firings.value() + 1;
    firings.update(revision);
    WindowSlice source = slices.iterator().next();
    WindowSlice slice = new WindowSlice();
    slice.deviceId = source.deviceId;
    slice.sensorType = source.sensorType;
    slice.unit = source.unit;
    slice.alertBelow = source.alertBelow;
    slice.alertAbove = source.alertAbove;
    slice.stats = source.stats;
    slice.windowStart = context.window().getStart();
    slice.windowEnd = context.window().getEnd();
    slice.revision = revision;
    out.collect(slice);
  }

  @Override
  public void clear(Context context) {
    context.windowState().getState(FIRINGS).clear();
  }
}
