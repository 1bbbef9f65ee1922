package org.edapipeline.jobs.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.jobs.iot.IotTestData.*;

import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.edapipeline.jobs.iot.records.ValidReading;
import org.edapipeline.jobs.iot.records.WindowSlice;
import org.edapipeline.jobs.iot.records.WindowStats;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.outputs.WindowKind;
import org.junit.jupiter.api.Test;

/** The window operators of the job, as the job builds them, driven by harnesses. */
class WindowsTest {

  private final IotJobConfig config =
      config(); // 1 min tumbling, 5 min / 1 min sliding, 2 min lateness

  @Test
  void shouldAggregateATumblingWindowThenCorrectItThenRouteTooLateReadings() throws Exception {
    try (var harness = harness(IotAggregationJob.tumblingWindows(readings(), config))) {
      harness.open();
      harness.processElement(valid("a", "d1", 10, at(10)), at(10).toEpochMilli());
      harness.processElement(valid("b", "d1", 30, at(20)), at(20).toEpochMilli());
      harness.processElement(valid("c", "d1", 50, at(65)), at(65).toEpochMilli());
      harness.processWatermark(new Watermark(at(60).toEpochMilli() - 1));

      WindowSlice first = single(harness.extractOutputValues());
      assertThat(first.windowStart).isEqualTo(T0.toEpochMilli());
      assertThat(first.windowEnd).isEqualTo(at(60).toEpochMilli());
      assertThat(first.revision).isZero();
      assertStats(first.stats, 2, 10, 30, 40);
      assertThat(first.stats.quantile(0.95)).isBetween(10.0, 30.0);

      // Late but within the allowed lateness: the same window again, one revision up.
      harness.processWatermark(new Watermark(at(90).toEpochMilli()));
      harness.processElement(valid("late", "d1", 20, at(30)), at(30).toEpochMilli());
      List<WindowSlice> results = harness.extractOutputValues();
      WindowSlice correction = results.get(results.size() - 1);
      assertThat(correction.windowStart).isEqualTo(T0.toEpochMilli());
      assertThat(correction.revision).isEqualTo(1);
      assertStats(correction.stats, 3, 10, 30, 60);

      // Beyond it (window end + 2 min): not aggregated, routed to the late output.
      harness.processWatermark(new Watermark(at(180).toEpochMilli()));
      int before = harness.extractOutputValues().size();
      harness.processElement(valid("too-late", "d1", 20, at(40)), at(40).toEpochMilli());
      assertThat(harness.extractOutputValues()).hasSize(before);
      assertThat(harness.getSideOutput(IotAggregationJob.TOO_LATE))
          .extracting(record -> record.getValue().reading().getMetadata().getEventId())
          .containsExactly(id("too-late"));
    }
  }

  @Test
  void shouldJudgeLatenessAfterARestoreAsBeforeTheCheckpoint() throws Exception {
    OperatorSubtaskState checkpoint;
    try (var harness = harness(IotAggregationJob.tumblingWindows(readings(), config))) {
      harness.open();
      harness.processElement(valid("a", "d1", 20, at(10)), at(10).toEpochMilli());
      harness.processElement(valid("b", "d1", 35, at(80)), at(80).toEpochMilli());
      // Window 0 fired, then dropped at 02:59.999 (end + 2 min lateness); window 1 fired, still
      // open.
      harness.processWatermark(new Watermark(at(185).toEpochMilli()));
      assertThat(harness.extractOutputValues())
          .extracting(slice -> slice.windowStart + " r" + slice.revision)
          .containsExactly(at(0).toEpochMilli() + " r0", at(60).toEpochMilli() + " r0");
      checkpoint = harness.snapshot(1L, 1L);
    }

    try (var restored = harness(IotAggregationJob.tumblingWindows(readings(), config))) {
      restored.initializeState(checkpoint);
      restored.open();
      // Flink does not checkpoint watermarks: the restored operator has seen none yet.
      restored.processElement(valid("too-late", "d1", 25, at(45)), at(45).toEpochMilli());
      restored.processElement(valid("late", "d1", 32, at(110)), at(110).toEpochMilli());

      assertThat(restored.getSideOutput(IotAggregationJob.TOO_LATE))
          .extracting(record -> record.getValue().reading().getMetadata().getEventId())
          .containsExactly(id("too-late"));
      WindowSlice correction = single(restored.extractOutputValues());
      assertThat(correction.windowStart).isEqualTo(at(60).toEpochMilli());
      assertThat(correction.revision).isEqualTo(1);
      assertStats(correction.stats, 2, 32, 35, 67);

      // The floor is kept in the next checkpoint too, before any new watermark arrived.
      checkpoint = restored.snapshot(2L, 2L);
    }
    try (var again = harness(IotAggregationJob.tumblingWindows(readings(), config))) {
      again.initializeState(checkpoint);
      again.open();
      again.processElement(valid("too-late-again", "d1", 25, at(50)), at(50).toEpochMilli());
      assertThat(again.getSideOutput(IotAggregationJob.TOO_LATE)).hasSize(1);
      assertThat(again.extractOutputValues()).isEmpty();
      // The real watermark takes over: window 1 is dropped once its lateness ends.
      again.processWatermark(new Watermark(at(240).toEpochMilli()));
      assertThat(again.numKeyedStateEntries()).isZero();
      assertThat(again.numEventTimeTimers()).isZero();
    }
  }

