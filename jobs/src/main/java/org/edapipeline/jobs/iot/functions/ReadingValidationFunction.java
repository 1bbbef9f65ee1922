package org.edapipeline.jobs.iot.functions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.edapipeline.events.iot.DeviceDecommissioned;
import org.edapipeline.events.iot.DeviceRegistered;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.events.iot.SensorSpec;
import org.edapipeline.jobs.common.DeadLetterSplitter;
import org.edapipeline.jobs.common.EventIdDeduplicator;
import org.edapipeline.jobs.common.RecordRejectedException;
import org.edapipeline.jobs.common.Sourced;
import org.edapipeline.jobs.iot.records.DeviceUpdate;
import org.edapipeline.jobs.iot.records.ValidReading;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;

/**
 * Joins each reading (keyed by device) with its device's registration from the broadcast device
 * registry, drops redelivered readings, and lets through only readings that can be aggregated.
 * Every other reading goes to {@link DeadLetterSplitter#DEAD_LETTERS} as a permanent error with a
 * reason code: {@code INVALID_VALUE} (NaN or infinite), {@code FUTURE_TIMESTAMP}, {@code
 * UNKNOWN_DEVICE}, {@code DECOMMISSIONED_DEVICE}, {@code UNKNOWN_SENSOR}, {@code UNIT_MISMATCH},
 * {@code OUT_OF_PHYSICAL_RANGE}.
 *
 * <p><b>Registration race.</b> The registry and the readings are separate streams, so a device's
 * first readings can arrive before its {@code DeviceRegistered} (at start, while the compacted
 * topic is read, or when a device is registered and switched on at once). A reading of a device the
 * registry does not know yet is therefore held in keyed state until the watermark passes its {@code
 * measuredAt} plus the registration grace; it goes on as soon as the registration arrives, and is
 * dead-lettered if it has not arrived by then. The watermark includes the device stream's (see
 * {@link DeviceUpdateTimestamps}), so the registry has been read up to that time. A held reading
 * reaches its window late: if that window already fired, its result is corrected like for any late
 * reading.
 *
 * <p><b>Decommissioning</b> removes the device from the registry, clears the device's keyed state
 * here, and emits its id once (on the subtask owning the key) to {@link #RETIRED_DEVICES}, so the
 * silence detector stops its timer.
 */
