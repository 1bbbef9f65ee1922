package org.edapipeline.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Serializer;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;

/**
 * Writes Avro records (generated classes or {@link org.apache.avro.generic.GenericRecord}s) in
 * Confluent's wire format ({@link WireFormat}), registering (or, with auto-registration off, only
 * looking up) the record's schema under the subject its {@link SubjectNameStrategy} names.
 *
 * <p>Schema ids are cached per topic and schema, and datum writers per schema, so a record costs a
 * map lookup and the encoding. Thread-safe, as {@code KafkaProducer} requires.
 *
 * <p>Failures are {@link WireFormatException}s: {@link SchemaRegistryUnreachableException}
 * (transient), {@link SchemaRegistryRejectedException} (incompatible, not registered, auth), {@link
 * RecordEncodingException}. A null value gives null (a tombstone).
 *
 * <p>Kafka configuration (when created by class name): the client keys of {@link
 * SchemaRegistryClientConfig}, {@link AvroSerdeConfig#AUTO_REGISTER_SCHEMAS} and {@link
 * AvroSerdeConfig#VALUE_SUBJECT_NAME_STRATEGY} / {@link AvroSerdeConfig#KEY_SUBJECT_NAME_STRATEGY}.
 *
 * @param <T> the record type
 */
public final class AvroWireSerializer<T> implements Serializer<T> {

  private SchemaRegistryClient client;
  private SchemaResolver resolver;
  private boolean ownsClient;
  private SubjectNameStrategy strategy;
  private boolean autoRegister;
  private boolean isKey;

  private final Map<String, Map<Schema, Integer>> idsByTopic = new ConcurrentHashMap<>();
  private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

  /** For Kafka, which creates it by class name and then calls {@link #configure}. */
  public AvroWireSerializer() {}

  private AvroWireSerializer(Builder builder) {
    this.client = builder.client;
    this.resolver = new SchemaResolver(builder.client);
    this.strategy = builder.strategy;
    this.autoRegister = builder.autoRegister;
    this.isKey = builder.isKey;
  }

  /**
   * A builder for a value serializer with {@link TopicNameStrategy} and auto-registration on.
   *
   * @param client not closed by {@link #close()}
   */
  public static Builder builder(SchemaRegistryClient client) {
    return new Builder(client);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (client != null) {
      return; // built programmatically: already configured
    }
    this.isKey = isKey;
    this.strategy = AvroSerdeConfig.strategy(configs, isKey);
    this.autoRegister = AvroSerdeConfig.bool(configs, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, true);
    this.client = new RestSchemaRegistryClient(SchemaRegistryClientConfig.fromMap(configs));
    this.resolver = new SchemaResolver(client);
    this.ownsClient = true;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    if (client == null) {
      throw new IllegalStateException("Not configured: call configure() or use builder()");
    }
    if (!(data instanceof GenericContainer container)) {
      throw new RecordEncodingException(
          "Only Avro records can be serialized, not " + data.getClass().getName(), null);
    }
    Schema schema = container.getSchema();
    int id = schemaId(topic, schema);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    WireFormat.writeHeader(id, out);
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer(schema, data).write(data, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new RecordEncodingException(
          "Could not encode a " + schema.getFullName() + " for topic " + topic + ": " + e, e);
    }
    return out.toByteArray();
  }

  private int schemaId(String topic, Schema schema) {
    // Lookups allocate nothing: the lambda captures nothing, the Schema caches its hash code.
    Map<Schema, Integer> ids = idsByTopic.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
    Integer id = ids.get(schema);
    if (id == null) {
      id = fetchId(topic, schema);
      ids.put(schema, id);
    }
    return id;
  }

  private int fetchId(String topic, Schema schema) {
    return resolver.schemaId(strategy.subjectName(topic, isKey, schema), schema, autoRegister);
  }

  private DatumWriter<Object> writer(Schema schema, Object data) {
    DatumWriter<Object> writer = writers.get(schema);
    if (writer == null) {
      // A generated class brings its own model, with its logical-type conversions.
      writer =
          data instanceof SpecificRecordBase record
              ? new SpecificDatumWriter<>(schema, record.getSpecificData())
              : new GenericDatumWriter<>(schema, GenericData.get());
      writers.putIfAbsent(schema, writer);
    }
    return writer;
  }

  /** Closes the registry client if this serializer created it. */
  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }

  /** Builds an {@link AvroWireSerializer}. */
  public static final class Builder {
    private final SchemaRegistryClient client;
    private SubjectNameStrategy strategy = new TopicNameStrategy();
    private boolean autoRegister = true;
    private boolean isKey;

    private Builder(SchemaRegistryClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /** The subject strategy; default {@link TopicNameStrategy}. */
    public Builder subjectNameStrategy(SubjectNameStrategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /**
     * Whether unknown schemas are registered (default) or must already be registered. Off in
     * production, where schemas are registered by the build, not by producers.
     */
    public Builder autoRegister(boolean autoRegister) {
      this.autoRegister = autoRegister;
      return this;
    }

    /** Serializes record keys: subjects end in {@code -key} with {@link TopicNameStrategy}. */
    public Builder forKeys() {
      this.isKey = true;
      return this;
    }

    public <T> AvroWireSerializer<T> build() {
      return new AvroWireSerializer<>(this);
    }
  }
}
