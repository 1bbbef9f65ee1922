package org.edapipeline.schemas.serde;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;

/**
 * Reads values in Confluent's wire format ({@link WireFormat}): resolves the writer schema by the
 * id in the header through the registry (cached) and decodes the Avro body into a generated class
 * or a {@link GenericRecord}.
 *
 * <p><b>Failures.</b> A malformed value never escapes as an unexpected exception: every failure is
 * one of the {@link WireFormatException} subclasses listed there, each with a {@link
 * FailureCategory} for dead-letter routing. {@link #deserialize(String, byte[])} follows Kafka's
 * convention and returns null for a null value (a tombstone); {@link #decode(byte[])} treats it as
 * a {@link MissingPayloadException}.
 *
 * <p><b>Per record</b> nothing is parsed or created: a {@link DatumReader} is made once per schema
 * id (and the compatibility of writer and reader checked then), the last one used is kept at hand,
 * and the {@link BinaryDecoder} is reused. That reuse makes an instance single-threaded, like the
 * {@code KafkaConsumer} or Flink subtask that owns it; the registry client may be shared.
 *
 * <p>Kafka configuration (when created by class name): the client keys of {@link
 * SchemaRegistryClientConfig}, and {@link AvroSerdeConfig#SPECIFIC_AVRO_READER}, {@link
 * AvroSerdeConfig#SPECIFIC_AVRO_VALUE_TYPE} / {@link AvroSerdeConfig#SPECIFIC_AVRO_KEY_TYPE}.
 *
 * @param <T> the type read: a generated class, {@link SpecificRecord} or {@link GenericRecord}
 */
public final class AvroWireDeserializer<T> implements Deserializer<T> {

  private SchemaRegistryClient client;
  private SchemaResolver resolver;
  private boolean ownsClient;
  private DatumReaderFactory<T> readers;

  private final Map<Integer, Resolved<T>> resolvedById = new HashMap<>();
  private Resolved<T> last;
  private BinaryDecoder decoder;

  /** What a schema id resolves to: a reader, or why there is none (cached: ids never change). */
  private record Resolved<T>(int id, DatumReader<T> reader, SchemaMismatchException mismatch) {}

  /** For Kafka, which creates it by class name and then calls {@link #configure}. */
  public AvroWireDeserializer() {}

  private AvroWireDeserializer(SchemaRegistryClient client, DatumReaderFactory<T> readers) {
    this.client = Objects.requireNonNull(client, "client");
    this.resolver = new SchemaResolver(client);
    this.readers = readers;
  }

  /**
   * Reads into a generated class; writers of other schemas are read if compatible with it.
   *
   * @param client not closed by {@link #close()}
   */
  public static <T extends SpecificRecord> AvroWireDeserializer<T> forSpecific(
      SchemaRegistryClient client, Class<T> type) {
    return new AvroWireDeserializer<>(client, DatumReaderFactory.specific(type));
  }

  /**
   * Reads into the generated class named like each writer schema: for topics carrying several event
   * types.
   */
  public static AvroWireDeserializer<SpecificRecord> forSpecificByWriterName(
      SchemaRegistryClient client) {
    return new AvroWireDeserializer<>(client, DatumReaderFactory.specificByWriterName());
  }

  /** Reads {@link GenericRecord}s in the writer's own schema. */
  public static AvroWireDeserializer<GenericRecord> forGeneric(SchemaRegistryClient client) {
    return new AvroWireDeserializer<>(client, DatumReaderFactory.generic(null));
  }

  /** Reads {@link GenericRecord}s in {@code readerSchema}, resolving each writer schema to it. */
  public static AvroWireDeserializer<GenericRecord> forGeneric(
      SchemaRegistryClient client, Schema readerSchema) {
    return new AvroWireDeserializer<>(
        client, DatumReaderFactory.generic(Objects.requireNonNull(readerSchema)));
  }

  @Override
  @SuppressWarnings("unchecked")
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (client != null) {
      return; // built programmatically: already configured
    }
    Class<?> type = AvroSerdeConfig.specificType(configs, isKey);
    if (type != null) {
      readers = (DatumReaderFactory<T>) DatumReaderFactory.specific(type);
    } else if (AvroSerdeConfig.bool(configs, AvroSerdeConfig.SPECIFIC_AVRO_READER, false)) {
      readers = DatumReaderFactory.specificByWriterName();
    } else {
      readers = DatumReaderFactory.generic(null);
    }
    client = new RestSchemaRegistryClient(SchemaRegistryClientConfig.fromMap(configs));
    resolver = new SchemaResolver(client);
    ownsClient = true;
  }

  /**
   * Kafka's entry point: like {@link #decode(byte[])}, except that a null value (a tombstone) gives
   * null.
   */
  @Override
  public T deserialize(String topic, byte[] data) {
    return data == null ? null : decode(data);
  }

  /**
   * Decodes one framed value.
   *
   * @throws WireFormatException (one of its documented subclasses) for any bad input or registry
   *     failure; never anything else
   */
  public T decode(byte[] data) {
    if (readers == null) {
      throw new IllegalStateException("Not configured: call configure() or use a factory method");
    }
    int id = WireFormat.schemaId(data);
    DatumReader<T> reader = reader(id);
    try {
      decoder =
          DecoderFactory.get()
              .binaryDecoder(
                  data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, decoder);
      T value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new CorruptPayloadException(
            "Avro body for schema id " + id + " has unread bytes after the record", null);
      }
      return value;
    } catch (IOException | RuntimeException e) {
      if (e instanceof WireFormatException w) {
        throw w;
      }
      // EOFException: truncated; AvroRuntimeException, IndexOutOfBounds, NegativeArraySize...:
      // bytes that are not a value of the writer schema.
      throw new CorruptPayloadException(
          "Avro body for schema id " + id + " is truncated or corrupt: " + describe(e), e);
    }
  }

  private DatumReader<T> reader(int id) {
    Resolved<T> resolved = last;
    if (resolved == null || resolved.id() != id) {
      resolved = resolvedById.get(id);
      if (resolved == null) {
        resolved = resolve(id);
        resolvedById.put(id, resolved);
      }
      last = resolved;
    }
    if (resolved.mismatch() != null) {
      throw new SchemaMismatchException(resolved.mismatch().getMessage(), null);
    }
    return resolved.reader();
  }

  /** Fetches the writer schema and creates the reader; registry failures are not cached. */
  private Resolved<T> resolve(int id) {
    Schema writer = resolver.writerSchema(id);
    try {
      return new Resolved<>(id, readers.create(writer, id), null);
    } catch (SchemaMismatchException e) {
      return new Resolved<>(id, null, e);
    } catch (RuntimeException e) {
      return new Resolved<>(
          id,
          null,
          new SchemaMismatchException(
              "No reader for schema id " + id + " (" + writer.getFullName() + "): " + describe(e),
              e));
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** Closes the registry client if this deserializer created it. */
  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }
}
