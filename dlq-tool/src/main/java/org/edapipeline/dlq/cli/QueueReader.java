package org.edapipeline.dlq.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.edapipeline.dlq.DlqException;
import org.edapipeline.dlq.kafka.DlqClientConfig;
import org.edapipeline.dlq.kafka.DlqTopic;
import org.edapipeline.dlq.read.DlqScanner;
import org.edapipeline.dlq.read.OffsetRange;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireDeserializer;

/** The clients {@code list} and {@code show} read a queue with, closed together. */
final class QueueReader implements AutoCloseable {

  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  final SchemaRegistryClient registry;
  private final AvroWireDeserializer<DeadLetter> decoder;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final DlqScanner scanner;

  QueueReader(DlqClientConfig config, String clientId) {
    this.registry = new RestSchemaRegistryClient(config.registry());
    this.decoder = AvroWireDeserializer.forSpecific(registry, DeadLetter.class);
    this.consumer = new KafkaConsumer<>(config.consumer(clientId, null));
    this.scanner = new DlqScanner(consumer, decoder, IDLE_TIMEOUT);
  }

  /** Visits every committed record of {@code dlq} from its start to its end now. */
  void readAll(DlqTopic dlq, DlqScanner.Visitor visitor) {
    Map<TopicPartition, Long> from = new HashMap<>();
    Map<TopicPartition, Long> until = new HashMap<>();
    scanner
        .bounds(dlq.name())
        .forEach(
            (tp, range) -> {
              from.put(tp, range.start());
              until.put(tp, range.end());
            });
    scanner.scan(from, until, visitor);
  }

  /**
   * Visits the one record at {@code partition:offset}.
   *
   * @throws DlqException if there is no committed record there
   */
  void readOne(DlqTopic dlq, int partition, long offset, DlqScanner.Visitor visitor) {
    TopicPartition tp = new TopicPartition(dlq.name(), partition);
    Map<TopicPartition, OffsetRange> bounds = scanner.bounds(dlq.name());
    OffsetRange range = bounds.get(tp);
    if (range == null) {
      throw new DlqException(dlq.name() + " has no partition " + partition);
    }
    if (offset < range.start() || offset >= range.end()) {
      throw new DlqException(
          "No record at "
              + partition
              + ":"
              + offset
              + " in "
              + dlq.name()
              + "; partition "
              + partition
              + " holds offsets ["
              + range.start()
              + ", "
              + range.end()
              + ")");
    }
    boolean[] found = {false};
    scanner.scan(
        Map.of(tp, offset),
        Map.of(tp, offset + 1),
        entry -> {
          found[0] = true;
          return visitor.visit(entry);
        });
    if (!found[0]) {
      throw new DlqException(
          "No committed record at "
              + partition
              + ":"
              + offset
              + " in "
              + dlq.name()
              + " (a transaction marker or an aborted record)");
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
    decoder.close();
    registry.close();
  }
}
