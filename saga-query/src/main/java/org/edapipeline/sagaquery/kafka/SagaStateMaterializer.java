package org.edapipeline.sagaquery.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.sagaquery.view.SagaView;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.serde.FailureCategory;
import org.edapipeline.schemas.serde.WireFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link SagaView} up to date with the compacted {@code saga.state} topic, on its own
 * thread.
 *
 * <p><b>Restart: rebuild from the topic.</b> On start it reads every partition from the beginning
 * (no consumer group, no stored offsets): compaction keeps the latest record of every order, so the
 * rebuild reads about one record per saga, and nothing local can be stale or lost. It is {@link
 * #ready()} once it has reached the end offsets it saw at start.
 *
 * <p><b>Only committed state.</b> It reads with {@code isolation.level=read_committed}, like every
 * consumer of the job's exactly-once outputs, so a status change of a checkpoint that failed is
 * never shown. It polls every {@value #POLL_MILLIS} ms with the broker answering within as long, so
 * a committed change is visible within a fraction of the job's checkpoint interval.
 *
 * <p><b>Bad records never stop it.</b> A record that cannot be decoded is logged, counted in {@link
 * #skippedRecords()}, and skipped: the saga keeps its previous state. A record the registry could
 * not be asked about (unreachable after the client's retries) is read again, never skipped. A
 * tombstone removes the order. Any other failure (Kafka unreachable for good, the topic missing)
 * ends the thread and is reported by {@link #failure()}, so the service's health says DOWN.
 */
public final class SagaStateMaterializer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SagaStateMaterializer.class);

  /** Poll timeout, and the broker's longest wait for data ({@code fetch.max.wait.ms}). */
  static final long POLL_MILLIS = 100;

  private final Properties kafka;
  private final SchemaRegistryClient registry;
  private final SagaView view;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicLong skipped = new AtomicLong();

  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean ready;
  private volatile boolean closing;
  private volatile Throwable failure;

  /**
   * Creates a materializer; {@link #start()} starts it.
   *
   * @param kafka Kafka client properties, {@code bootstrap.servers} included (security settings
   *     too); the consumer's own settings are set here
   * @param registry registry client, owned and closed by this materializer
   */
  public SagaStateMaterializer(Properties kafka, RestSchemaRegistryClient registry, SagaView view) {
    this.kafka = new Properties();
    this.kafka.putAll(kafka);
    this.kafka.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.kafka.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    this.kafka.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Long.toString(POLL_MILLIS));
    this.kafka.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "saga-query");
    this.registry = registry;
    this.view = view;
    this.thread = new Thread(this::run, "saga-state-materializer");
    this.thread.setDaemon(true);
  }

  /** Starts reading the topic from its beginning. */
  public SagaStateMaterializer start() {
    thread.start();
    return this;
  }

  /** Whether the view has caught up with the topic as it was at start. */
  public boolean ready() {
    return ready && failure == null;
  }

  /** Why the materializer stopped, or null while it runs. */
  public Throwable failure() {
    return failure;
  }

  /** Records skipped because they could not be decoded. */
  public long skippedRecords() {
    return skipped.get();
  }

  private void run() {
    AvroWireDeserializer<SagaStateChanged> decoder =
        AvroWireDeserializer.forSpecific(registry, SagaStateChanged.class);
    try (KafkaConsumer<byte[], byte[]> kafkaConsumer =
        new KafkaConsumer<>(kafka, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer = kafkaConsumer;
      if (closing) {
        return;
      }
      List<TopicPartition> partitions = partitions(kafkaConsumer);
      kafkaConsumer.assign(partitions);
      kafkaConsumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> catchUpTo = new HashMap<>(kafkaConsumer.endOffsets(partitions));
      LOG.info("Rebuilding the saga view from {} up to {}", partitions, catchUpTo);
      while (!closing) {
        Set<TopicPartition> retry = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record :
            kafkaConsumer.poll(Duration.ofMillis(POLL_MILLIS))) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          if (!retry.contains(partition) && !apply(record, decoder)) {
            // Registry unreachable (after the client's own retries): read it again next time.
            kafkaConsumer.seek(partition, record.offset());
            retry.add(partition);
          }
        }
        if (!ready) {
          catchUpTo.entrySet().removeIf(e -> kafkaConsumer.position(e.getKey()) >= e.getValue());
          if (catchUpTo.isEmpty()) {
            ready = true;
            LOG.info("Saga view rebuilt: {} sagas", view.size());
          }
        }
      }
    } catch (WakeupException e) {
      if (!closing) {
        failure = e;
      }
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("The saga view stopped following {}", Topics.SAGA_STATE, e);
    } finally {
      registry.close();
      stopped.countDown();
    }
  }

  private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
    List<PartitionInfo> infos = consumer.partitionsFor(Topics.SAGA_STATE.name());
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("Topic " + Topics.SAGA_STATE + " does not exist");
    }
    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
  }

  /**
   * Applies one record to the view.
   *
   * @return false if it could not be decoded for a transient reason and must be read again
   */
  private boolean apply(
      ConsumerRecord<byte[], byte[]> record, AvroWireDeserializer<SagaStateChanged> decoder) {
    if (record.value() == null) {
      if (record.key() != null) {
        view.remove(new String(record.key(), StandardCharsets.UTF_8));
      }
      return true;
    }
    try {
      view.apply(decoder.decode(record.value()));
      return true;
    } catch (WireFormatException e) {
      if (e.category() == FailureCategory.TRANSIENT) {
        LOG.warn(
            "Will read {}-{}@{} again: {}",
            record.topic(),
            record.partition(),
            record.offset(),
            e.getMessage());
        return false;
      }
      skipped.incrementAndGet();
      LOG.warn(
          "Skipped {}-{}@{}: {} ({})",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage(),
          e.category());
      return true;
    }
  }

  /** Stops the thread and waits for it (and its consumer) to finish. */
  @Override
  public void close() {
    closing = true;
    KafkaConsumer<byte[], byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    try {
      if (thread.isAlive() && !stopped.await(30, TimeUnit.SECONDS)) {
        LOG.warn("The saga view's consumer did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
