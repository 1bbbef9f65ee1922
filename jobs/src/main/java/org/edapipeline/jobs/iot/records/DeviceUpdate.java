package org.edapipeline.jobs.iot.records;

import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.events.iot.DeviceDecommissioned;
import org.edapipeline.events.iot.DeviceRegistered;

/**
 * One record of the compacted device topic: a registration or a decommissioning (exactly one is
 * set). A POJO over the two Avro classes, because Flink has no type for "either Avro record".
 */
public class DeviceUpdate {
  public DeviceRegistered registered;
  public DeviceDecommissioned decommissioned;

  /** For Flink's POJO serializer. */
  public DeviceUpdate() {}

  /**
   * Wraps a record decoded from the device topic.
   *
   * @throws IllegalArgumentException for any other record type (the record is dead-lettered)
   */
  public static DeviceUpdate of(SpecificRecord record) {
    DeviceUpdate update = new DeviceUpdate();
    if (record instanceof DeviceRegistered r) {
      update.registered = r;
    } else if (record instanceof DeviceDecommissioned d) {
      update.decommissioned = d;
    } else {
      throw new IllegalArgumentException("Not a device event: " + record.getSchema().getFullName());
    }
    return update;
  }

  /** The device this update is about. */
  public String deviceId() {
    return registered != null ? registered.getDeviceId() : decommissioned.getDeviceId();
  }

  /** When it happened, in epoch millis. */
  public long occurredAt() {
    return (registered != null ? registered.getMetadata() : decommissioned.getMetadata())
        .getOccurredAt()
        .toEpochMilli();
  }
}
