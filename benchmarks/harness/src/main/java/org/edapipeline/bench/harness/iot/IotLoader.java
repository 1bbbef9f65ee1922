package org.edapipeline.bench.harness.iot;

import java.time.Instant;
import java.util.UUID;
import org.edapipeline.bench.harness.InputLoader;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.iot.DeviceRegistered;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.events.iot.SensorSpec;
import org.edapipeline.schemas.Topics;

/**
 * Loads an {@link IotDataSet}: a {@code DeviceRegistered} per device on {@code iot.devices} first
 * (our job dead-letters readings of unknown devices; the other contenders ignore that topic), then
 * the readings on {@code iot.readings}, each to its device's partition. Event ids are derived from
 * the reading's index, so the load is reproducible.
 */
public final class IotLoader {

  private static final long READING_PREFIX = 0x10705EEDL;
  private static final long REGISTRATION_PREFIX = 0x10705EEEL;

  private IotLoader() {}

  /** Loads the set; returns the readings written (data and sentinels). */
  public static long load(IotDataSet data, InputLoader loader) {
    Instant registeredAt = Instant.now();
    int partitions = data.spec().partitions();
    for (String device : data.devices()) {
      DeviceRegistered registration =
          DeviceRegistered.newBuilder()
              .setMetadata(
                  metadata(
                      "DeviceRegistered",
                      device,
                      registeredAt,
                      new UUID(REGISTRATION_PREFIX, device.hashCode())))
              .setDeviceId(device)
              .setDeviceType("bench-thermo-hygrometer")
              .setReportingIntervalMillis(data.spec().interval().toMillis())
              .setSensors(
                  IotDataSet.SENSORS.stream()
                      .map(
                          s ->
                              SensorSpec.newBuilder()
                                  .setSensorType(s.type())
                                  .setUnit(s.unit())
                                  .setPhysicalMin(s.physicalMin())
                                  .setPhysicalMax(s.physicalMax())
                                  .setAlertAbove(null)
                                  .setAlertBelow(null)
                                  .build())
                      .toList())
              .build();
      loader.send(
          Topics.IOT_DEVICES,
          IotDataSet.partitionOf(device, partitions),
          device,
          registration,
          registration.getMetadata());
    }
    loader.flush();
    long before = loader.sent();
    data.forEach(
        r -> {
          SensorReadingRecorded reading =
              SensorReadingRecorded.newBuilder()
                  .setMetadata(
                      metadata(
                          "SensorReadingRecorded",
                          r.deviceId(),
                          Instant.ofEpochMilli(r.measuredAt()),
                          new UUID(READING_PREFIX, r.index())))
                  .setDeviceId(r.deviceId())
                  .setSensorType(r.sensor().type())
                  .setValue(r.value())
                  .setUnit(r.sensor().unit())
                  .setMeasuredAt(Instant.ofEpochMilli(r.measuredAt()))
                  .build();
          loader.send(
              Topics.IOT_READINGS,
              IotDataSet.partitionOf(r.deviceId(), partitions),
              r.deviceId(),
              reading,
              reading.getMetadata());
        });
    loader.flush();
    return loader.sent() - before;
  }

  private static EventMetadata metadata(String type, String device, Instant at, UUID eventId) {
    return EventMetadata.newBuilder()
        .setEventId(eventId)
        .setEventType(type)
        .setSchemaVersion(1)
        .setAggregateType("device")
        .setAggregateId(device)
        .setCorrelationId(device)
        .setCausationId(null)
        .setOccurredAt(at)
        .setTraceparent(null)
        .build();
  }
}
