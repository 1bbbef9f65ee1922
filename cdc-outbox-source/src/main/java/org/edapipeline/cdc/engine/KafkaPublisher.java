package org.edapipeline.cdc.engine;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.source.SourceRecord;
import org.edapipeline.cdc.config.SecretMasker;
import org.edapipeline.cdc.engine.OutboxRecordMapper.Heartbeat;
import org.edapipeline.cdc.engine.OutboxRecordMapper.Mapped;
import org.edapipeline.cdc.engine.OutboxRecordMapper.Publish;
import org.edapipeline.cdc.engine.OutboxRecordMapper.Reject;
import org.edapipeline.cdc.metrics.CdcMetrics;
import org.edapipeline.schemas.trace.EventLogContext;
import org.edapipeline.schemas.trace.HopSpan;
import org.edapipeline.schemas.trace.Tracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's batch handler: sends every event of a batch to Kafka, waits until Kafka has
 * acknowledged all of them (and the dead letters of the rows that cannot be published), and only
 * then marks the batch processed, so Debezium's offsets, and with them the replication slot, never
 * move past a row Kafka does not have. A crash can therefore repeat a batch, never skip one.
 *
 * <p>Events are sent in WAL order through an idempotent producer keyed by aggregate id, so each
 * aggregate's events keep their commit order in their partition. Heartbeats are acknowledged
 * without being published.
 *
 * <p>A send that fails for good because of the record (too large) dead-letters the row; any other
 * failure throws {@link PublishFailedException}, which stops the engine with the batch unmarked.
 * After such a failure nothing more of the batch is sent, so when the batch is repeated a later
 * event of an aggregate has not overtaken the failed one (only requests already in flight can).
 *
 * <p>{@link #stopAndAwaitIdle} lets a shutdown finish the batch in flight and refuse new ones (left
 * unmarked, they are read again at the next start), so SIGTERM loses and repeats nothing.
 */
