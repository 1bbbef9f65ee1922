package org.edapipeline.jobs.iot.functions;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;
import org.edapipeline.jobs.iot.records.ValidReading;
import org.edapipeline.jobs.iot.records.WindowSlice;
import org.edapipeline.jobs.iot.records.WindowStats;

/**
 * Event-time tumbling windows per device and sensor (keyed by {@code (deviceId, sensorType)}),
 * pre-aggregated as readings arrive: the state holds one {@link WindowSlice} per open window, never
 * the readings. When the watermark passes a window's end it emits the slice as revision 0; a late
 * reading within the allowed lateness adds to it and emits it again at once with the next revision;
 * once the allowed lateness has passed the window is dropped, and a reading for it goes to the
 * {@code tooLate} side output. Results carry the window's last millisecond as their timestamp.
 *
 * <p><b>"Too late" survives a restore.</b> Flink does not checkpoint watermarks: a restored job
 * starts at {@code Long.MIN_VALUE} until its sources emit new ones, and a window operator that
 * judged lateness by that watermark would take a replayed too-late reading for a new window (a
 * second revision 0 of a window already final and dropped). This operator decides lateness and
 * firing by {@code max(current watermark, watermark floor)}: the floor is the watermark this
 * operator had reached at the checkpoint it was restored from, kept in union list operator state
 * (the minimum of all subtasks' entries, so it stays valid when rescaled; with aligned checkpoints
 * every subtask holds the same value, since all of them received the same watermarks before the
 * barrier). Windows dropped before that checkpoint are exactly those whose allowed lateness ended
 * at or before the floor, so a restored job routes the same readings to the side output as the
 * original run, and fires corrections of already fired windows at once, as before.
 *
 * <p><b>Never idle downstream.</b> It does not forward idleness ({@link #processWatermarkStatus}):
 * see {@link MeasuredAtTimestamps}, which does the same one stage earlier, for why.
 *
 * <p>Timers: one event-time timer per window end (first result) and one at the end of its allowed
 * lateness (drop), registered when the window is created; a timer fires whatever window ends or is
 * dropped at its time, so one timer can serve two windows.
 *
 * <p>Metrics: {@value #WINDOWS_FIRED_METRIC} (first results) and {@value #CORRECTIONS_METRIC}
 * (later revisions).
 */
