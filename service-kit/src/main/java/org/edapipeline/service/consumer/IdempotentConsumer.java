package org.edapipeline.service.consumer;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.deadletter.DeadLetterHeaders;
import org.edapipeline.schemas.deadletter.DeadLetters;
import org.edapipeline.schemas.deadletter.ErrorClassifier;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.serde.WireFormatException;
import org.edapipeline.schemas.trace.EventLogContext;
import org.edapipeline.service.consumer.DeadLetterPublisher.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer half of the outbox pattern (design guide, Step 4): a Kafka consumer loop that gives
 * each event's effect exactly once although Kafka delivers it at least once. A service runs it on a
 * thread of its own ({@code new Thread(consumer).start()}) and stops it with {@link #close()}.
 *
 * <p><b>Per record</b>, in one transaction of the service's database: insert {@code (consumer name,
 * metadata.eventId)} into {@code processed_events} with {@code ON CONFLICT DO NOTHING}; if no row
 * was inserted the event was handled before and the handler is skipped; otherwise the {@link
 * RecordHandler} runs on the same connection (state changes, outbox rows) and the transaction
 * commits. Kafka offsets are committed synchronously after each batch, so only after the database
 * committed; a crash in between redelivers records whose markers are already there.
 *
 * <p><b>Failures.</b> Categories are {@link ErrorClassifier}'s, as in the Flink jobs.
 *
 * <ul>
 *   <li>A value that cannot be decoded (a permanent {@link WireFormatException}) is dead-lettered
 *       at once as {@code POISON}, a decoded value without {@code metadata.eventId} as {@code
 *       PERMANENT}.
 *   <li>A handler that throws rolls back its work and the marker; the record is retried with
 *       exponential backoff and jitter and, after {@link IdempotentConsumerConfig#maxAttempts()}
 *       attempts, dead-lettered: {@code PERMANENT}, or {@code TRANSIENT} if the handler kept
 *       meeting a timeout or an unreachable dependency. The loop goes on with the next record.
 *   <li>Transient failures of the consumer's own dependencies (lost connection and other SQLSTATE
 *       class 08 errors, 40001 serialization failure, 40P01 deadlock, a terminated backend, an
 *       unreachable registry, Kafka's retriable errors) are retried with backoff without limit and
 *       never dead-lettered; the database connection is replaced.
 * </ul>
 *
 * Dead letters go to {@code <source-topic>.dlq} in the project's format, the same as the jobs' and
 * the CDC source's ({@link DeadLetters}, {@link DeadLetterHeaders}), so the {@code dlq} tool lists
 * and replays them; each is acknowledged by Kafka before the record's offset may be committed.
 *
 * <p><b>Logs.</b> While a record is handled, its {@code event_id}, {@code correlation_id}, {@code
 * trace_id} and {@code span_id} are in the logging context (SLF4J's MDC, {@link EventLogContext}),
 * for the handler's and listener's lines too; they are removed when the record is done.
 *
 * <p><b>Rebalances</b>: offsets of records already handled are committed when partitions are
 * revoked. <b>Shutdown</b>: {@link #close()} wakes the consumer up, lets the in-flight record
 * finish (a record waiting for a retry is abandoned, uncommitted, and redelivered later), commits
 * and closes the clients.
 *
 * <p>The {@code processed_events} rows must outlive every possible redelivery: see {@link
 * ProcessedEventsPurger}.
 *
 * @param <T> the value type: one generated class, or {@link SpecificRecord} for topics carrying
 *     several
 */
public final class IdempotentConsumer<T extends SpecificRecord> implements Runnable, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IdempotentConsumer.class);

  private final IdempotentConsumerConfig config;
  private final DataSource dataSource;
  private final RecordHandler<T> handler;
  private final ConsumerListener<T> listener;
  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final AvroWireDeserializer<T> deserializer;
  private final DeadLetterPublisher deadLetters;
  private final ProcessedEventsLedger ledger;
  private final RetryBackoff backoff;
  private final Clock clock;

  /** Offsets of records handled and not yet committed, per partition. */
  private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();

  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch closeRequested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile Thread runner;
  private Connection connection;

  private IdempotentConsumer(Builder<T> b) {
    this.config = b.config;
    this.dataSource = b.dataSource;
    this.handler = Objects.requireNonNull(b.handler, "handler");
    this.listener = b.listener;
    this.deserializer = b.deserializer;
    this.clock = b.clock;
    this.ledger = new ProcessedEventsLedger(config.consumerName());
    this.backoff = new RetryBackoff(config.retryBackoff(), config.retryBackoffMax());
    this.consumer =
        new KafkaConsumer<>(
            consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      this.producer =
          new KafkaProducer<>(
              producerProperties(config), new ByteArraySerializer(), new ByteArraySerializer());
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    AvroWireSerializer<DeadLetter> serializer =
        AvroWireSerializer.builder(b.registry)
            .autoRegister(config.deadLetterAutoRegister())
            .build();
    this.deadLetters =
        new DeadLetterPublisher(config.consumerName(), config.topics(), producer, serializer);
  }

  /**
   * A consumer of topics carrying several event types: each value is read into the generated class
   * named like its writer schema.
   *
   * @param registry schema registry client, shared and closed by the caller
   */
  public static Builder<SpecificRecord> builder(
      IdempotentConsumerConfig config, DataSource dataSource, SchemaRegistryClient registry) {
    return new Builder<>(
        config, dataSource, registry, AvroWireDeserializer.forSpecificByWriterName(registry));
  }

  /**
   * A consumer of one event type; writer schemas of other types fail to decode and are
   * dead-lettered as poison.
   *
   * @param registry schema registry client, shared and closed by the caller
   */
  public static <T extends SpecificRecord> Builder<T> builder(
      IdempotentConsumerConfig config,
      DataSource dataSource,
      SchemaRegistryClient registry,
      Class<T> valueType) {
    return new Builder<>(
        config, dataSource, registry, AvroWireDeserializer.forSpecific(registry, valueType));
  }

  private static Map<String, Object> consumerProperties(IdempotentConsumerConfig config) {
    Map<String, Object> props = new HashMap<>();
    // Saga commands come from Flink's transactional sink: never read an aborted one.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.consumerName());
    props.putAll(config.kafkaOverrides());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
    return props;
  }

  private static Map<String, Object> producerProperties(IdempotentConsumerConfig config) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.CLIENT_ID_CONFIG, config.consumerName() + "-dlq");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.kafkaOverrides().forEach(props::put);
    // Consumer-only keys in the shared overrides would only log warnings here.
    props.keySet().removeIf(key -> !ProducerConfig.configNames().contains(key));
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // A letter wraps its record whole: it must fit where the record fitted (DLQ topics take more).
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.deadLetterMaxRequestSize());
    return props;
  }

  /**
   * Runs the loop until {@link #close()}. Call once, on the thread that owns this consumer.
   *
   * @throws IllegalStateException if already started
   */
  @Override
  public void run() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException(
          config.consumerName() + ": run() was already called, or close()");
    }
    runner = Thread.currentThread();
    try {
      if (!isClosing()) {
        consumer.subscribe(
            config.topics().stream().map(Topic::name).toList(), new CommitOnRevoke());
        LOG.info("{}: consuming {}", config.consumerName(), config.topics());
        while (!isClosing()) {
          pollAndProcess();
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.error("{}: consumer loop failed", config.consumerName(), e);
      throw e;
    } finally {
      shutdown();
    }
  }

  private void pollAndProcess() {
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = consumer.poll(config.pollTimeout());
    } catch (WakeupException e) {
      return; // close() woke us up; the loop condition ends it
    }
    batch:
    for (TopicPartition partition : records.partitions()) {
      for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
        if (isClosing()) {
          break batch;
        }
        if (!process(record)) {
          // Only close() or an interrupt end a record early. The consumer's position is past the
          // rest of the batch, so going on would skip it: an interrupt stops the loop too.
          if (!isClosing()) {
            LOG.warn("{}: interrupted, stopping", config.consumerName());
            closeRequested.countDown();
          }
          break batch;
        }
        pending.put(partition, new OffsetAndMetadata(record.offset() + 1));
      }
    }
    commitPending();
  }

  /**
   * Handles one record to its end: processed, skipped as a duplicate, or dead-lettered.
   *
   * @return false if {@link #close()} interrupted it before its end; it is then not committed
   */
  private boolean process(ConsumerRecord<byte[], byte[]> record) {
    // Every log line about the record, the handler's and the listener's included, carries its ids.
    // The stages below switch the context (decoded, dead letter); it is cleared once, here.
    try (EventLogContext log = RecordLogContext.open(record)) {
      DecodedRecord<T> decoded = decode(record);
      if (decoded == null) {
        return !isClosing();
      }
      return handle(record, decoded);
    }
  }

  /**
   * Runs the handler until it succeeds, the record turns out to be a duplicate, or its attempts are
   * used up and it is dead-lettered.
   *
   * @return false if {@link #close()} interrupted it before its end
   */
  private boolean handle(ConsumerRecord<byte[], byte[]> record, DecodedRecord<T> decoded) {
    int failures = 0;
    int transientFailures = 0;
    Instant firstFailure = null;
    while (true) {
      try {
        if (handleInTransaction(decoded)) {
          notify(() -> listener.onProcessed(decoded));
        } else {
          LOG.debug("{}: {} already processed, skipped", config.consumerName(), decoded);
          notify(() -> listener.onDuplicate(decoded));
        }
        return true;
      } catch (Exception e) {
        discardConnectionIfBroken();
        Instant now = clock.instant();
        if (TransientFailures.isTransient(e)) {
          transientFailures++;
          if (!awaitRetry(record, e, transientFailures, true)) {
            return false;
          }
          continue;
        }
        failures++;
        firstFailure = firstFailure == null ? now : firstFailure;
        if (failures >= config.maxAttempts()) {
          return deadLetter(record, decoded, Failure.ofHandling(e, failures, firstFailure, now));
        }
        if (!awaitRetry(record, e, failures, false)) {
          return false;
        }
      }
    }
  }

  /**
   * Decodes the value and reads its event id; a record that cannot be is dead-lettered here.
   *
   * @return null if the record was dead-lettered (or close() interrupted the retries)
   */
  private DecodedRecord<T> decode(ConsumerRecord<byte[], byte[]> record) {
    int transientFailures = 0;
    while (true) {
      Instant now = clock.instant();
      try {
        T value = deserializer.decode(record.value());
        EventMetadata metadata = EventMetadataReader.read(value);
        DecodedRecord<T> decoded =
            new DecodedRecord<>(value, metadata.getEventId(), metadata.getCorrelationId(), record);
        RecordLogContext.enterDecoded(decoded, metadata);
        return decoded;
      } catch (WireFormatException e) {
        if (TransientFailures.isTransient(e)) {
          if (!awaitRetry(record, e, ++transientFailures, true)) {
            return null;
          }
          continue;
        }
        deadLetter(record, null, Failure.ofDecoding(e, now));
        return null;
      } catch (EventMetadataReader.MissingEventIdException e) {
        deadLetter(record, null, Failure.ofDecoding(e, now));
        return null;
      }
    }
  }

  /**
   * One transaction: marker, then handler, then commit.
   *
   * @return false if the marker was there already (nothing was done)
   */
  private boolean handleInTransaction(DecodedRecord<T> record) throws Exception {
    Connection c = connection();
    try {
      if (!ledger.markProcessed(c, record)) {
        c.rollback();
        return false;
      }
      handler.handle(c, record);
      // If the commit's answer is lost with the connection, the retry's marker insert tells
      // whether it happened.
      c.commit();
      return true;
    } catch (Exception | Error e) {
      rollbackQuietly(c, e);
      throw e;
    }
  }

  /**
   * Writes the dead letter, retrying without limit: a record is never skipped unrecorded.
   *
   * @return false if close() interrupted the retries
   */
  private boolean deadLetter(
      ConsumerRecord<byte[], byte[]> record, DecodedRecord<T> decoded, Failure failure) {
    DeadLetter letter = deadLetters.build(record, decoded, failure);
    // From here on the lines are about the letter: its ids and the dead-lettering hop's span.
    RecordLogContext.enterDeadLetter(letter);
    LOG.warn(
        "{}: dead-lettering {}-{}@{} ({}, {} attempt(s)): {}",
        config.consumerName(),
        record.topic(),
        record.partition(),
        record.offset(),
        letter.getErrorCategory(),
        letter.getAttemptCount(),
        failure.error().toString());
    int attempt = 0;
    while (true) {
      try {
        deadLetters.publish(letter);
        notify(() -> listener.onDeadLettered(record, letter));
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (Exception e) {
        LOG.error("{}: could not write the dead letter, retrying", config.consumerName(), e);
        if (!awaitRetry(record, e, ++attempt, true)) {
          return false;
        }
      }
    }
  }

  /**
   * Waits the backoff of {@code attempt}, or until {@link #close()}.
   *
   * @return false if close() was called: give up on the record
   */
  private boolean awaitRetry(
      ConsumerRecord<byte[], byte[]> record, Throwable failure, int attempt, boolean isTransient) {
    Duration delay = backoff.delay(attempt);
    LOG.warn(
        "{}: attempt {} on {}-{}@{} failed ({}), retrying in {} ms: {}",
        config.consumerName(),
        attempt,
        record.topic(),
        record.partition(),
        record.offset(),
        isTransient ? "transient" : "handler",
        delay.toMillis(),
        failure.toString());
    notify(() -> listener.onRetry(record, failure, attempt, isTransient, delay));
    try {
      return !closeRequested.await(delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection c = dataSource.getConnection();
      try {
        c.setAutoCommit(false);
      } catch (SQLException e) {
        closeQuietly(c);
        throw e;
      }
      connection = c;
    }
    return connection;
  }

  /** Replaces the connection after a failure that may have broken it. */
  private void discardConnectionIfBroken() {
    if (connection == null) {
      return;
    }
    boolean valid;
    try {
      valid = connection.isValid(5) && !connection.getAutoCommit();
    } catch (SQLException e) {
      valid = false;
    }
    if (!valid) {
      closeQuietly(connection);
      connection = null;
    }
  }

  private void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("Closing a broken connection failed", e);
    }
  }

  /** Commits the offsets of handled records; a failed commit only means they are redelivered. */
  private void commitPending() {
    if (pending.isEmpty()) {
      return;
    }
    try {
      commitSync(pending);
      pending.clear();
    } catch (RebalanceInProgressException e) {
      // Kept: committed by CommitOnRevoke, or after the next poll if the partitions stay.
      LOG.info("{}: commit deferred, the group is rebalancing", config.consumerName());
    } catch (CommitFailedException e) {
      // The partitions went to another member: it redelivers these records, and the ledger
      // turns them into no-ops.
      LOG.warn(
          "{}: offsets not committed, group moved on: {}", config.consumerName(), e.toString());
      pending.clear();
    }
  }

  /** commitSync that survives the wake-up close() may have left for the next blocking call. */
  private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      consumer.commitSync(offsets);
    } catch (WakeupException e) {
      consumer.commitSync(offsets);
    }
  }

  private void shutdown() {
    try {
      commitPending();
    } catch (KafkaException e) {
      LOG.warn("{}: final commit failed; records will be redelivered", config.consumerName(), e);
    } finally {
      closeClients();
      finished.countDown();
      LOG.info("{}: stopped", config.consumerName());
    }
  }

  private void closeClients() {
    if (connection != null) {
      closeQuietly(connection);
      connection = null;
    }
    try {
      consumer.close(CloseOptions.timeout(config.closeTimeout()));
    } catch (RuntimeException e) {
      LOG.warn("{}: closing the consumer failed", config.consumerName(), e);
    }
    try {
      producer.close(config.closeTimeout());
    } catch (RuntimeException e) {
      LOG.warn("{}: closing the dead-letter producer failed", config.consumerName(), e);
    }
    deserializer.close();
  }

  private boolean isClosing() {
    return closeRequested.getCount() == 0;
  }

  private void notify(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.warn("{}: listener failed", config.consumerName(), e);
    }
  }

  /**
   * Stops the loop: wakes the consumer up, lets the record being handled finish, commits the
   * offsets of what is done and closes the Kafka clients and the connection. Waits up to {@link
   * IdempotentConsumerConfig#closeTimeout()} for that when called from another thread. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeRequested.countDown();
    boolean neverStarted = started.compareAndSet(false, true); // and now never will
    if (!neverStarted) {
      consumer.wakeup();
      if (Thread.currentThread() != runner) {
        awaitFinished();
      }
      return;
    }
    // Nobody else uses the clients.
    closeClients();
    finished.countDown();
  }

  private void awaitFinished() {
    try {
      if (!finished.await(config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "{}: the consumer thread did not stop within {}",
            config.consumerName(),
            config.closeTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Commits the offsets of the revoked partitions' handled records before another member reads. */
  private final class CommitOnRevoke implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>();
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata offset = pending.remove(partition);
        if (offset != null) {
          revoked.put(partition, offset);
        }
      }
      if (revoked.isEmpty()) {
        return;
      }
      try {
        commitSync(revoked);
      } catch (KafkaException e) {
        LOG.warn(
            "{}: commit on revoke failed; records will be redelivered: {}",
            config.consumerName(),
            e.toString());
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // Another member may own them already: committing would fail. Redelivery is harmless.
      partitions.forEach(pending::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      LOG.info("{}: assigned {}", config.consumerName(), partitions);
    }
  }

  /** Builds an {@link IdempotentConsumer}; the Kafka clients are created by {@link #build()}. */
  public static final class Builder<T extends SpecificRecord> {
    private final IdempotentConsumerConfig config;
    private final DataSource dataSource;
    private final SchemaRegistryClient registry;
    private final AvroWireDeserializer<T> deserializer;
    private RecordHandler<T> handler;
    private ConsumerListener<T> listener = new ConsumerListener<>() {};
    private Clock clock = Clock.systemUTC();

    private Builder(
        IdempotentConsumerConfig config,
        DataSource dataSource,
        SchemaRegistryClient registry,
        AvroWireDeserializer<T> deserializer) {
      this.config = Objects.requireNonNull(config, "config");
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.registry = Objects.requireNonNull(registry, "registry");
      this.deserializer = deserializer;
    }

    /** What the service does with each event (required). */
    public Builder<T> handler(RecordHandler<T> handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Callbacks for metrics and tests; default none. */
    public Builder<T> listener(ConsumerListener<T> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Clock of the dead letters' failure times; default UTC system clock. */
    public Builder<T> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Creates the consumer and its Kafka clients (nothing connects yet).
     *
     * @throws NullPointerException without a handler
     */
    public IdempotentConsumer<T> build() {
      Objects.requireNonNull(handler, "handler");
      return new IdempotentConsumer<>(this);
    }
  }
}
