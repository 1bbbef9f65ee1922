package org.edapipeline.jobs.iot.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.jobs.iot.IotTestData.*;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.jobs.common.DeadLetterSplitter;
import org.edapipeline.jobs.common.RecordRejectedException;
import org.edapipeline.jobs.common.Sourced;
import org.edapipeline.jobs.iot.records.DeviceUpdate;
import org.edapipeline.jobs.iot.records.ValidReading;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReadingValidationFunctionTest {

  private static final Duration GRACE = Duration.ofSeconds(30);

  private KeyedBroadcastOperatorTestHarness<
          String, Sourced<SensorReadingRecorded>, DeviceUpdate, ValidReading>
      harness;

  @BeforeEach
  void open() throws Exception {
    ReadingValidationFunction function =
        new ReadingValidationFunction(
            "iot-test",
            "validate",
            Duration.ofHours(1),
            Duration.ofMinutes(1),
            GRACE,
            Sourced.typeInfo(new AvroTypeInfo<>(SensorReadingRecorded.class)));
    harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            function,
            record -> record.event.getDeviceId(),
            Types.STRING,
            ReadingValidationFunction.DEVICES,
            ReadingValidationFunction.DECOMMISSIONED);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void shouldPassValidReadingsOfRegisteredDevicesAndDropDuplicates() throws Exception {
    harness.processBroadcastElement(update(registered("d1", T0)), 0);
    SensorReadingRecorded reading = reading("r1", "d1", 21.5, at(5));
    harness.processElement(sourced(reading), at(5).toEpochMilli());
    harness.processElement(sourced(reading), at(5).toEpochMilli()); // redelivered

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(valid -> assertThat(valid.reading()).isEqualTo(reading))
        .satisfies(valid -> assertThat(valid.alertAbove).isEqualTo(ALERT_ABOVE));
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void shouldDeadLetterInvalidReadingsAsPermanentWithTheirReason() throws Exception {
    harness.processBroadcastElement(update(registered("d1", T0)), 0);
    harness.processElement(sourced(reading("nan", "d1", Double.NaN, at(1))), 0);
    harness.processElement(sourced(reading("hot", "d1", 900.0, at(2))), 0);
    Sourced<SensorReadingRecorded> future = sourced(reading("future", "d1", 20.0, at(3600)));
    future.origin.timestamp = at(3).toEpochMilli(); // sent an hour before it was "measured"
    harness.processElement(future, 0);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(deadLetters())
        .extracting(DeadLetter::getErrorMessage)
        .map(message -> message.substring(0, message.indexOf(':')))
        .containsExactly("INVALID_VALUE", "OUT_OF_PHYSICAL_RANGE", "FUTURE_TIMESTAMP");
    assertThat(deadLetters())
        .allSatisfy(
            letter -> {
              assertThat(letter.getErrorCategory()).isEqualTo(ErrorCategory.PERMANENT);
              assertThat(letter.getErrorClass()).isEqualTo(RecordRejectedException.class.getName());
              assertThat(letter.getSourceTopic()).isEqualTo(Topics.IOT_READINGS.name());
              assertThat(letter.getOperatorUid()).isEqualTo("validate");
              assertThat(letter.getOriginalValue().array()).containsExactly(0, 0, 0, 0, 1, 42);
            });
    assertThat(deadLetters().get(0).getEventId()).isEqualTo(id("nan"));
  }

  @Test
  void shouldHoldReadingsOfUnknownDevicesUntilTheirRegistrationArrives() throws Exception {
    harness.processElement(sourced(reading("early", "d2", 20.0, at(10))), at(10).toEpochMilli());
    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.processBroadcastElement(update(registered("d2", T0)), 0);

    // Released by the registration itself, not later by the watermark.
    assertThat(harness.extractOutputValues())
        .extracting(valid -> valid.reading().getMetadata().getEventId())
        .containsExactly(id("early"));
    harness.watermark(at(40).toEpochMilli()); // the grace timer finds nothing left
    assertThat(harness.extractOutputValues()).hasSize(1);
    assertThat(deadLetters()).isEmpty();
    assertThat(keyedStateEntries()).as("only the remembered event id").isEqualTo(1);
  }

  @Test
  void shouldDeadLetterReadingsOfDevicesStillUnknownAfterTheGrace() throws Exception {
    harness.processElement(sourced(reading("ghost", "d9", 20.0, at(10))), at(10).toEpochMilli());
    harness.watermark(at(39).toEpochMilli());
    assertThat(deadLetters()).isEmpty();

    harness.watermark(at(40).toEpochMilli());

    assertThat(deadLetters())
        .singleElement()
        .satisfies(letter -> assertThat(letter.getErrorMessage()).startsWith("UNKNOWN_DEVICE"));
    assertThat(keyedStateEntries()).as("no state: the rejected id is forgotten").isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void shouldProcessAReplayedDeadLetterOnceItsCauseIsFixedAndDropItsSecondReplay()
      throws Exception {
    Sourced<SensorReadingRecorded> ghost = sourced(reading("ghost", "d9", 20.0, at(10)));
    harness.processElement(ghost, at(10).toEpochMilli());
    harness.watermark(at(40).toEpochMilli());
    assertThat(deadLetters()).hasSize(1); // UNKNOWN_DEVICE

    harness.processBroadcastElement(update(registered("d9", T0)), 0); // the fix
    harness.processElement(ghost, at(10).toEpochMilli()); // replayed from the DLQ
    harness.processElement(ghost, at(10).toEpochMilli()); // replayed again

    assertThat(harness.extractOutputValues())
        .extracting(valid -> valid.reading().getMetadata().getEventId())
        .containsExactly(id("ghost"));
    assertThat(deadLetters()).hasSize(1);
  }

  @Test
  void shouldForgetADecommissionedDeviceAndRejectItsReadings() throws Exception {
    harness.processBroadcastElement(update(registered("d3", T0)), 0);
    harness.processElement(sourced(reading("before", "d3", 20.0, at(1))), at(1).toEpochMilli());

    harness.processBroadcastElement(update(decommissioned("d3", at(2))), 0);
    harness.processElement(sourced(reading("after", "d3", 20.0, at(3))), at(3).toEpochMilli());

    assertThat(harness.extractOutputValues()).hasSize(1);
    assertThat(deadLetters())
        .singleElement()
        .satisfies(
            letter -> assertThat(letter.getErrorMessage()).startsWith("DECOMMISSIONED_DEVICE"));
    assertThat(harness.getSideOutput(ReadingValidationFunction.RETIRED_DEVICES))
        .extracting(StreamRecord::getValue)
        .containsExactly("d3");
    assertThat(keyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  private List<DeadLetter> deadLetters() {
    var records = harness.getSideOutput(DeadLetterSplitter.DEAD_LETTERS);
    return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
  }

  private int keyedStateEntries() {
    return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }
}
