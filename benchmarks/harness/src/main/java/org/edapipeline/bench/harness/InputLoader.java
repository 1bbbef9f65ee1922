package org.edapipeline.bench.harness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.SubjectNaming;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.serde.TopicNameStrategy;
import org.edapipeline.schemas.serde.TopicRecordNameStrategy;

/**
 * Writes a suite's input once: Avro in the Confluent wire format through the registry (each topic's
 * subject naming from the {@code Topics} catalogue), key = the aggregate id, the metadata as the
 * outbox's headers, with an idempotent producer ({@code acks=all}); {@link #close} flushes and
 * fails if any send failed.
 */
public final class InputLoader implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroWireSerializer<SpecificRecord> byTopic;
  private final AvroWireSerializer<SpecificRecord> byTopicAndRecord;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private long sent;

  public InputLoader(String bootstrapServers, String registryUrl) {
    SchemaRegistryClient registry =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(registryUrl).build());
    this.byTopic =
        AvroWireSerializer.builder(registry)
            .subjectNameStrategy(new TopicNameStrategy())
            .autoRegister(true)
            .build();
    this.byTopicAndRecord =
        AvroWireSerializer.builder(registry)
            .subjectNameStrategy(new TopicRecordNameStrategy())
            .autoRegister(true)
            .build();
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG,
                "bench-input-loader",
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  /** The topics as the catalogue declares them, with {@code partitions} partitions each. */
  public static List<NewTopic> newTopics(Collection<? extends Topic<?, ?>> topics, int partitions) {
    List<NewTopic> result = new ArrayList<>();
    for (Topic<?, ?> topic : topics) {
      result.add(new NewTopic(topic.name(), partitions, (short) 1).configs(topic.config()));
    }
    return result;
  }

  /**
   * Sends one event to {@code partition} (null: Kafka's partitioner on the key) of {@code topic}.
   */
  public void send(
      Topic<?, ?> topic, Integer partition, String key, SpecificRecord value, EventMetadata meta) {
    Exception failed = failure.get();
    if (failed != null) {
      throw new IllegalStateException("loading " + topic.name() + " failed: " + failed, failed);
    }
    AvroWireSerializer<SpecificRecord> serializer =
        topic.subjectNaming() == SubjectNaming.TOPIC_NAME ? byTopic : byTopicAndRecord;
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            topic.name(),
            partition,
            key.getBytes(StandardCharsets.UTF_8),
            serializer.serialize(topic.name(), value));
    record.headers().add(EventHeaders.EVENT_ID, utf8(meta.getEventId().toString()));
    record.headers().add(EventHeaders.EVENT_TYPE, utf8(meta.getEventType()));
    record.headers().add(EventHeaders.AGGREGATE_TYPE, utf8(meta.getAggregateType()));
    record.headers().add(EventHeaders.CORRELATION_ID, utf8(meta.getCorrelationId()));
    if (meta.getTraceparent() != null) {
      record.headers().add(EventHeaders.TRACEPARENT, utf8(meta.getTraceparent()));
    }
    producer.send(
        record,
        (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
    sent++;
  }

  /** Events sent so far. */
  public long sent() {
    return sent;
  }

  /** Flushes; fails if any send failed. */
  public void flush() {
    producer.flush();
    Exception failed = failure.get();
    if (failed != null) {
      throw new IllegalStateException("loading the input failed: " + failed, failed);
    }
  }

  @Override
  public void close() {
    try {
      flush();
    } finally {
      producer.close();
      byTopic.close();
      byTopicAndRecord.close();
    }
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