final class KafkaPublisher
    implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

  private final Producer<byte[], byte[]> producer;
  private final OutboxRecordMapper mapper = new OutboxRecordMapper();
  private final DeadLetters deadLetters;
  private final CdcMetrics metrics;
  private final SecretMasker masker;
  private final Tracing tracing;

  private final Object gate = new Object();
  private boolean stopping;
  private boolean inBatch;

  KafkaPublisher(
      Producer<byte[], byte[]> producer,
      DeadLetters deadLetters,
      CdcMetrics metrics,
      SecretMasker masker,
      Tracing tracing) {
    this.producer = producer;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.masker = masker;
    this.tracing = tracing;
  }

  @Override
  public void handleBatch(
      List<RecordChangeEvent<SourceRecord>> records,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    synchronized (gate) {
      if (stopping) {
        return; // unmarked: read again after the restart
      }
      inBatch = true;
    }
    try {
      publish(records, committer);
    } finally {
      synchronized (gate) {
        inBatch = false;
        gate.notifyAll();
      }
    }
  }

  @Override
  public boolean supportsTombstoneEvents() {
    return false;
  }

  /**
   * Refuses further batches and waits for the one in flight to be acknowledged and marked.
   *
   * @return whether no batch is in flight any more
   */
  boolean stopAndAwaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (gate) {
      stopping = true;
      while (inBatch) {
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
          return false;
        }
        gate.wait(remainingMillis);
      }
      return true;
    }
  }

  private void publish(
      List<RecordChangeEvent<SourceRecord>> records,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    int size = records.size();
    List<Mapped> mapped = new ArrayList<>(size);
    List<Future<RecordMetadata>> sends = new ArrayList<>(size);
    List<HopSpan> spans = tracing.enabled() ? new ArrayList<>(size) : null;
    // Once a send fails for a reason other than the record (Kafka unreachable, metadata timeout),
    // nothing after it is sent: a later event of the same aggregate must not reach Kafka before
    // the failed one does when the batch is repeated.
    AtomicReference<Exception> stopSending = new AtomicReference<>();
    for (RecordChangeEvent<SourceRecord> event : records) {
      Mapped each = mapper.map(event.record());
      mapped.add(each);
      if (each instanceof Publish publish) {
        if (spans != null) {
          spans.add(startSpan(publish));
        }
        sends.add(send(publish.record(), stopSending));
      } else {
        sends.add(null);
        if (spans != null) {
          spans.add(null);
        }
      }
    }

    int published = 0;
    long lastLsn = -1;
    long lastCommitMillis = -1;
    List<Future<RecordMetadata>> letters = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Mapped each = mapped.get(i);
      if (each instanceof Heartbeat heartbeat) {
        lastLsn = Math.max(lastLsn, heartbeat.lsn());
      } else if (each instanceof Reject reject) {
        letters.add(deadLetter(reject.row(), reject.error()));
      } else if (each instanceof Publish publish) {
        OutboxRow row = publish.row();
        HopSpan span = spans == null ? HopSpan.NOOP : spans.get(i);
        try {
          sends.get(i).get();
          published++;
          span.end();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          metrics.publishFailed();
          span.failed(cause);
          span.end();
          if (!isCausedByTheRecord(cause)) {
            endAll(spans, i + 1, cause);
            try (EventLogContext log =
                EventLogContext.open(row.eventId(), row.correlationId(), publish.span())) {
              LOG.warn(
                  "Kafka did not acknowledge {}; the batch is repeated after the engine restarts:"
                      + " {}",
                  masker.mask(row.describe()),
                  masker.describe(cause));
            }
            throw new PublishFailedException(
                "Kafka did not acknowledge "
                    + row.describe()
                    + " on "
                    + row.topic()
                    + ": "
                    + masker.describe(cause),
                cause);
          }
          letters.add(deadLetter(row, cause));
        }
        lastLsn = Math.max(lastLsn, row.lsn());
        lastCommitMillis = row.commitMillis();
      }
    }
    for (Future<RecordMetadata> letter : letters) {
      try {
        letter.get();
        metrics.deadLettered();
      } catch (ExecutionException e) {
        metrics.publishFailed();
        throw new PublishFailedException(
            "Kafka did not acknowledge a dead letter: " + masker.describe(e.getCause()),
            e.getCause());
      }
    }

    for (RecordChangeEvent<SourceRecord> event : records) {
      committer.markProcessed(event);
    }
    committer.markBatchFinished();
    metrics.published(published);
    metrics.acknowledged(lastCommitMillis, lastLsn);
    if (published == 0 && letters.isEmpty()) {
      metrics.idle();
    }
  }

  /** The publish span: sent now, ended when Kafka acknowledged (or refused) the record. */
  private HopSpan startSpan(Publish publish) {
    OutboxRow row = publish.row();
    return tracing
        .start("publish " + row.topic(), Tracing.Kind.PRODUCER, publish.span(), publish.parent())
        .attribute("messaging.system", "kafka")
        .attribute("messaging.operation.type", "send")
        .attribute("messaging.destination.name", row.topic())
        .attribute("messaging.message.id", row.eventId())
        .attribute("messaging.kafka.message.key", row.aggregateId())
        .attribute("edapipeline.event_type", row.eventType())
        .attribute("edapipeline.correlation_id", row.correlationId());
  }

  /** Ends the spans of sends not awaited because the batch failed before them. */
  private static void endAll(List<HopSpan> spans, int from, Throwable cause) {
    if (spans == null) {
      return;
    }
    for (int i = from; i < spans.size(); i++) {
      HopSpan span = spans.get(i);
      if (span != null) {
        span.failed(cause);
        span.end();
      }
    }
  }

  private Future<RecordMetadata> send(
      ProducerRecord<byte[], byte[]> record, AtomicReference<Exception> stopSending) {
    Exception earlier = stopSending.get();
    if (earlier != null) {
      return CompletableFuture.failedFuture(earlier);
    }
    try {
      return producer.send(
          record,
          (metadata, error) -> {
            if (error != null && !isCausedByTheRecord(error)) {
              stopSending.compareAndSet(null, error);
            }
          });
    } catch (ApiException e) {
      if (!isCausedByTheRecord(e)) {
        stopSending.compareAndSet(null, e);
      }
      return CompletableFuture.failedFuture(e);
    }
  }

  private Future<RecordMetadata> deadLetter(OutboxRow row, Throwable error) {
    try (EventLogContext log =
        EventLogContext.open(row.eventId(), row.correlationId(), row.traceparent())) {
      LOG.warn("Dead-lettering {}: {}", masker.mask(row.describe()), masker.describe(error));
    }
    ProducerRecord<byte[], byte[]> letter;
    try {
      letter = deadLetters.of(row, error);
    } catch (RuntimeException e) {
      // e.g. the registry is unreachable: retry the whole batch after a restart.
      throw new PublishFailedException(
          "Could not build the dead letter of " + row.describe() + ": " + masker.describe(e), e);
    }
    return send(letter, new AtomicReference<>());
  }

  /** Whether Kafka refused the record itself, so resending it can never succeed. */
  private static boolean isCausedByTheRecord(Throwable error) {
    return error instanceof RecordTooLargeException
        || error instanceof RecordBatchTooLargeException
        || error instanceof InvalidRecordException
        || error instanceof SerializationException;
  }
}
