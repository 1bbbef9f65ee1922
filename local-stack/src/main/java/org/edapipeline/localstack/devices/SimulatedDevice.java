package org.edapipeline.localstack.devices;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.iot.DeviceRegistered;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.events.iot.SensorSpec;

/**
 * One simulated thermo-hygrometer: a temperature and a humidity sensor, normal values around a
 * baseline with noise, and, for an overheating device, phases above the temperature alert
 * threshold.
 */
final class SimulatedDevice {

  static final String TEMPERATURE = "temperature";
  static final String HUMIDITY = "humidity";

  /** Sensors of every device: ranges the job validates and thresholds it alerts on. */
  static final List<SensorSpec> SENSORS =
      List.of(
          SensorSpec.newBuilder()
              .setSensorType(TEMPERATURE)
              .setUnit("C")
              .setPhysicalMin(-40)
              .setPhysicalMax(125)
              .setAlertAbove(80.0)
              .setAlertBelow(-10.0)
              .build(),
          SensorSpec.newBuilder()
              .setSensorType(HUMIDITY)
              .setUnit("%")
              .setPhysicalMin(0)
              .setPhysicalMax(100)
              .setAlertAbove(95.0)
              .setAlertBelow(null)
              .build());

  private final String deviceId;
  private final boolean overheating;
  private final double baseTemperature;
  private final double baseHumidity;

  SimulatedDevice(int index, boolean overheating) {
    this.deviceId = String.format("device-%04d", index);
    this.overheating = overheating;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.baseTemperature = 18 + random.nextDouble() * 6;
    this.baseHumidity = 35 + random.nextDouble() * 20;
  }

  String deviceId() {
    return deviceId;
  }

  DeviceRegistered registration(Duration reportingInterval) {
    return DeviceRegistered.newBuilder()
        .setMetadata(metadata("DeviceRegistered", Instant.now()))
        .setDeviceId(deviceId)
        .setDeviceType("thermo-hygrometer")
        .setReportingIntervalMillis(reportingInterval.toMillis())
        .setSensors(SENSORS)
        .build();
  }

  /**
   * A reading of {@code sensor} measured at {@code measuredAt}; hot when the device overheats in
   * this phase.
   */
  SensorReadingRecorded reading(String sensor, Instant measuredAt, boolean hot) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    double value =
        TEMPERATURE.equals(sensor)
            ? (overheating && hot ? 90 : baseTemperature) + random.nextGaussian()
            : Math.min(100, Math.max(0, baseHumidity + random.nextGaussian() * 2));
    return SensorReadingRecorded.newBuilder()
        .setMetadata(metadata("SensorReadingRecorded", Instant.now()))
        .setDeviceId(deviceId)
        .setSensorType(sensor)
        .setValue(value)
        .setUnit(TEMPERATURE.equals(sensor) ? "C" : "%")
        .setMeasuredAt(measuredAt)
        .build();
  }

  private EventMetadata metadata(String type, Instant at) {
    return EventMetadata.newBuilder()
        .setEventId(UUID.randomUUID())
        .setEventType(type)
        .setSchemaVersion(1)
        .setAggregateType("device")
        .setAggregateId(deviceId)
        .setCorrelationId(deviceId)
        .setOccurredAt(at)
        .build();
  }
}
