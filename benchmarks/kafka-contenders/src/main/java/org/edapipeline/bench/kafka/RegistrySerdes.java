package org.edapipeline.bench.kafka;

import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.serde.SubjectNameStrategy;
import org.edapipeline.schemas.serde.TopicNameStrategy;

/**
 * Kafka {@link Serde}s for Avro in Confluent's wire format, through the schema registry, built on
 * the {@code schemas} module's {@link AvroWireSerializer} and {@link AvroWireDeserializer} (the
 * same code our jobs decode and encode with). One registry client per contender, closed with it.
 *
 * <p>The deserializer reuses its decoder and so belongs to one thread; Kafka Streams shares a
 * source's deserializer between its stream threads, so {@link #specific} gives each thread its own
 * (a {@link ThreadLocal} lookup per record).
 */
public final class RegistrySerdes implements AutoCloseable {

  private final SchemaRegistryClient client;

  public RegistrySerdes(String registryUrl) {
    this.client =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(registryUrl).build());
  }

  /** Values of one generated class, per-thread deserializers; writes register their schema. */
  public <T extends SpecificRecord> Serde<T> specific(Class<T> type) {
    return Serdes.serdeFrom(
        serializer(new TopicNameStrategy()),
        perThread(() -> AvroWireDeserializer.forSpecific(client, type)));
  }

  /** Values of several event types on one topic, read into the writer's generated class. */
  public Serde<SpecificRecord> byWriterName(SubjectNameStrategy strategy) {
    return Serdes.serdeFrom(
        serializer(strategy),
        perThread(() -> AvroWireDeserializer.forSpecificByWriterName(client)));
  }

  /** A thread-safe serializer registering each schema under the strategy's subject. */
  public <T> AvroWireSerializer<T> serializer(SubjectNameStrategy strategy) {
    return AvroWireSerializer.builder(client).subjectNameStrategy(strategy).build();
  }

  /** A deserializer for one thread (the plain loop's partitions each have one). */
  public <T extends SpecificRecord> AvroWireDeserializer<T> deserializer(Class<T> type) {
    return AvroWireDeserializer.forSpecific(client, type);
  }

  private static <T> Deserializer<T> perThread(Supplier<AvroWireDeserializer<T>> factory) {
    ThreadLocal<AvroWireDeserializer<T>> local = ThreadLocal.withInitial(factory);
    return (topic, bytes) -> local.get().deserialize(topic, bytes);
  }

  @Override
  public void close() {
    client.close();
  }
}
