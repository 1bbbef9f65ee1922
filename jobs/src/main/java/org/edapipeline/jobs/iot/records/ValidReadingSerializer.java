package org.edapipeline.jobs.iot.records;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes a {@link ValidReading} field by field, in a fixed order, without the reflection of Flink's
 * {@code PojoSerializer} (a field accessor per field, a reflective constructor per record): every
 * valid reading crosses the keyed shuffle to the tumbling windows with it. Never used for state.
 *
 * <p>Format: deviceId, sensorType, unit (Flink strings, null-safe), value, measuredAt,
 * reportingIntervalMillis, alertBelow and alertAbove (a presence byte, then the double), encoded (a
 * length, -1 for null, then the bytes).
 */
public final class ValidReadingSerializer extends TypeSerializerSingleton<ValidReading> {
  private static final long serialVersionUID = 1L;

  /** The one instance: the serializer holds no state. */
  public static final ValidReadingSerializer INSTANCE = new ValidReadingSerializer();

  private ValidReadingSerializer() {}

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public ValidReading createInstance() {
    return new ValidReading();
  }

  @Override
  public ValidReading copy(ValidReading from) {
    ValidReading copy = new ValidReading();
    copy.deviceId = from.deviceId;
    copy.sensorType = from.sensorType;
    copy.unit = from.unit;
    copy.value = from.value;
    copy.measuredAt = from.measuredAt;
    copy.reportingIntervalMillis = from.reportingIntervalMillis;
    copy.alertBelow = from.alertBelow;
    copy.alertAbove = from.alertAbove;
    copy.encoded = from.encoded == null ? null : from.encoded.clone();
    return copy;
  }

  @Override
  public ValidReading copy(ValidReading from, ValidReading reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(ValidReading record, DataOutputView target) throws IOException {
    StringValue.writeString(record.deviceId, target);
    StringValue.writeString(record.sensorType, target);
    StringValue.writeString(record.unit, target);
    target.writeDouble(record.value);
    target.writeLong(record.measuredAt);
    target.writeLong(record.reportingIntervalMillis);
    writeNullable(record.alertBelow, target);
    writeNullable(record.alertAbove, target);
    if (record.encoded == null) {
      target.writeInt(-1);
    } else {
      target.writeInt(record.encoded.length);
      target.write(record.encoded);
    }
  }

  @Override
  public ValidReading deserialize(DataInputView source) throws IOException {
    ValidReading record = new ValidReading();
    record.deviceId = StringValue.readString(source);
    record.sensorType = StringValue.readString(source);
    record.unit = StringValue.readString(source);
    record.value = source.readDouble();
    record.measuredAt = source.readLong();
    record.reportingIntervalMillis = source.readLong();
    record.alertBelow = readNullable(source);
    record.alertAbove = readNullable(source);
    int length = source.readInt();
    if (length >= 0) {
      record.encoded = new byte[length];
      source.readFully(record.encoded);
    }
    return record;
  }

  @Override
  public ValidReading deserialize(ValidReading reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  @Override
  public TypeSerializerSnapshot<ValidReading> snapshotConfiguration() {
    return new Snapshot();
  }

  private static void writeNullable(Double value, DataOutputView target) throws IOException {
    target.writeBoolean(value != null);
    if (value != null) {
      target.writeDouble(value);
    }
  }

  private static Double readNullable(DataInputView source) throws IOException {
    return source.readBoolean() ? source.readDouble() : null;
  }

  /** The serializer's snapshot: the format has a single version so far. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<ValidReading> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
