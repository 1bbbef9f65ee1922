package org.edapipeline.jobs.common;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.edapipeline.schemas.deadletter.ErrorClassifier;

/**
 * The decode step of every source: turns each consumed record into a {@link Sourced} holding either
 * the typed event or a dead letter. It never throws, so a bad record can never put the job into a
 * restart loop. Failures are counted in the source's {@value #INVALID_RECORDS_METRIC} metric and
 * categorized by {@link ErrorClassifier#classifyDecoding}; a TRANSIENT one (registry unreachable)
 * is retried by the retry stage that {@link KafkaSources} adds after the source.
 *
 * <p>A record without a key is rejected ({@link #MISSING_KEY}, PERMANENT). Values are decoded by a
 * {@link RecordDecoder} (Confluent wire format, writer schema from the registry, cached), then
 * passed through an adapter that turns the decoded record into the job's event type; an adapter
 * that throws dead-letters the record too: as PERMANENT when it throws a {@link
 * RecordRejectedException} (e.g. a record type the job does not take from that topic), as POISON
 * otherwise.
 *
 * @param <T> the event type
 */
public final class DecodingDeserializationSchema<T>
    implements KafkaRecordDeserializationSchema<Sourced<T>> {
  private static final long serialVersionUID = 1L;

  /**
   * Reason of a record without a key: every input of the pipeline is keyed by its aggregate id
   * (which orders an aggregate's events), so a record without one did not come from a producer of
   * the catalogue.
   */
  public static final String MISSING_KEY = "MISSING_KEY";

  /** Name of the counter of records that could not be decoded. */
  public static final String INVALID_RECORDS_METRIC = "numInvalidRecords";

  private final RecordDecoder<T> decoder;
  private final TypeInformation<T> eventType;
  private final String jobName;
  private final String operatorUid;

  private transient Counter invalidRecords;

  private DecodingDeserializationSchema(
      RecordDecoder<T> decoder, TypeInformation<T> eventType, String jobName, String operatorUid) {
    this.decoder = decoder;
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
    return of(RecordDecoder.forRecord(type, config), typeInfo, config, operatorUid);
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
    return of(RecordDecoder.forRecordTypes(adapter, config), typeInfo, config, operatorUid);
  }

  /** Decodes with {@code decoder} (the same one the retry stage uses). */
  public static <T> DecodingDeserializationSchema<T> of(
      RecordDecoder<T> decoder, TypeInformation<T> typeInfo, JobConfig config, String operatorUid) {
    return new DecodingDeserializationSchema<>(decoder, typeInfo, config.jobName(), operatorUid);
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    decoder.open();
    invalidRecords = context.getMetricGroup().counter(INVALID_RECORDS_METRIC);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Sourced<T>> out) {
    RawRecord origin = RawRecord.of(record);
    T event;
    try {
      if (record.key() == null || record.key().length == 0) {
        throw new RecordRejectedException(
            MISSING_KEY, "the record has no key; producers key every event by its aggregate id");
      }
      event = decoder.decode(record.value());
    } catch (RuntimeException e) {
      invalidRecords.inc();
      // A TRANSIENT letter is the first failed attempt: a retry stage (KafkaSources.split with a
      // decoder) tries again with backoff; without one it goes to the DLQ as it is.
      out.collect(
          Sourced.failed(
              origin,
              origin
                  .deadLetter()
                  .failedIn(jobName, operatorUid)
                  .error(e)
                  .category(ErrorClassifier.classifyDecoding(e))
                  .build()));
      return;
    }
    out.collect(Sourced.of(origin, event));
  }

  @Override
  public TypeInformation<Sourced<T>> getProducedType() {
    return Sourced.typeInfo(eventType);
  }
}
