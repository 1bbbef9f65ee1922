package org.edapipeline.jobs.common;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireSerializer;

/**
 * Writes Avro records to Kafka in the Confluent wire format, with the subject {@code <topic>-value}
 * (every output topic of the catalogue carries one record type). The registry client is created in
 * the task. A serialization failure (registry unreachable, schema not registered) fails the task:
 * outputs are never dropped, the job restarts from its checkpoint.
 *
 * @param <T> the record type
 */
final class AvroRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  private final SchemaRegistryClientConfig registry;
  private final boolean autoRegister;
  private final SerializableFunction<T, String> topic;
  private final SerializableFunction<T, byte[]> key;

  private transient AvroWireSerializer<T> serializer;

  AvroRecordSerializer(
      SchemaRegistryClientConfig registry,
      boolean autoRegister,
      SerializableFunction<T, String> topic,
      SerializableFunction<T, byte[]> key) {
    this.registry = registry;
    this.autoRegister = autoRegister;
    this.topic = topic;
    this.key = key;
  }

  /** UTF-8 bytes of a string key (the aggregate id), null for null. */
  static byte[] utf8(String key) {
    return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void open(
      SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
    serializer =
        AvroWireSerializer.builder(new RestSchemaRegistryClient(registry))
            .autoRegister(autoRegister)
            .build();
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T element, KafkaSinkContext context, Long timestamp) {
    String target = topic.apply(element);
    return new ProducerRecord<>(
        target, null, timestamp, key.apply(element), serializer.serialize(target, element));
  }
}