public class TumblingWindowOperator extends AbstractStreamOperator<WindowSlice>
    implements OneInputStreamOperator<ValidReading, WindowSlice>,
        Triggerable<Tuple2<String, String>, VoidNamespace> {
  private static final long serialVersionUID = 1L;

  /** Open windows of the current key, by window start. */
  static final MapStateDescriptor<Long, WindowSlice> WINDOWS =
      new MapStateDescriptor<>(
          "tumbling-windows", Types.LONG, TypeInformation.of(WindowSlice.class));

  /** This subtask's watermark at the last checkpoint (union list: one entry per subtask). */
  static final ListStateDescriptor<Long> WATERMARK_FLOOR =
      new ListStateDescriptor<>("tumbling-watermark-floor", Types.LONG);

  /** Counter of tumbling windows fired (revision 0). */
  public static final String WINDOWS_FIRED_METRIC = "tumblingWindowsFired";

  /** Counter of corrections of fired tumbling windows (revision 1 and later). */
  public static final String CORRECTIONS_METRIC = "tumblingWindowCorrections";

  /** {@link WindowSlice#revision} of a window that has not fired yet. */
  private static final int NOT_FIRED = -1;

  private final long sizeMillis;
  private final long allowedLatenessMillis;
  private final OutputTag<ValidReading> tooLate;

  private transient MapState<Long, WindowSlice> windows;
  private transient ListState<Long> floorState;
  private transient long watermarkFloor;
  private transient InternalTimerService<VoidNamespace> timers;
  private transient StreamRecord<WindowSlice> result;
  private transient Counter windowsFired;
  private transient Counter corrections;

  /**
   * @param size window size
   * @param allowedLateness how long after a window's end readings still correct it
   * @param tooLate where readings after that go
   */
  public TumblingWindowOperator(
      Duration size, Duration allowedLateness, OutputTag<ValidReading> tooLate) {
    this.sizeMillis = size.toMillis();
    this.allowedLatenessMillis = allowedLateness.toMillis();
    this.tooLate = tooLate;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    floorState = context.getOperatorStateStore().getUnionListState(WATERMARK_FLOOR);
    watermarkFloor = Long.MIN_VALUE;
    if (context.isRestored()) {
      long lowest = Long.MAX_VALUE;
      for (Long floor : floorState.get()) {
        lowest = Math.min(lowest, floor);
      }
      if (lowest != Long.MAX_VALUE) {
        watermarkFloor = lowest;
      }
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    windows = getRuntimeContext().getMapState(WINDOWS);
    timers = getInternalTimerService("tumbling-timers", VoidNamespaceSerializer.INSTANCE, this);
    result = new StreamRecord<>(null);
    windowsFired = getMetricGroup().counter(WINDOWS_FIRED_METRIC);
    corrections = getMetricGroup().counter(CORRECTIONS_METRIC);
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    // The restored floor stays until the watermark passes it: a second restore needs it too.
    floorState.update(List.of(watermark()));
  }

  @Override
  public void processElement(StreamRecord<ValidReading> element) throws Exception {
    ValidReading reading = element.getValue();
    long start = TimeWindow.getWindowStartWithOffset(reading.measuredAt(), 0, sizeMillis);
    long lastMillisecond = start + sizeMillis - 1;
    long dropTime = dropTime(lastMillisecond);
    long watermark = watermark();
    if (dropTime <= watermark) {
      output.collect(tooLate, element);
      return;
    }
    WindowSlice slice = windows.get(start);
    if (slice == null) {
      slice = emptySlice(start);
      if (lastMillisecond > watermark) {
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, lastMillisecond);
      }
      timers.registerEventTimeTimer(VoidNamespace.INSTANCE, dropTime);
    }
    add(slice, reading);
    if (lastMillisecond <= watermark) {
      emit(slice); // the window has closed: this late reading corrects it right away
    }
    windows.put(start, slice);
  }

  @Override
  public void onEventTime(InternalTimer<Tuple2<String, String>, VoidNamespace> timer)
      throws Exception {
    long time = timer.getTimestamp();
    long closingStart = time + 1 - sizeMillis;
    WindowSlice closing = windows.get(closingStart);
    if (closing != null && closing.revision == NOT_FIRED) {
      emit(closing);
      windows.put(closingStart, closing);
    }
    // The window whose allowed lateness ends now (with no lateness, the one just fired).
    windows.remove(closingStart - allowedLatenessMillis);
  }

  /**
   * Swallows idleness. Window results fired by a watermark are sent before that watermark; if this
   * subtask's channel were marked idle downstream, the other subtask's copy of the same watermark
   * could overtake them and the sliding windows would drop them as late. Every subtask receives
   * every upstream watermark (the input is a keyed shuffle), so none of them can hold the others
   * back for long by staying active.
   */
  @Override
  public void processWatermarkStatus(WatermarkStatus status) {}

  @Override
  public void onProcessingTime(InternalTimer<Tuple2<String, String>, VoidNamespace> timer) {
    // No processing-time timers are registered.
  }

  /** The watermark lateness is judged by: never below the one of the restored checkpoint. */
  private long watermark() {
    return Math.max(timers.currentWatermark(), watermarkFloor);
  }

  private long dropTime(long lastMillisecond) {
    long dropTime = lastMillisecond + allowedLatenessMillis;
    return dropTime < lastMillisecond ? Long.MAX_VALUE : dropTime; // overflow
  }

  private WindowSlice emptySlice(long start) {
    WindowSlice slice = new WindowSlice();
    slice.windowStart = start;
    slice.windowEnd = start + sizeMillis;
    slice.stats = new WindowStats();
    slice.revision = NOT_FIRED;
    return slice;
  }

  private static void add(WindowSlice slice, ValidReading reading) {
    slice.deviceId = reading.deviceId;
    slice.sensorType = reading.sensorType;
    slice.unit = reading.unit;
    // The latest registration's thresholds apply to the window.
    slice.alertBelow = reading.alertBelow;
    slice.alertAbove = reading.alertAbove;
    slice.stats.add(reading.value);
  }

  /** Emits the window's next revision (0 first). */
  private void emit(WindowSlice slice) {
    slice.revision++;
    (slice.revision == 0 ? windowsFired : corrections).inc();
    output.collect(result.replace(slice, slice.windowEnd - 1));
  }
}
