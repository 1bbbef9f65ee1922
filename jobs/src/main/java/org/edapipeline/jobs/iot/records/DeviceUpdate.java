package org.edapipeline.jobs.iot.records;

import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.events.iot.DeviceDecommissioned;
import org.edapipeline.events.iot.DeviceRegistered;
import org.edapipeline.jobs.common.RecordRejectedException;

/**
 * One record of the compacted device topic: a registration or a decommissioning (exactly one is
 * set). A POJO over the two Avro classes, because Flink has no type for "either Avro record".
 */
public class DeviceUpdate {
  /** Reason of a decoded record of the device topic that is neither registration nor retirement. */
  public static final String NOT_A_DEVICE_EVENT = "NOT_A_DEVICE_EVENT";

  public DeviceRegistered registered;
  public DeviceDecommissioned decommissioned;

  /** For Flink's POJO serializer. */
  public DeviceUpdate() {}

  /**
   * Wraps a record decoded from the device topic.
   *
   * @throws RecordRejectedException ({@value #NOT_A_DEVICE_EVENT}) for any other record type: the
   *     bytes are fine but do not belong on this topic, so the record is dead-lettered as PERMANENT
   */
  public static DeviceUpdate of(SpecificRecord record) {
    DeviceUpdate update = new DeviceUpdate();
    if (record instanceof DeviceRegistered r) {
      update.registered = r;
    } else if (record instanceof DeviceDecommissioned d) {
      update.decommissioned = d;
    } else {
      throw new RecordRejectedException(
          NOT_A_DEVICE_EVENT, record.getSchema().getFullName() + " is not a device event");
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
