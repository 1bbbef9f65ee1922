package org.edapipeline.faults;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.edapipeline.faults.Workload.Produced;
import org.edapipeline.faults.Workload.ServiceTransaction;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.serde.TopicNameStrategy;
import org.edapipeline.schemas.serde.TopicRecordNameStrategy;
import org.edapipeline.service.outbox.OutboxWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link Workload} into the pipeline as its producers would, paced over a given duration
 * so that faults hit mid-stream: the services' transactions through {@link OutboxWriter} into
 * PostgreSQL, the devices' registrations and readings to Kafka with an idempotent producer.
 *
 * <p>Like a real service it rides out outages: a transaction that fails (PostgreSQL down) is rolled
 * back and written again on a new connection until it commits, and the producer retries for as long
 * as its delivery timeout. A commit whose outcome is unknown may be written twice; the events keep
 * their ids, so the pipeline's dedupe must drop the copy.
 */
final class WorkloadDriver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadDriver.class);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

  private final DataSource database;
  private final OutboxWriter outbox;
  private final KafkaProducer<String, byte[]> producer;
  private final AvroWireSerializer<SpecificRecord> readingSerializer;
  private final AvroWireSerializer<SpecificRecord> deviceSerializer;
  private final ExecutorService servicesExecutor =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "fault-workload-services"));
  private final ExecutorService devicesExecutor =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "fault-workload-devices"));
  private final AtomicInteger stepsDone = new AtomicInteger();
  private final AtomicLong rewrittenTransactions = new AtomicLong();
  private volatile int steps = 1;

  WorkloadDriver(DataSource database, SchemaRegistryClient registry, Map<String, Object> kafka) {
    this.database = database;
    this.outbox = OutboxWriter.builder(registry).build();
    this.readingSerializer =
        AvroWireSerializer.builder(registry).subjectNameStrategy(new TopicNameStrategy()).build();
    this.deviceSerializer =
        AvroWireSerializer.builder(registry)
            .subjectNameStrategy(new TopicRecordNameStrategy())
            .build();
    Map<String, Object> config = new java.util.HashMap<>(kafka);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // Long enough to ride out a broker restart and a slow recovery on a loaded machine.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    this.producer = new KafkaProducer<>(config);
  }

  /**
   * Starts writing {@code workload} in the background, spread over {@code duration}.
   *
   * @return completes when everything is committed and acknowledged
   */
  CompletableFuture<Void> start(Workload workload, Duration duration) {
    List<ServiceTransaction> transactions = workload.transactions();
    steps = transactions.size();
    stepsDone.set(0);
    // Two producers of their own, like the services and the devices: neither waits for the other,
    // so the services go on committing while Kafka is down (the CDC service then falls behind).
    CompletableFuture<Void> services =
        CompletableFuture.runAsync(
            () ->
                paced(
                    transactions.size(),
                    duration,
                    i -> {
                      commit(transactions.get(i));
                      stepsDone.incrementAndGet();
                    }),
            servicesExecutor);
    List<Produced> readings = workload.readings();
    int batches = Math.max(1, Math.min(readings.size(), transactions.size()));
    CompletableFuture<Void> devices =
        CompletableFuture.runAsync(
            () -> {
              send(Topics.IOT_DEVICES.name(), workload.registrations(), deviceSerializer);
              producer.flush();
              paced(
                  batches,
                  duration,
                  i ->
                      send(
                          Topics.IOT_READINGS.name(),
                          readings.subList(
                              (int) ((long) readings.size() * i / batches),
                              (int) ((long) readings.size() * (i + 1) / batches)),
                          readingSerializer));
              producer.flush();
            },
            devicesExecutor);
    return CompletableFuture.allOf(services, devices);
  }

  /** A step of a paced loop. */
  private interface Step {
    void run(int index) throws InterruptedException;
  }

  /** Runs {@code steps} steps spread evenly over {@code duration}. */
  private static void paced(int steps, Duration duration, Step step) {
    try {
      long pauseNanos = duration.toNanos() / Math.max(1, steps);
      long next = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        step.run(i);
        next += pauseNanos;
        pace(next);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("workload interrupted", e);
    }
  }

  /** Sends the run's ticks ({@link Workload#ticks()}) and waits until they are acknowledged. */
  void sendTicks(Workload workload) {
    send(Topics.IOT_DEVICES.name(), workload.tickRegistrations(), deviceSerializer);
    send(Topics.IOT_READINGS.name(), workload.ticks(), readingSerializer);
    producer.flush();
  }

  /** Share of the services' transactions committed so far, in [0, 1]. */
  double progress() {
    return (double) stepsDone.get() / steps;
  }

  /** Transactions written again after a failure whose outcome was unknown or negative. */
  long rewrittenTransactions() {
    return rewrittenTransactions.get();
  }

  private void send(
      String topic, List<Produced> records, AvroWireSerializer<SpecificRecord> serde) {
    for (Produced record : records) {
      producer.send(
          new ProducerRecord<>(
              topic, record.partition(), record.key(), serde.serialize(topic, record.value())));
    }
  }

  /** One service transaction; on failure rolled back and written again until it commits. */
  private void commit(ServiceTransaction transaction) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = database.getConnection()) {
        connection.setAutoCommit(false);
        try {
          outbox.writeAll(connection, transaction.events());
          connection.commit();
          return;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(connection);
          throw e;
        }
      } catch (SQLException | RuntimeException e) {
        rewrittenTransactions.incrementAndGet();
        if (attempt == 1) {
          LOG.info(
              "{} transaction failed, writing it again: {}", transaction.service(), e.toString());
        }
        // A load generator's pace while the database is away, not a wait for a condition.
        TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE.toMillis());
      }
    }
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken: the transaction is gone with it
    }
  }

  private static void pace(long untilNanos) throws InterruptedException {
    long wait = untilNanos - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  @Override
  public void close() {
    servicesExecutor.shutdownNow();
    devicesExecutor.shutdownNow();
    producer.close(Duration.ofSeconds(10));
  }
}
