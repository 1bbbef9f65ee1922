package org.edapipeline.cdc.engine;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.connect.source.SourceRecord;
import org.edapipeline.cdc.config.CdcConfig;
import org.edapipeline.cdc.config.SecretMasker;
import org.edapipeline.cdc.metrics.CdcMetrics;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.trace.Tracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Debezium's async embedded engine on a thread of its own and keeps it running: when the
 * engine stops with an error (PostgreSQL or Kafka gone, a batch Kafka did not acknowledge), it
 * closes that run's producer and starts a new engine after an exponential {@link Backoff}, from the
 * last committed offset, with no manual step.
 *
 * <p>{@link #close()} is the clean shutdown: the publisher finishes the batch in flight and refuses
 * new ones, then the engine commits the offsets of everything acknowledged and stops.
 */
public final class EngineSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EngineSupervisor.class);

  private final CdcConfig config;
  private final CdcMetrics metrics;
  private final DeadLetters deadLetters;
  private final SecretMasker masker;
  private final Tracing tracing;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Thread thread;
  private volatile Run current;

  /** One engine with its producer and publisher. */
  private record Run(DebeziumEngine<?> engine, KafkaPublisher publisher) {}

  /**
   * @param dlqSerializer serializes dead letters; its registry client is owned by the caller
   * @param tracing spans of the publishes; owned by the caller
   */
  public EngineSupervisor(
      CdcConfig config,
      CdcMetrics metrics,
      AvroWireSerializer<SpecificRecord> dlqSerializer,
      Tracing tracing) {
    this.config = config;
    this.tracing = tracing;
    this.metrics = metrics;
    this.masker = config.masker();
    this.deadLetters = new DeadLetters(dlqSerializer, config.deadLetterPayloadMaxBytes(), masker);
    this.thread = new Thread(this::superviseUntilStopped, "cdc-engine-supervisor");
  }

  /** Starts the first engine. */
  public void start() {
    thread.start();
  }

  private boolean stopping() {
    return stopRequested.getCount() == 0;
  }

  private void superviseUntilStopped() {
    Backoff backoff = new Backoff(config.restartBackoffInitial(), config.restartBackoffMax());
    try {
      while (!stopping()) {
        long started = System.nanoTime();
        Throwable error = runOnce();
        if (stopping()) {
          break;
        }
        metrics.engineRestarted();
        Duration delay = backoff.next(Duration.ofNanos(System.nanoTime() - started));
        LOG.warn(
            "Debezium engine stopped{}; restarting in {} ms from the last committed offset",
            error == null ? "" : " with " + masker.describe(error),
            delay.toMillis());
        if (stopRequested.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      terminated.countDown();
    }
  }

  /** Runs one engine until it stops; returns its error, or null if it stopped cleanly. */
  private Throwable runOnce() {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Map<String, Object> producerConfig = new HashMap<>(config.producer());
    KafkaProducer<byte[], byte[]> producer;
    try {
      producer = new KafkaProducer<>(producerConfig);
    } catch (RuntimeException e) {
      return e;
    }
    try {
      KafkaPublisher publisher =
          new KafkaPublisher(producer, deadLetters, metrics, masker, tracing);
      Properties properties = new Properties();
      properties.putAll(config.source());
      DebeziumEngine<RecordChangeEvent<SourceRecord>> engine =
          DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
              .using(properties)
              .notifying(publisher)
              .using(
                  (success, message, error) -> {
                    if (!success) {
                      failure.set(error != null ? error : new IllegalStateException(message));
                    }
                  })
              .using(
                  new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void pollingStarted() {
                      metrics.engineRunning(true);
                      LOG.info("Streaming the outbox to Kafka");
                    }

                    @Override
                    public void pollingStopped() {
                      metrics.engineRunning(false);
                    }
                  })
              .build();
      synchronized (this) {
        if (stopping()) {
          return null;
        }
        current = new Run(engine, publisher);
      }
      engine.run();
      return failure.get();
    } catch (RuntimeException e) {
      return failure.get() != null ? failure.get() : e;
    } finally {
      current = null;
      metrics.engineRunning(false);
      // Unacknowledged sends of a failed run are repeated by the next one anyway.
      producer.close(Duration.ofSeconds(5));
    }
  }

  /**
   * Stops cleanly: the batch in flight is acknowledged and marked, the engine commits its offsets
   * and stops, no new engine starts. Idempotent.
   */
  @Override
  public void close() throws InterruptedException {
    Run run;
    synchronized (this) {
      stopRequested.countDown();
      run = current;
    }
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    if (run != null) {
      if (!run.publisher().stopAndAwaitIdle(config.shutdownTimeout())) {
        LOG.warn(
            "The batch in flight was not acknowledged in time; it is read again at the next start");
      }
      closeEngine(run.engine(), deadline);
    }
    if (thread.isAlive()
        && !terminated.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      LOG.warn("The engine did not stop within {} ms", config.shutdownTimeout().toMillis());
    }
  }

  private void closeEngine(DebeziumEngine<?> engine, long deadline) throws InterruptedException {
    while (true) {
      try {
        engine.close(); // commits the offsets of every marked record, then stops the tasks
        return;
      } catch (IllegalStateException e) {
        // Tasks still starting: closing now could leak connections, so wait for them.
        if (String.valueOf(e.getMessage()).contains("already") || System.nanoTime() > deadline) {
          return;
        }
        if (terminated.await(100, TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (IOException e) {
        LOG.warn("Closing the engine failed: {}", masker.describe(e));
        return;
      }
    }
  }

  /** Whether the supervisor has stopped for good. */
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }
}
