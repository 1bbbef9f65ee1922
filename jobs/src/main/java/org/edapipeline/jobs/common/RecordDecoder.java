package org.edapipeline.jobs.common;

import java.io.Serializable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.function.SerializableFunction;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireDeserializer;

/**
 * Decodes a record's value bytes into a job's event type: {@link AvroWireDeserializer#decode} (the
 * Confluent wire format, writer schema from the registry, cached), then an adapter. Serializable
 * description, opened once per subtask; shared by the source's decode step ({@link
 * DecodingDeserializationSchema}) and the retry stage ({@link DecodeRetryFunction}), so both decode
 * the same way.
 *
 * @param <T> the event type
 */
public final class RecordDecoder<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final SchemaRegistryClientConfig registry;
  private final Class<? extends SpecificRecord> readerType;
  private final SerializableFunction<SpecificRecord, T> adapter;

  private transient AvroWireDeserializer<? extends SpecificRecord> decoder;

  private RecordDecoder(
      SchemaRegistryClientConfig registry,
      Class<? extends SpecificRecord> readerType,
      SerializableFunction<SpecificRecord, T> adapter) {
    this.registry = registry;
    this.readerType = readerType;
    this.adapter = adapter;
  }

  /** Decodes into one generated class (the topic carries one record type). */
  public static <T extends SpecificRecord> RecordDecoder<T> forRecord(
      Class<T> type, JobConfig config) {
    return new RecordDecoder<>(config.registry(), type, type::cast);
  }

  /**
   * Decodes into the generated class named like each writer schema, then adapts it to {@code T}.
   *
   * @param adapter may throw a {@link RecordRejectedException} to reject a record
   */
  public static <T> RecordDecoder<T> forRecordTypes(
      SerializableFunction<SpecificRecord, T> adapter, JobConfig config) {
    return new RecordDecoder<>(config.registry(), null, adapter);
  }

  /** Creates the registry client and the deserializer; call once before {@link #decode}. */
  public void open() {
    RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry);
    decoder =
        readerType == null
            ? AvroWireDeserializer.forSpecificByWriterName(client)
            : AvroWireDeserializer.forSpecific(client, readerType);
  }

  /**
   * The event of {@code value}.
   *
   * @throws RuntimeException a {@code WireFormatException} (classified by {@code ErrorClassifier}),
   *     a {@link RecordRejectedException}, or whatever the adapter threw
   */
  public T decode(byte[] value) {
    if (decoder == null) {
      throw new IllegalStateException("RecordDecoder used before open()");
    }
    return adapter.apply(decoder.decode(value));
  }
}
