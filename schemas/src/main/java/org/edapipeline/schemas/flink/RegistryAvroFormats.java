package org.edapipeline.schemas.flink;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;

/**
 * flink-avro (de)serialization schemas in Confluent's wire format, on our registry client: what
 * {@code ConfluentRegistryAvroDeserializationSchema} gives, without Confluent's artifacts.
 *
 * <pre>{@code
 * SchemaRegistryClientConfig registry = SchemaRegistryClientConfig.builder(url).build();
 * KafkaSource.<OrderPlaced>builder()
 *     .setValueOnlyDeserializer(RegistryAvroFormats.deserializer(OrderPlaced.class, registry))
 *     ...
 * }</pre>
 *
 * <p>Header and registry failures are {@link org.edapipeline.schemas.serde.WireFormatException}s; a
 * corrupt Avro body fails inside flink-avro with Avro's own exceptions. Where every failure must be
 * classified (dead-letter routing), decode with {@link
 * org.edapipeline.schemas.serde.AvroWireDeserializer#decode(byte[])} instead.
 */
public final class RegistryAvroFormats {
  private RegistryAvroFormats() {}

  /** Reads values into a generated class; writer schemas must be readable as it. */
  public static <T extends SpecificRecord> RegistryAvroDeserializationSchema<T> deserializer(
      Class<T> type, SchemaRegistryClientConfig config) {
    Schema reader = SpecificData.get().getSchema(type);
    return new RegistryAvroDeserializationSchema<>(
        type, null, RegistrySchemaCoderProvider.forReading(config, reader));
  }

  /** Reads values as generic records in {@code readerSchema}. */
  public static RegistryAvroDeserializationSchema<GenericRecord> genericDeserializer(
      Schema readerSchema, SchemaRegistryClientConfig config) {
    return new RegistryAvroDeserializationSchema<>(
        GenericRecord.class,
        readerSchema,
        RegistrySchemaCoderProvider.forReading(config, readerSchema));
  }

  /**
   * Writes a generated class under {@code subject}.
   *
   * @param autoRegister register the schema if needed, or require it to be registered already
   */
  public static <T extends SpecificRecord> RegistryAvroSerializationSchema<T> serializer(
      Class<T> type, String subject, SchemaRegistryClientConfig config, boolean autoRegister) {
    return RegistryAvroSerializationSchema.forSpecific(
        type, RegistrySchemaCoderProvider.forWriting(config, subject, autoRegister));
  }

  /** Writes generic records of {@code schema} under {@code subject}. */
  public static RegistryAvroSerializationSchema<GenericRecord> genericSerializer(
      Schema schema, String subject, SchemaRegistryClientConfig config, boolean autoRegister) {
    return RegistryAvroSerializationSchema.forGeneric(
        schema, RegistrySchemaCoderProvider.forWriting(config, subject, autoRegister));
  }
}
