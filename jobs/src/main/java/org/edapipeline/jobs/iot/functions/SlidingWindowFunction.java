package org.edapipeline.jobs.iot.functions;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.edapipeline.jobs.iot.records.WindowSlice;
import org.edapipeline.jobs.iot.records.WindowStats;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.outputs.WindowKind;

/**
 * A sliding window computed from the tumbling windows' slices it covers (at most size / slide
 * slices per key, however many readings): the latest revision of each slice is merged, t-digests
 * included. A corrected slice arriving later fires the window again, as a correction with the next
 * revision. Counted in {@value #WINDOWS_FIRED_METRIC} and {@value #CORRECTIONS_METRIC}.
 */
public class SlidingWindowFunction
    extends ProcessWindowFunction<
        WindowSlice, WindowAggregate, Tuple2<String, String>, TimeWindow> {
  private static final long serialVersionUID = 1L;

  /** Counter of sliding windows fired (revision 0). */
  public static final String WINDOWS_FIRED_METRIC = "slidingWindowsFired";

  /** Counter of sliding windows fired again with a corrected slice (revision 1 and later). */
  public static final String CORRECTIONS_METRIC = "slidingWindowCorrections";

  static final ValueStateDescriptor<Integer> FIRINGS =
      new ValueStateDescriptor<>("sliding-firings", Types.INT);

  private transient Counter windowsFired;
  private transient Counter corrections;

  @Override
  public void open(OpenContext openContext) {
    windowsFired = getRuntimeContext().getMetricGroup().counter(WINDOWS_FIRED_METRIC);
    corrections = getRuntimeContext().getMetricGroup().counter(CORRECTIONS_METRIC);
  }

  @Override
  public void process(
      Tuple2<String, String> key,
      Context context,
      Iterable<WindowSlice> slices,
      Collector<WindowAggregate> out)
      throws Exception {
    Map<Long, WindowSlice> latest = new HashMap<>();
    for (WindowSlice slice : slices) {
      latest.merge(slice.windowStart, slice, (a, b) -> a.revision >= b.revision ? a : b);
    }
    WindowStats stats = new WindowStats();
    String unit = null;
    for (WindowSlice slice : latest.values()) {
      stats.merge(slice.stats);
      unit = slice.unit;
    }
    ValueState<Integer> firings = context.windowState().getState(FIRINGS);
    int revision = firings.value() == null ? 0 : firings.value() + 1;
    firings.update(revision);
    (revision == 0 ? windowsFired : corrections).inc();
    out.collect(
        IotOutputs.aggregate(
            WindowKind.SLIDING,
            key.f0,
            key.f1,
            unit,
            context.window().getStart(),
            context.window().getEnd(),
            stats,
            revision));
  }

  @Override
  public void clear(Context context) {
    context.windowState().getState(FIRINGS).clear();
  }
}
