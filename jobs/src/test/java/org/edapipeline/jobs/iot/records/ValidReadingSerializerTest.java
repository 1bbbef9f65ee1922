package org.edapipeline.jobs.iot.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.jobs.iot.IotTestData.at;
import static org.edapipeline.jobs.iot.IotTestData.valid;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ValidReadingSerializerTest {

  @Test
  void shouldBeWhatFlinkUsesForValidReadings() {
    TypeInformation<ValidReading> type = TypeInformation.of(ValidReading.class);

    assertThat(type).isInstanceOf(ValidReadingTypeInfo.class);
    assertThat(type.createSerializer(new SerializerConfigImpl()))
        .isSameAs(ValidReadingSerializer.INSTANCE);
  }

  @Test
  void shouldRoundTripAReadingWithItsWholeOriginal() throws Exception {
    ValidReading reading = valid("r1", "d1", 21.5, at(7));

    ValidReading back = roundTrip(reading);

    assertThat(back).usingRecursiveComparison().isEqualTo(reading);
    assertThat(back.reading()).isEqualTo(reading.reading());
    assertThat(back.reading().getMetadata().getEventId())
        .isEqualTo(reading.reading().getMetadata().getEventId());
  }

  @Test
  void shouldRoundTripNullsAndAnEmptyReading() throws Exception {
    ValidReading reading = valid("r2", "d2", -3, at(9));
    reading.alertAbove = null;
    reading.alertBelow = 4.0;

    assertThat(roundTrip(reading)).usingRecursiveComparison().isEqualTo(reading);
    assertThat(roundTrip(new ValidReading()))
        .usingRecursiveComparison()
        .isEqualTo(new ValidReading());
  }

  @Test
  void shouldCopyWithoutSharingTheEncodedBytes() {
    ValidReading reading = valid("r3", "d3", 1, at(1));

    ValidReading copy = ValidReadingSerializer.INSTANCE.copy(reading);

    assertThat(copy).usingRecursiveComparison().isEqualTo(reading);
    assertThat(copy.encoded).isNotSameAs(reading.encoded);
  }

  @Test
  void shouldRestoreItselfFromItsSnapshot() throws Exception {
    TypeSerializerSnapshot<ValidReading> snapshot =
        ValidReadingSerializer.INSTANCE.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);

    TypeSerializerSnapshot<ValidReading> read =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

    TypeSerializer<ValidReading> restored = read.restoreSerializer();
    assertThat(restored).isSameAs(ValidReadingSerializer.INSTANCE);
    assertThat(
            ValidReadingSerializer.INSTANCE
                .snapshotConfiguration()
                .resolveSchemaCompatibility(read)
                .isCompatibleAsIs())
        .isTrue();
  }

  private static ValidReading roundTrip(ValidReading reading) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(256);
    ValidReadingSerializer.INSTANCE.serialize(reading, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    ValidReading back = ValidReadingSerializer.INSTANCE.deserialize(in);
    assertThat(in.available()).isZero();
    return back;
  }
}