public class ReadingValidationFunction
    extends KeyedBroadcastProcessFunction<
        String, Sourced<SensorReadingRecorded>, DeviceUpdate, ValidReading> {
  private static final long serialVersionUID = 1L;

  /** Registered devices by id (broadcast state). */
  public static final MapStateDescriptor<String, DeviceRegistered> DEVICES =
      new MapStateDescriptor<>("devices", Types.STRING, new AvroTypeInfo<>(DeviceRegistered.class));

  /** Decommissioned devices by id (broadcast state), to tell them from unknown ones. */
  public static final MapStateDescriptor<String, DeviceDecommissioned> DECOMMISSIONED =
      new MapStateDescriptor<>(
          "decommissioned-devices", Types.STRING, new AvroTypeInfo<>(DeviceDecommissioned.class));

  private static final OutputTag<DeadLetter> DEAD_LETTERS = DeadLetterSplitter.DEAD_LETTERS;

  /** Ids of decommissioned devices, once each, keyed like the readings. */
  public static final OutputTag<String> RETIRED_DEVICES =
      new OutputTag<>("retired-devices", Types.STRING);

  private final String jobName;
  private final String operatorUid;
  private final Duration dedupeTtl;
  private final long maxFutureSkewMillis;
  private final long registrationGraceMillis;
  private final TypeInformation<Sourced<SensorReadingRecorded>> readingType;

  private transient EventIdDeduplicator dedupe;
  private transient ListStateDescriptor<Sourced<SensorReadingRecorded>> awaitingDescriptor;
  private transient ListState<Sourced<SensorReadingRecorded>> awaitingRegistration;

  /**
   * @param operatorUid this operator's uid, recorded in its dead letters
   * @param readingType type information of the input readings (for the held-readings state)
   */
  public ReadingValidationFunction(
      String jobName,
      String operatorUid,
      Duration dedupeTtl,
      Duration maxFutureSkew,
      Duration registrationGrace,
      TypeInformation<Sourced<SensorReadingRecorded>> readingType) {
    this.jobName = jobName;
    this.operatorUid = operatorUid;
    this.dedupeTtl = dedupeTtl;
    this.maxFutureSkewMillis = maxFutureSkew.toMillis();
    this.registrationGraceMillis = registrationGrace.toMillis();
    this.readingType = readingType;
  }

  @Override
  public void open(OpenContext openContext) {
    dedupe = EventIdDeduplicator.open(getRuntimeContext(), dedupeTtl);
    awaitingDescriptor = new ListStateDescriptor<>("awaiting-registration", readingType);
    awaitingRegistration = getRuntimeContext().getListState(awaitingDescriptor);
  }

  @Override
  public void processElement(
      Sourced<SensorReadingRecorded> record, ReadOnlyContext ctx, Collector<ValidReading> out)
      throws Exception {
    SensorReadingRecorded reading = record.event;
    if (ctx.getBroadcastState(DECOMMISSIONED).contains(reading.getDeviceId())) {
      // Checked first: a retired device's keyed state stays empty (each delivery is dead-lettered).
      rejectUnregistered(record, ctx);
      return;
    }
    String eventId = reading.getMetadata().getEventId().toString();
    if (!dedupe.firstSeen(eventId)) {
      return;
    }
    // From here on, a rejected reading's id is forgotten again: it was not processed, and its
    // replay from the DLQ (once the cause is fixed) must not be dropped as a duplicate.
    if (Double.isNaN(reading.getValue()) || Double.isInfinite(reading.getValue())) {
      reject(record, "INVALID_VALUE", "value is " + reading.getValue(), ctx);
      dedupe.forget(eventId);
      return;
    }
    if (ReadingTimestamps.tooFarInFuture(reading, record.origin.timestamp, maxFutureSkewMillis)) {
      reject(
          record,
          "FUTURE_TIMESTAMP",
          "measuredAt "
              + reading.getMeasuredAt()
              + " is more than "
              + maxFutureSkewMillis
              + " ms after the record was sent ("
              + record.origin.timestamp
              + ")",
          ctx);
      dedupe.forget(eventId);
      return;
    }
    ReadOnlyBroadcastState<String, DeviceRegistered> devices = ctx.getBroadcastState(DEVICES);
    DeviceRegistered device = devices.get(reading.getDeviceId());
    if (device != null) {
      releaseHeld(device, ctx, out);
      if (!accept(record, device, letter -> ctx.output(DEAD_LETTERS, letter), out)) {
        dedupe.forget(eventId);
      }
    } else {
      awaitingRegistration.add(record);
      ctx.timerService()
          .registerEventTimeTimer(reading.getMeasuredAt().toEpochMilli() + registrationGraceMillis);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ValidReading> out)
      throws Exception {
    DeviceRegistered device = ctx.getBroadcastState(DEVICES).get(ctx.getCurrentKey());
    if (device != null) {
      releaseHeld(device, ctx, out);
      return;
    }
    List<Sourced<SensorReadingRecorded>> stillWaiting = new ArrayList<>();
    for (Sourced<SensorReadingRecorded> held : awaitingRegistration.get()) {
      if (held.event.getMeasuredAt().toEpochMilli() + registrationGraceMillis <= timestamp) {
        rejectUnregistered(held, ctx);
        dedupe.forget(held.event.getMetadata().getEventId().toString());
      } else {
        stillWaiting.add(held);
      }
    }
    // Empty once every held reading is resolved: no state is left for an unknown device.
    awaitingRegistration.update(stillWaiting);
  }

  @Override
  public void processBroadcastElement(DeviceUpdate update, Context ctx, Collector<ValidReading> out)
      throws Exception {
    String deviceId = update.deviceId();
    if (update.registered != null) {
      ctx.getBroadcastState(DEVICES).put(deviceId, update.registered);
      ctx.getBroadcastState(DECOMMISSIONED).remove(deviceId);
      // Readings that waited for this registration go on now rather than at their timer: the
      // timer fires with the watermark, typically when every input has just gone idle, and records
      // sent then travel on channels marked idle, where a watermark can overtake them.
      ctx.applyToKeyedState(
          awaitingDescriptor,
          (key, held) -> {
            if (key.equals(deviceId)) {
              for (Sourced<SensorReadingRecorded> record : held.get()) {
                accept(record, update.registered, letter -> ctx.output(DEAD_LETTERS, letter), out);
              }
              held.clear();
            }
          });
      return;
    }
    ctx.getBroadcastState(DEVICES).remove(deviceId);
    ctx.getBroadcastState(DECOMMISSIONED).put(deviceId, update.decommissioned);
    // The device's life has ended: forget the event ids it sent (held readings are resolved, as
    // DECOMMISSIONED_DEVICE, by their timers).
    ctx.applyToKeyedState(
        EventIdDeduplicator.descriptor(dedupeTtl),
        (key, seen) -> {
          if (key.equals(deviceId)) {
            seen.clear();
          }
        });
    if (ownsKey(deviceId)) {
      ctx.output(RETIRED_DEVICES, deviceId);
    }
  }

  /** Whether the key belongs to this subtask: broadcast elements reach every subtask. */
  private boolean ownsKey(String key) {
    TaskInfo task = getRuntimeContext().getTaskInfo();
    return KeyGroupRangeAssignment.assignKeyToParallelOperator(
            key, task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks())
        == task.getIndexOfThisSubtask();
  }

  private void releaseHeld(
      DeviceRegistered device, ReadOnlyContext ctx, Collector<ValidReading> out) throws Exception {
    Iterable<Sourced<SensorReadingRecorded>> held = awaitingRegistration.get();
    if (held == null || !held.iterator().hasNext()) {
      return;
    }
    for (Sourced<SensorReadingRecorded> record : held) {
      accept(record, device, letter -> ctx.output(DEAD_LETTERS, letter), out);
    }
    awaitingRegistration.clear();
  }

  /** Emits the reading if its sensor, unit and range fit the device; else dead-letters it. */
  private boolean accept(
      Sourced<SensorReadingRecorded> record,
      DeviceRegistered device,
      Consumer<DeadLetter> deadLetters,
      Collector<ValidReading> out) {
    SensorReadingRecorded reading = record.event;
    SensorSpec spec = sensor(device, reading.getSensorType());
    if (spec == null) {
      reject(
          record,
          "UNKNOWN_SENSOR",
          "device " + device.getDeviceId() + " has no sensor " + reading.getSensorType(),
          deadLetters);
    } else if (!spec.getUnit().equals(reading.getUnit())) {
      reject(
          record,
          "UNIT_MISMATCH",
          "reading in " + reading.getUnit() + ", sensor registered in " + spec.getUnit(),
          deadLetters);
    } else if (reading.getValue() < spec.getPhysicalMin()
        || reading.getValue() > spec.getPhysicalMax()) {
      reject(
          record,
          "OUT_OF_PHYSICAL_RANGE",
          reading.getValue()
              + " outside ["
              + spec.getPhysicalMin()
              + ", "
              + spec.getPhysicalMax()
              + "] of "
              + reading.getSensorType(),
          deadLetters);
    } else {
      out.collect(new ValidReading(reading, device.getReportingIntervalMillis(), spec));
      return true;
    }
    return false;
  }

  private void rejectUnregistered(Sourced<SensorReadingRecorded> record, ReadOnlyContext ctx)
      throws Exception {
    String deviceId = record.event.getDeviceId();
    if (ctx.getBroadcastState(DECOMMISSIONED).contains(deviceId)) {
      reject(record, "DECOMMISSIONED_DEVICE", "device " + deviceId + " is decommissioned", ctx);
    } else {
      reject(
          record,
          "UNKNOWN_DEVICE",
          "device " + deviceId + " is not registered (waited " + registrationGraceMillis + " ms)",
          ctx);
    }
  }

  private void reject(
      Sourced<SensorReadingRecorded> record, String reason, String detail, ReadOnlyContext ctx) {
    reject(record, reason, detail, letter -> ctx.output(DEAD_LETTERS, letter));
  }

  private void reject(
      Sourced<SensorReadingRecorded> record,
      String reason,
      String detail,
      Consumer<DeadLetter> deadLetters) {
    SensorReadingRecorded reading = record.event;
    deadLetters.accept(
        record
            .origin
            .deadLetter()
            .failedIn(jobName, operatorUid)
            .error(new RecordRejectedException(reason, detail))
            .category(ErrorCategory.PERMANENT)
            .eventId(reading.getMetadata().getEventId())
            .correlationId(reading.getMetadata().getCorrelationId())
            .build());
  }

  private static SensorSpec sensor(DeviceRegistered device, String sensorType) {
    for (SensorSpec spec : device.getSensors()) {
      if (spec.getSensorType().equals(sensorType)) {
        return spec;
      }
    }
    return null;
  }
}
