package org.edapipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.junit.jupiter.api.Test;

/**
 * Flink treats every generated record as an Avro type and serializes it with {@link
 * AvroSerializer}, UUID and Instant fields included, with generic types (Kryo) disabled as the jobs
 * run.
 */
class FlinkAvroTypesTest {

  @Test
  void shouldSerializeEveryRecordWithFlinksAvroSerializerWithoutKryo() throws IOException {
    SerializerConfigImpl config = new SerializerConfigImpl();
    config.setGenericTypes(false);

    for (SpecificRecord record : SampleEvents.all()) {
      TypeInformation<SpecificRecord> type = typeOf(record);
      assertThat(type).as(record.getClass().getName()).isInstanceOf(AvroTypeInfo.class);

      TypeSerializer<SpecificRecord> serializer = type.createSerializer(config);
      assertThat(serializer).isInstanceOf(AvroSerializer.class);

      DataOutputSerializer out = new DataOutputSerializer(256);
      serializer.serialize(record, out);
      SpecificRecord read =
          serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

      assertThat(read).as(record.getClass().getName()).isEqualTo(record);
      assertThat(serializer.copy(record)).isEqualTo(record).isNotSameAs(record);
    }
  }

  @SuppressWarnings("unchecked")
  private static TypeInformation<SpecificRecord> typeOf(SpecificRecord record) {
    return (TypeInformation<SpecificRecord>) TypeExtractor.createTypeInfo(record.getClass());
  }
}
