package org.edapipeline.jobs.iot.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.jobs.iot.IotTestData.*;

import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.edapipeline.jobs.iot.records.DeviceHeartbeat;
import org.edapipeline.outputs.AlertType;
import org.edapipeline.outputs.IotAlert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SilentDeviceFunctionTest {

  private static final int INTERVALS = 3; // 3 x 10 s

  private KeyedTwoInputStreamOperatorTestHarness<String, DeviceHeartbeat, String, IotAlert> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
            new SilentDeviceFunction(INTERVALS),
            heartbeat -> heartbeat.deviceId,
            id -> id,
            Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void shouldAlertOnceWhenADeviceIsSilentForThreeIntervals() throws Exception {
    harness.processElement1(heartbeat("r1", "d1", 20, at(0)), at(0).toEpochMilli());
    harness.processWatermark1(new Watermark(at(29).toEpochMilli()));
    harness.processWatermark2(new Watermark(at(29).toEpochMilli()));
    assertThat(harness.extractOutputValues()).isEmpty();

    harness.processWatermark1(new Watermark(at(60).toEpochMilli()));
    harness.processWatermark2(new Watermark(at(60).toEpochMilli()));

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            alert -> {
              assertThat(alert.getAlertType()).isEqualTo(AlertType.DEVICE_SILENT);
              assertThat(alert.getWindowStart()).isEqualTo(at(0));
              assertThat(alert.getWindowEnd()).isEqualTo(at(30));
              assertThat(alert.getConsecutiveWindows()).isEqualTo(INTERVALS);
            });
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void shouldMoveTheTimerWhenTheDeviceSpeaks() throws Exception {
    harness.processElement1(heartbeat("r1", "d1", 20, at(0)), at(0).toEpochMilli());
    harness.processElement1(heartbeat("r2", "d1", 20, at(25)), at(25).toEpochMilli());
    harness.processElement1(
        heartbeat("old", "d1", 20, at(5)), at(5).toEpochMilli()); // out of order
    harness.processWatermark1(new Watermark(at(50).toEpochMilli()));
    harness.processWatermark2(new Watermark(at(50).toEpochMilli()));

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
  }

  @Test
  void shouldForgetADecommissionedDevice() throws Exception {
    harness.processElement1(heartbeat("r1", "d1", 20, at(0)), at(0).toEpochMilli());
    harness.processElement2("d1", at(1).toEpochMilli());
    harness.processWatermark1(new Watermark(at(600).toEpochMilli()));
    harness.processWatermark2(new Watermark(at(600).toEpochMilli()));

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void shouldNotTakeTheEndOfABoundedInputForSilence() throws Exception {
    harness.processElement1(heartbeat("r1", "d1", 20, at(0)), at(0).toEpochMilli());
    harness.processWatermark1(Watermark.MAX_WATERMARK);
    harness.processWatermark2(Watermark.MAX_WATERMARK);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  /** The heartbeat of a valid reading, as the job sends it to the silence detector. */
  private static DeviceHeartbeat heartbeat(
      String label, String deviceId, double value, Instant at) {
    return DeviceHeartbeat.of(valid(label, deviceId, value, at));
  }
}
