package org.edapipeline.bench.flink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireDeserializer;

/** Reads an output topic as the harness counts it: read_committed, from the beginning. */
final class CommittedOutput {

  private CommittedOutput() {}

  /**
   * Polls {@code topic} until {@code expected} records arrived or {@code deadline} passed, then for
   * {@code linger} more (so that extra records, e.g. duplicates, are seen too).
   */
  static <T> List<T> read(
      KafkaExtension kafka,
      String topic,
      Function<byte[], T> decode,
      int expected,
      Duration deadline,
      Duration linger) {
    Map<String, Object> config = kafka.clientConfig();
    config.put("isolation.level", "read_committed");
    config.put("auto.offset.reset", "earliest");
    config.put("group.id", "check-" + topic + "-" + System.nanoTime());
    List<T> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long end = System.nanoTime() + deadline.toNanos();
      long lingerEnd = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(end, lingerEnd)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          records.add(decode.apply(r.value()));
        }
        if (records.size() >= expected && lingerEnd == Long.MAX_VALUE) {
          lingerEnd = System.nanoTime() + linger.toNanos();
        }
      }
    }
    return records;
  }

  /** A decoder of one generated record class. */
  static <T extends SpecificRecord> Function<byte[], T> decoder(
      SchemaRegistryClient registry, Class<T> type) {
    AvroWireDeserializer<T> deserializer = AvroWireDeserializer.forSpecific(registry, type);
    return deserializer::decode;
  }

  /** A decoder of whatever generated class each record's writer schema names. */
  static Function<byte[], SpecificRecord> anyRecord(SchemaRegistryClient registry) {
    AvroWireDeserializer<SpecificRecord> deserializer =
        AvroWireDeserializer.forSpecificByWriterName(registry);
    return deserializer::decode;
  }
}
