package org.edapipeline.jobs.common;

import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.edapipeline.schemas.SubjectNaming;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.serde.SubjectNameStrategy;
import org.edapipeline.schemas.serde.TopicNameStrategy;
import org.edapipeline.schemas.serde.TopicRecordNameStrategy;

/**
 * Writes Avro records to Kafka in the Confluent wire format, under the subject the target topic's
 * {@link SubjectNaming} gives ({@code <topic>-value}, or {@code <topic>-<record name>} on a topic
 * carrying several record types), with the record's {@link OutputHeaders}. The registry client is
 * created in the task. A serialization failure (registry unreachable, schema not registered) fails
 * the task: outputs are never dropped, the job restarts from its checkpoint.
 *
 * <p>Records carry no timestamp of their own: the producer stamps them with the time they are
 * written. The Flink record's timestamp (its event time: a window's end, when a reading was
 * measured) is in the payload, and must not become the Kafka timestamp, because the broker's
 * time-based retention and segment rolling work on Kafka timestamps: the outputs of a replay or
 * backfill older than {@code retention.ms} would be deleted by the next retention pass (at most
 * {@code log.retention.check.interval.ms} later), committed or not.
 *
 * @param <T> the stream's element type
 */
final class AvroRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  private final SchemaRegistryClientConfig registry;
  private final boolean autoRegister;
  private final SubjectNameStrategy subjects;
  private final SerializableFunction<T, String> topic;
  private final SerializableFunction<T, byte[]> key;
  private final SerializableFunction<T, ? extends SpecificRecord> value;

  private transient AvroWireSerializer<SpecificRecord> serializer;

  AvroRecordSerializer(
      SchemaRegistryClientConfig registry,
      boolean autoRegister,
      SubjectNaming subjectNaming,
      SerializableFunction<T, String> topic,
      SerializableFunction<T, byte[]> key,
      SerializableFunction<T, ? extends SpecificRecord> value) {
    this.registry = registry;
    this.autoRegister = autoRegister;
    this.subjects =
        switch (subjectNaming) {
          case TOPIC_NAME -> new TopicNameStrategy();
          case TOPIC_RECORD_NAME -> new TopicRecordNameStrategy();
        };
    this.topic = topic;
    this.key = key;
    this.value = value;
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
            .subjectNameStrategy(subjects)
            .autoRegister(autoRegister)
            .build();
  }

  /** Ignores {@code timestamp} (the element's event time): see the class comment. */
  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T element, KafkaSinkContext context, Long timestamp) {
    String target = topic.apply(element);
    SpecificRecord record = value.apply(element);
    return new ProducerRecord<>(
        target,
        null,
        null,
        key.apply(element),
        serializer.serialize(target, record),
        OutputHeaders.of(record));
  }
}
