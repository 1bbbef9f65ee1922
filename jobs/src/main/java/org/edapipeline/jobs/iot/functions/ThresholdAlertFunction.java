package org.edapipeline.jobs.iot.functions;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.edapipeline.jobs.iot.records.BreachRun;
import org.edapipeline.jobs.iot.records.WindowSlice;
import org.edapipeline.outputs.IotAlert;

/**
 * Alerts once when a sensor's tumbling-window mean breaches its threshold (the device's {@code
 * alertAbove} or {@code alertBelow}) in N consecutive windows. A window without a breach, or a
 * minute without readings, ends the run. Alerts are judged on each window's first result (revision
 * 0), in window order; a later correction neither raises nor retracts an alert.
 *
 * <p>State: the current run only. It is cleared by a window that does not breach, and by an
 * event-time timer at the end of the window after the run's last one when no window continued it,
 * so a device that stops sending (or is decommissioned) leaves nothing behind.
 */
public class ThresholdAlertFunction
    extends KeyedProcessFunction<Tuple2<String, String>, WindowSlice, IotAlert> {
  private static final long serialVersionUID = 1L;

  private final int consecutiveWindows;
  private final long windowSizeMillis;

  private transient ValueState<BreachRun> run;

  public ThresholdAlertFunction(int consecutiveWindows, Duration windowSize) {
    this.consecutiveWindows = consecutiveWindows;
    this.windowSizeMillis = windowSize.toMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    run = getRuntimeContext().getState(new ValueStateDescriptor<>("breach-run", BreachRun.class));
  }

  @Override
  public void processElement(WindowSlice slice, Context ctx, Collector<IotAlert> out)
      throws Exception {
    if (slice.revision > 0) {
      return;
    }
    Double threshold = slice.breachedThreshold();
    if (threshold == null) {
      run.clear();
      return;
    }
    BreachRun current = run.value();
    if (current == null || current.lastWindowEnd != slice.windowStart) {
      current = new BreachRun();
      current.firstWindowStart = slice.windowStart;
    }
    current.windows++;
    current.lastWindowEnd = slice.windowEnd;
    if (!current.alerted && current.windows >= consecutiveWindows) {
      out.collect(IotOutputs.thresholdBreached(current, slice, threshold));
      current.alerted = true;
    }
    run.update(current);
    // Fires once the next window's result would have arrived: if it did not continue the run.
    ctx.timerService().registerEventTimeTimer(slice.windowEnd + windowSizeMillis - 1);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<IotAlert> out)
      throws Exception {
    BreachRun current = run.value();
    if (current != null && current.lastWindowEnd + windowSizeMillis - 1 == timestamp) {
      run.clear(); // no window followed the run's last one: the run is over
    }
  }
}
