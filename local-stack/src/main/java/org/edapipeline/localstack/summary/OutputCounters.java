package org.edapipeline.localstack.summary;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.edapipeline.outputs.AlertType;
import org.edapipeline.outputs.IotAlert;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.serde.WireFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the jobs committed, as any downstream consumer sees it: one {@code read_committed}
 * consumer (no group) reads {@code saga.state}, {@code iot.aggregates}, {@code iot.alerts} and
 * {@code iot.late} from the beginning on its own thread. Every record of {@code saga.state} is one
 * status a saga entered, written exactly once, so counting records by status counts sagas.
 */
public final class OutputCounters implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutputCounters.class);

  /** What has been counted so far. */
  public record Counts(
      Map<SagaStatus, Long> sagaStatuses,
      long windows,
      long corrections,
      long thresholdAlerts,
      long silenceAlerts,
      long late,
      long undecodable) {

    public long sagas(SagaStatus status) {
      return sagaStatuses.getOrDefault(status, 0L);
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroWireDeserializer<SagaStateChanged> states;
  private final AvroWireDeserializer<WindowAggregate> aggregates;
  private final AvroWireDeserializer<IotAlert> alerts;
  private final Thread thread;

  private final EnumMap<SagaStatus, Long> sagaStatuses = new EnumMap<>(SagaStatus.class);
  private long windows;
  private long corrections;
  private long thresholdAlerts;
  private long silenceAlerts;
  private long late;
  private long undecodable;
  private volatile boolean running = true;

  /** Starts counting from the beginning of the output topics. */
  public OutputCounters(String bootstrapServers, SchemaRegistryClient registry) {
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "local-stack-summary",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    this.states = AvroWireDeserializer.forSpecific(registry, SagaStateChanged.class);
    this.aggregates = AvroWireDeserializer.forSpecific(registry, WindowAggregate.class);
    this.alerts = AvroWireDeserializer.forSpecific(registry, IotAlert.class);
    List<TopicPartition> partitions = new ArrayList<>();
    for (Topic<?, ?> topic :
        List.of(Topics.SAGA_STATE, Topics.IOT_AGGREGATES, Topics.IOT_ALERTS, Topics.IOT_LATE)) {
      for (PartitionInfo info : consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(info.topic(), info.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::run, "local-stack-output-counters");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          count(record);
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop.
    } catch (RuntimeException e) {
      LOG.warn("Output counters stopped: {}", e.toString());
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void count(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return; // a tombstone on the compacted saga.state
    }
    String topic = record.topic();
    try {
      if (topic.equals(Topics.SAGA_STATE.name())) {
        SagaStatus status = states.decode(record.value()).getStatus();
        synchronized (this) {
          sagaStatuses.merge(status, 1L, Long::sum);
        }
      } else if (topic.equals(Topics.IOT_AGGREGATES.name())) {
        boolean correction = aggregates.decode(record.value()).getIsCorrection();
        synchronized (this) {
          windows++;
          corrections += correction ? 1 : 0;
        }
      } else if (topic.equals(Topics.IOT_ALERTS.name())) {
        boolean silent = alerts.decode(record.value()).getAlertType() == AlertType.DEVICE_SILENT;
        synchronized (this) {
          silenceAlerts += silent ? 1 : 0;
          thresholdAlerts += silent ? 0 : 1;
        }
      } else {
        synchronized (this) {
          late++;
        }
      }
    } catch (WireFormatException e) {
      synchronized (this) {
        undecodable++;
      }
    }
  }

  /** The counts so far. */
  public synchronized Counts counts() {
    return new Counts(
        Map.copyOf(sagaStatuses),
        windows,
        corrections,
        thresholdAlerts,
        silenceAlerts,
        late,
        undecodable);
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
