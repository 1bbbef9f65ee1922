package org.edapipeline.bench.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What of a reading crosses the Kafka Streams repartition topic: its value and unit (device and
 * sensor are the key; the event time travels as the record's timestamp). Shipping the whole Avro
 * reading through the registry serde instead would cost Kafka Streams an encode and a decode per
 * reading that no user would pay.
 *
 * @param value the measured value
 * @param unit its unit
 */
record SensorValue(double value, String unit) {

  static Serde<SensorValue> serde() {
    Serializer<SensorValue> serializer =
        (topic, v) -> {
          if (v == null) {
            return null;
          }
          byte[] unit = v.unit().getBytes(StandardCharsets.UTF_8);
          return ByteBuffer.allocate(8 + unit.length).putDouble(v.value()).put(unit).array();
        };
    Deserializer<SensorValue> deserializer =
        (topic, bytes) ->
            bytes == null
                ? null
                : new SensorValue(
                    ByteBuffer.wrap(bytes).getDouble(),
                    new String(bytes, 8, bytes.length - 8, StandardCharsets.UTF_8));
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