  @Test
  void shouldNeverMarkItsOutputIdle() throws Exception {
    try (var harness = harness(IotAggregationJob.tumblingWindows(readings(), config))) {
      harness.open();
      harness.processWatermarkStatus(WatermarkStatus.IDLE);
      harness.processWatermark(new Watermark(at(60).toEpochMilli()));

      // Results and watermarks go on; idleness stays behind (downstream would skip this channel).
      assertThat(harness.getOutput()).noneMatch(element -> element instanceof WatermarkStatus);
      assertThat(harness.getOutput()).anyMatch(element -> element instanceof Watermark);
    }
  }

  @Test
  void shouldMergeSlicesIntoSlidingWindowsAndReplaceACorrectedSlice() throws Exception {
    DataStream<WindowSlice> slices =
        readings().map(reading -> new WindowSlice(), TypeInformation.of(WindowSlice.class));
    try (var harness = harness(IotAggregationJob.slidingWindows(slices, config))) {
      harness.open();
      harness.processElement(slice(0, 0, 10, 20), at(60).toEpochMilli() - 1);
      harness.processElement(slice(1, 0, 30), at(120).toEpochMilli() - 1);
      harness.processWatermark(new Watermark(at(300).toEpochMilli() - 1)); // [0, 5 min) closes

      WindowAggregate window = windowFrom(harness.extractOutputValues(), 0);
      assertThat(window.getWindowKind()).isEqualTo(WindowKind.SLIDING);
      assertThat(window.getWindowEnd()).isEqualTo(at(300));
      assertThat(window.getCount()).isEqualTo(3);
      assertThat(window.getSum()).isEqualTo(60);
      assertThat(window.getRevision()).isZero();

      // Slice 0 corrected (revision 1, one more reading): it replaces revision 0, not adds to it.
      harness.processElement(slice(0, 1, 10, 20, 60), at(60).toEpochMilli() - 1);
      List<WindowAggregate> results = harness.extractOutputValues();
      WindowAggregate corrected = windowFrom(results, 0); // the latest result of [0, 5 min)
      assertThat(corrected.getCount()).isEqualTo(4);
      assertThat(corrected.getSum()).isEqualTo(120);
      assertThat(corrected.getMax()).isEqualTo(60);
      assertThat(corrected.getRevision()).isEqualTo(1);
      assertThat(corrected.getIsCorrection()).isTrue();
    }
  }

  private static WindowAggregate windowFrom(List<WindowAggregate> results, long startSeconds) {
    return results.stream()
        .filter(result -> result.getWindowStart().equals(at(startSeconds)))
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  private DataStream<ValidReading> readings() {
    return StreamExecutionEnvironment.getExecutionEnvironment()
        .fromSequence(0, 0)
        .map(i -> new ValidReading(), TypeInformation.of(ValidReading.class));
  }

  @SuppressWarnings("unchecked")
  private static <I, O>
      KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, I, O> harness(
          SingleOutputStreamOperator<O> stream) throws Exception {
    OneInputTransformation<I, O> transformation =
        (OneInputTransformation<I, O>) stream.getTransformation();
    OneInputStreamOperator<I, O> operator =
        (OneInputStreamOperator<I, O>)
            ((SimpleOperatorFactory<O>) transformation.getOperatorFactory()).getOperator();
    return new KeyedOneInputStreamOperatorTestHarness<>(
        operator,
        (org.apache.flink.api.java.functions.KeySelector<I, Tuple2<String, String>>)
            transformation.getStateKeySelector(),
        (TypeInformation<Tuple2<String, String>>) transformation.getStateKeyType());
  }

  private static WindowSlice single(List<WindowSlice> slices) {
    assertThat(slices).hasSize(1);
    return slices.get(0);
  }

  private static void assertStats(
      WindowStats stats, long count, double min, double max, double sum) {
    assertThat(stats.count).isEqualTo(count);
    assertThat(stats.min).isEqualTo(min);
    assertThat(stats.max).isEqualTo(max);
    assertThat(stats.sum).isEqualTo(sum);
  }

  private static WindowSlice slice(int minute, int revision, double... values) {
    WindowSlice slice = new WindowSlice();
    slice.deviceId = "d1";
    slice.sensorType = TEMPERATURE;
    slice.unit = CELSIUS;
    slice.windowStart = at(60L * minute).toEpochMilli();
    slice.windowEnd = at(60L * (minute + 1)).toEpochMilli();
    slice.stats = new WindowStats();
    for (double value : values) {
      slice.stats.add(value);
    }
    slice.revision = revision;
    return slice;
  }
}
