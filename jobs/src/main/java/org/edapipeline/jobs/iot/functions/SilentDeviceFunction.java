package org.edapipeline.jobs.iot.functions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.edapipeline.jobs.iot.records.DeviceHeartbeat;
import org.edapipeline.outputs.IotAlert;

/**
 * Alerts when a device has sent no valid reading for {@code intervals} of its reporting interval
 * (first input: a {@link DeviceHeartbeat} per valid reading), with one timer per device, moved each
 * time the device speaks and deleted when it is decommissioned (second input: the ids of retired
 * devices).
 *
 * <p><b>Time domain: event time.</b> "Silent" means that the rest of the fleet's readings (the
 * watermark) moved past the device's deadline: the alert is reproducible from the input, a replay
 * after a failure emits exactly the same alerts (exactly-once outputs), and a backlog being caught
 * up does not raise false alerts as processing time would. The price: if every device stops at
 * once, the watermark stops too and no device is reported (that is a job-level outage, watched by
 * consumer lag), and the end of a bounded input (watermark {@code Long.MAX_VALUE}) is not taken as
 * silence.
 *
 * <p>After an alert the device's state is cleared; its next reading arms a new timer.
 */
public class SilentDeviceFunction
    extends KeyedCoProcessFunction<String, DeviceHeartbeat, String, IotAlert> {
  private static final long serialVersionUID = 1L;

  private final int intervals;

  private transient ValueState<Long> lastSeen;
  private transient ValueState<Long> deadline;

  public SilentDeviceFunction(int intervals) {
    this.intervals = intervals;
  }

  @Override
  public void open(OpenContext openContext) {
    lastSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("last-seen", Types.LONG));
    deadline =
        getRuntimeContext().getState(new ValueStateDescriptor<>("silence-deadline", Types.LONG));
  }

  @Override
  public void processElement1(DeviceHeartbeat reading, Context ctx, Collector<IotAlert> out)
      throws Exception {
    Long last = lastSeen.value();
    long measuredAt = reading.measuredAt;
    if (last != null && measuredAt <= last) {
      return; // an older reading arriving late says nothing about now
    }
    Long previous = deadline.value();
    if (previous != null) {
      ctx.timerService().deleteEventTimeTimer(previous);
    }
    long next = measuredAt + intervals * reading.reportingIntervalMillis;
    ctx.timerService().registerEventTimeTimer(next);
    lastSeen.update(measuredAt);
    deadline.update(next);
  }

  @Override
  public void processElement2(String retiredDeviceId, Context ctx, Collector<IotAlert> out)
      throws Exception {
    // Decommissioned: its silence is expected. Drop the timer and everything kept for it.
    Long previous = deadline.value();
    if (previous != null) {
      ctx.timerService().deleteEventTimeTimer(previous);
    }
    lastSeen.clear();
    deadline.clear();
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<IotAlert> out)
      throws Exception {
    Long last = lastSeen.value();
    if (last != null && ctx.timerService().currentWatermark() != Long.MAX_VALUE) {
      out.collect(IotOutputs.deviceSilent(ctx.getCurrentKey(), last, timestamp, intervals));
    }
    lastSeen.clear();
    deadline.clear();
  }
}
