package org.edapipeline.jobs.iot.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.jobs.iot.IotTestData.*;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.edapipeline.jobs.iot.records.WindowSlice;
import org.edapipeline.jobs.iot.records.WindowStats;
import org.edapipeline.outputs.AlertType;
import org.edapipeline.outputs.IotAlert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ThresholdAlertFunctionTest {

  private KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, WindowSlice, IotAlert>
      harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new ThresholdAlertFunction(3, MINUTE),
            slice -> Tuple2.of(slice.deviceId, slice.sensorType),
            Types.TUPLE(Types.STRING, Types.STRING));
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void shouldAlertOnceAfterThreeConsecutiveBreachingWindows() throws Exception {
    for (int minute = 0; minute < 5; minute++) {
      harness.processElement(slice(minute, 35.0, 0), end(minute) - 1);
    }

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            alert -> {
              assertThat(alert.getAlertType()).isEqualTo(AlertType.THRESHOLD_BREACHED);
              assertThat(alert.getWindowStart()).isEqualTo(at(0));
              assertThat(alert.getWindowEnd()).isEqualTo(at(180));
              assertThat(alert.getValue()).isEqualTo(35.0);
              assertThat(alert.getThreshold()).isEqualTo(ALERT_ABOVE);
              assertThat(alert.getConsecutiveWindows()).isEqualTo(3);
            });
  }

  @Test
  void shouldStartOverAfterANormalWindowOrAGap() throws Exception {
    harness.processElement(slice(0, 35.0, 0), 0);
    harness.processElement(slice(1, 35.0, 0), 0);
    harness.processElement(slice(2, 20.0, 0), 0); // normal: run over
    harness.processElement(slice(3, 35.0, 0), 0);
    harness.processElement(slice(4, 35.0, 0), 0);
    harness.processElement(slice(6, 35.0, 0), 0); // minute 5 missing: run over
    harness.processElement(slice(4, 35.0, 1), 0); // a correction does not count

    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void shouldClearTheRunWhenNoWindowFollowsIt() throws Exception {
    harness.processElement(slice(0, 35.0, 0), end(0) - 1);
    harness.processElement(slice(1, 35.0, 0), end(1) - 1);
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

    harness.processWatermark(new Watermark(end(2) - 1)); // window 2 would have arrived by now

    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  private static long end(int minute) {
    return at(60L * (minute + 1)).toEpochMilli();
  }

  private static WindowSlice slice(int minute, double mean, int revision) {
    WindowSlice slice = new WindowSlice();
    slice.deviceId = "d1";
    slice.sensorType = TEMPERATURE;
    slice.unit = CELSIUS;
    slice.windowStart = at(60L * minute).toEpochMilli();
    slice.windowEnd = end(minute);
    slice.stats = new WindowStats();
    slice.stats.add(mean);
    slice.revision = revision;
    slice.alertAbove = ALERT_ABOVE;
    return slice;
  }
}
