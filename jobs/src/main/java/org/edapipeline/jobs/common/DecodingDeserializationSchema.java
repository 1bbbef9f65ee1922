package org.edapipeline.jobs.common;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireDeserializer;

/**
 * The decode step of every source: turns each consumed record into a {@link Sourced} holding either
 * the typed event or a dead letter. It never throws, so a bad record can never put the job into a
 * restart loop. Failures are counted in the source's {@value #INVALID_RECORDS_METRIC} metric and
 * categorized as the serdes document them ({@link DeadLetters#decodingCategory}).
 *
 * <p>Values are decoded with {@link AvroWireDeserializer#decode(byte[])} (Confluent wire format,
 * writer schema from the registry, cached), then passed through an adapter that turns the decoded
 * record into the job's event type; an adapter that throws (e.g. a record type the job does not
 * expect on that topic) dead-letters the record too.
 *
 * @param <T> the event type
 */
public final class DecodingDeserializationSchema<T>
    implements KafkaRecordDeserializationSchema<Sourced<T>> {
  private static final long serialVersionUID = 1L;

  /** Name of the counter of records that could not be decoded. */
  public static final String INVALID_RECORDS_METRIC = "numInvalidRecords";

  private final SchemaRegistryClientConfig registry;
  private final Class<? extends SpecificRecord> readerType;
  private final SerializableFunction<SpecificRecord, T> adapter;
  private final TypeInformation<T> eventType;
  private final String jobName;
  private final String operatorUid;

  private transient AvroWireDeserializer<? extends SpecificRecord> decoder;
  private transient Counter invalidRecords;

  private DecodingDeserializationSchema(
      SchemaRegistryClientConfig registry,
      Class<? extends SpecificRecord> readerType,
      SerializableFunction<SpecificRecord, T> adapter,
      TypeInformation<T> eventType,
      String jobName,
      String operatorUid) {
    this.registry = registry;
    this.readerType = readerType;
    this.adapter = adapter;
    this.eventType = eventType;
    this.jobName = jobName;
    this.operatorUid = operatorUid;
  }

  /**
   * Decodes into one generated class (the topic carries one record type).
   *
   * @param operatorUid uid of the source operator, recorded in dead letters
   */
  public static <T extends SpecificRecord> DecodingDeserializationSchema<T> forRecord(
      Class<T> type, TypeInformation<T> typeInfo, JobConfig config, String operatorUid) {
    return new DecodingDeserializationSchema<>(
        config.registry(), type, type::cast, typeInfo, config.jobName(), operatorUid);
  }

  /**
   * Decodes into the generated class named like each writer schema (the topic carries several
   * record types), then adapts it to {@code T}.
   *
   * @param adapter maps each decoded record to the event type; may throw to reject a record
   */
  public static <T> DecodingDeserializationSchema<T> forRecordTypes(
      TypeInformation<T> typeInfo,
      SerializableFunction<SpecificRecord, T> adapter,
      JobConfig config,
      String operatorUid) {
    return new DecodingDeserializationSchema<>(
        config.registry(), null, adapter, typeInfo, config.jobName(), operatorUid);
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry);
    decoder =
        readerType == null
            ? AvroWireDeserializer.forSpecificByWriterName(client)
            : AvroWireDeserializer.forSpecific(client, readerType);
    invalidRecords = context.getMetricGroup().counter(INVALID_RECORDS_METRIC);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Sourced<T>> out) {
    RawRecord origin = RawRecord.of(record);
    T event;
    try {
      event = adapter.apply(decoder.decode(record.value()));
    } catch (RuntimeException e) {
      invalidRecords.inc();
      ErrorCategory category = DeadLetters.decodingCategory(e);
      // A transient failure comes after the registry client's own retries with backoff.
      int attempts = category == ErrorCategory.TRANSIENT ? registry.maxRetries() + 1 : 1;
      out.collect(
          Sourced.failed(
              origin,
              DeadLetters.of(origin, jobName, operatorUid, category, e, null, null, attempts)));
      return;
    }
    out.collect(Sourced.of(origin, event));
  }

  @Override
  public TypeInformation<Sourced<T>> getProducedType() {
    return Sourced.typeInfo(eventType);
  }
}
