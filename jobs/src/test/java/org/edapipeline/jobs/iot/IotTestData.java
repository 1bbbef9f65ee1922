package org.edapipeline.jobs.iot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.iot.DeviceDecommissioned;
import org.edapipeline.events.iot.DeviceRegistered;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.events.iot.SensorSpec;
import org.edapipeline.jobs.common.RawRecord;
import org.edapipeline.jobs.common.Sourced;
import org.edapipeline.jobs.iot.records.DeviceUpdate;
import org.edapipeline.jobs.iot.records.ValidReading;
import org.edapipeline.schemas.Topics;

/** Named times and record factories shared by the IoT tests. */
public final class IotTestData {

  /** Start of the test's event time: a minute boundary. */
  public static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  public static final Duration MINUTE = Duration.ofMinutes(1);
  public static final long REPORTING_INTERVAL_MILLIS = 10_000;
  public static final String TEMPERATURE = "temperature";
  public static final String CELSIUS = "Cel";
  public static final double ALERT_ABOVE = 30.0;
  public static final double PHYSICAL_MIN = -50.0;
  public static final double PHYSICAL_MAX = 150.0;

  private IotTestData() {}

  /** The job's configuration with its defaults and {@code extra} ({@code --key value} pairs). */
  public static IotJobConfig config(String... extra) {
    String[] args = new String[4 + extra.length];
    args[0] = "--kafka.bootstrap-servers";
    args[1] = "localhost:9";
    args[2] = "--schema-registry.url";
    args[3] = "http://localhost:9";
    System.arraycopy(extra, 0, args, 4, extra.length);
    return IotJobConfig.parse(args);
  }

  /** {@code T0} plus {@code seconds}. */
  public static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  /** A deterministic event id from a readable label, so expected outputs can name it. */
  public static UUID id(String label) {
    return UUID.nameUUIDFromBytes(label.getBytes(StandardCharsets.UTF_8));
  }

  public static EventMetadata metadata(String type, String label, String deviceId, Instant at) {
    return EventMetadata.newBuilder()
        .setEventId(id(label))
        .setEventType(type)
        .setSchemaVersion(1)
        .setAggregateType("device")
        .setAggregateId(deviceId)
        .setCorrelationId(deviceId)
        .setOccurredAt(at)
        .build();
  }

  /** A temperature reading labelled {@code label} (its event id derives from it). */
  public static SensorReadingRecorded reading(
      String label, String deviceId, double value, Instant measuredAt) {
    return SensorReadingRecorded.newBuilder()
        .setMetadata(metadata("SensorReadingRecorded", label, deviceId, measuredAt))
        .setDeviceId(deviceId)
        .setSensorType(TEMPERATURE)
        .setValue(value)
        .setUnit(CELSIUS)
        .setMeasuredAt(measuredAt)
        .build();
  }

  /** A device with one temperature sensor, alerting above {@link #ALERT_ABOVE}. */
  public static DeviceRegistered registered(String deviceId, Instant at) {
    return DeviceRegistered.newBuilder()
        .setMetadata(metadata("DeviceRegistered", "register-" + deviceId, deviceId, at))
        .setDeviceId(deviceId)
        .setDeviceType("cold-room-monitor")
        .setReportingIntervalMillis(REPORTING_INTERVAL_MILLIS)
        .setSensors(
            List.of(
                SensorSpec.newBuilder()
                    .setSensorType(TEMPERATURE)
                    .setUnit(CELSIUS)
                    .setPhysicalMin(PHYSICAL_MIN)
                    .setPhysicalMax(PHYSICAL_MAX)
                    .setAlertBelow(null)
                    .setAlertAbove(ALERT_ABOVE)
                    .build()))
        .build();
  }

  public static DeviceDecommissioned decommissioned(String deviceId, Instant at) {
    return DeviceDecommissioned.newBuilder()
        .setMetadata(metadata("DeviceDecommissioned", "retire-" + deviceId, deviceId, at))
        .setDeviceId(deviceId)
        .setReason("RETIRED")
        .build();
  }

  /** A decoded reading as the source hands it on, sent (Kafka timestamp) when it was measured. */
  public static Sourced<SensorReadingRecorded> sourced(SensorReadingRecorded reading) {
    RawRecord origin = new RawRecord();
    origin.key = reading.getDeviceId().getBytes(StandardCharsets.UTF_8);
    origin.value = new byte[] {0, 0, 0, 0, 1, 42};
    origin.headerKeys = new String[0];
    origin.headerValues = new byte[0][];
    origin.topic = Topics.IOT_READINGS.name();
    origin.partition = 0;
    origin.offset = 7;
    origin.timestamp = reading.getMeasuredAt().toEpochMilli();
    return Sourced.of(origin, reading);
  }

  public static DeviceUpdate update(org.apache.avro.specific.SpecificRecord record) {
    return DeviceUpdate.of(record);
  }

  /** A reading as validation lets it through, with the test device's spec. */
  public static ValidReading valid(String label, String deviceId, double value, Instant at) {
    return new ValidReading(
        reading(label, deviceId, value, at),
        REPORTING_INTERVAL_MILLIS,
        registered(deviceId, T0).getSensors().get(0));
  }
}
