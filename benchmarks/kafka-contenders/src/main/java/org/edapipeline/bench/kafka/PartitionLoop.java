package org.edapipeline.bench.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.serde.WireFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One input partition of the plain loop, on its own thread: poll, decode, aggregate ({@link
 * TumblingWindows}), send the windows the partition's watermark closed, and every commit interval
 * flush the producer and commit the offsets below every still-open window (at-least-once: a
 * reading's offset is committed only after the window it fed was acknowledged by the broker).
 */
final class PartitionLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(PartitionLoop.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final KafkaConsumer<String, byte[]> consumer;
  private final TopicPartition partition;
  private final AvroWireDeserializer<SensorReadingRecorded> decoder;
  private final Producer<String, WindowAggregate> producer;
  private final String outputTopic;
  private final TumblingWindows windows;
  private final long commitIntervalMillis;
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
  private final AtomicLong skipped;
  private final AtomicLong late;
  private volatile boolean running = true;

  PartitionLoop(
      KafkaConsumer<String, byte[]> consumer,
      TopicPartition partition,
      AvroWireDeserializer<SensorReadingRecorded> decoder,
      Producer<String, WindowAggregate> producer,
      String outputTopic,
      TumblingWindows windows,
      Duration commitInterval,
      AtomicLong skipped,
      AtomicLong late) {
    this.consumer = consumer;
    this.partition = partition;
    this.decoder = decoder;
    this.producer = producer;
    this.outputTopic = outputTopic;
    this.windows = windows;
    this.commitIntervalMillis = commitInterval.toMillis();
    this.skipped = skipped;
    this.late = late;
  }

  @Override
  public void run() {
    try (consumer) {
      consumer.assign(List.of(partition));
      long lastCommit = System.currentTimeMillis();
      boolean dirty = false;
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL).records(partition)) {
          aggregate(record);
          dirty = true;
        }
        windows.emitClosed(
            aggregate ->
                producer.send(
                    new ProducerRecord<>(outputTopic, aggregate.getDeviceId(), aggregate),
                    (metadata, e) -> {
                      if (e != null) {
                        sendFailure.compareAndSet(null, e);
                      }
                    }));
        long now = System.currentTimeMillis();
        if (dirty && now - lastCommit >= commitIntervalMillis) {
          commit(); // only when something was read: an idle partition costs a poll, no commit
          lastCommit = now;
          dirty = false;
        }
      }
    } catch (WakeupException e) {
      // close() woke the poll up: stop without committing what is not acknowledged.
    } catch (RuntimeException e) {
      LOG.error("partition {} stopped", partition, e);
      System.err.println("plain loop on " + partition + " failed: " + e);
    }
  }

  private void aggregate(ConsumerRecord<String, byte[]> record) {
    SensorReadingRecorded reading;
    try {
      reading = decoder.decode(record.value());
    } catch (WireFormatException e) {
      skipped.incrementAndGet();
      LOG.warn("skipped undecodable record {}@{}: {}", partition, record.offset(), e.getMessage());
      return;
    }
    if (!windows.add(
        reading.getDeviceId(),
        reading.getSensorType(),
        reading.getUnit(),
        reading.getValue(),
        reading.getMeasuredAt().toEpochMilli(),
        record.offset())) {
      late.incrementAndGet();
    }
  }

  /** Waits for every send so far, then commits what no open window still needs. */
  private void commit() {
    producer.flush();
    Exception failure = sendFailure.get();
    if (failure != null) {
      throw new IllegalStateException(
          "a window could not be written; offsets not committed", failure);
    }
    long position = consumer.position(partition);
    consumer.commitSync(
        Map.of(partition, new OffsetAndMetadata(windows.committableOffset(position))));
  }

  /** Stops the loop (from another thread). */
  void stop() {
    running = false;
    consumer.wakeup();
  }
}
