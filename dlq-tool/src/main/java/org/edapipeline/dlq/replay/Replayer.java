package org.edapipeline.dlq.replay;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.edapipeline.dlq.DlqException;
import org.edapipeline.dlq.kafka.DlqClientConfig;
import org.edapipeline.dlq.kafka.DlqTopic;
import org.edapipeline.dlq.read.DeadLetterEntry;
import org.edapipeline.dlq.read.DlqScanner;
import org.edapipeline.dlq.read.OffsetRange;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.DeadLetterHeader;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.serde.FailureCategory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-publishes dead letters to their source topic: the original key, value bytes and headers, with
 * {@link EventHeaders#REPLAY_COUNT} set one higher, through an idempotent producer ({@code
 * acks=all}).
 *
 * <p><b>Progress.</b> A replay job's position in the queue is the committed offset of its consumer
 * group ({@link #groupId}), committed only after the producer acknowledged every record before it,
 * so an interrupted run (Ctrl-C, {@link #requestStop()}, {@code --limit}, a crash) resumes where it
 * stopped. After a crash between publishing and committing, the records since the last commit are
 * published again: harmless, because every job and service dedupes on the event id.
 *
 * <p><b>Loops.</b> A record whose replay count reached {@link ReplayOptions#maxReplays()} is
 * refused (logged, counted, passed over): it failed again after as many replays, so it needs a fix,
 * not another replay.
 *
 * <p>One run per instance, and one run at a time per job: two concurrent runs of one job would both
 * publish.
 */
public final class Replayer {

  private static final Logger LOG = LoggerFactory.getLogger(Replayer.class);

  /** Records acknowledged between two commits at most. */
  private static final int COMMIT_EVERY_RECORDS = 500;

  private final DlqClientConfig config;
  private final ReplayOptions options;
  private final ReplayListener listener;
  private volatile boolean stopRequested;
  private boolean used;

  // State of the current run.
  private Consumer<byte[], byte[]> consumer;
  private Producer<byte[], byte[]> producer;
  private RateLimiter limiter;
  private final Map<TopicPartition, Long> processed = new HashMap<>();
  private final List<Future<RecordMetadata>> unacknowledged = new ArrayList<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private long lastCommitNanos;
  private long scanned;
  private long matched;
  private long replayed;
  private long refused;
  private long skipped;

  public Replayer(DlqClientConfig config, ReplayOptions options, ReplayListener listener) {
    this.config = config;
    this.options = options;
    this.listener = listener;
  }

  /** The consumer group holding the progress of replay job {@code job} over {@code dlq}. */
  public static String groupId(DlqTopic dlq, String job) {
    return "dlq-replay." + dlq.name() + "." + job;
  }

  /**
   * Asks a running {@link #run()} to stop after the record in hand; it then commits what was
   * acknowledged and returns. Safe from any thread (a shutdown hook, a test).
   */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Replays the matching records from the job's position (or the start) to the queue's end as it
   * was when the run began.
   *
   * @throws DlqException if Kafka or the registry fail; the progress acknowledged so far is kept
   * @throws IllegalStateException if this replayer ran before: one run per instance
   */
  public ReplayReport run() {
    if (used) {
      throw new IllegalStateException("A Replayer runs once; create a new one to resume");
    }
    used = true;
    String dlq = options.dlq().name();
    String group = groupId(options.dlq(), options.job());
    limiter = options.dryRun() ? RateLimiter.unlimited() : new RateLimiter(options.ratePerSecond());
    try (SchemaRegistryClient registry = new RestSchemaRegistryClient(config.registry());
        AvroWireDeserializer<DeadLetter> decoder =
            AvroWireDeserializer.forSpecific(registry, DeadLetter.class);
        Consumer<byte[], byte[]> kafkaConsumer =
            new KafkaConsumer<>(config.consumer("dlq-replay-" + options.job(), group));
        Producer<byte[], byte[]> kafkaProducer =
            options.dryRun()
                ? null
                : new KafkaProducer<>(config.producer("dlq-replay-" + options.job()))) {
      consumer = kafkaConsumer;
      producer = kafkaProducer;
      DlqScanner scanner = new DlqScanner(consumer, decoder, options.idleTimeout());
      Map<TopicPartition, OffsetRange> bounds = scanner.bounds(dlq);
      Map<TopicPartition, Long> from = startPositions(bounds);
      Map<TopicPartition, Long> until = new HashMap<>();
      bounds.forEach((tp, range) -> until.put(tp, range.end()));
      committed.putAll(from);
      LOG.info(
          "Replaying {} to {} as job '{}' (group {}) from {}{}",
          dlq,
          options.dlq().source().orElseThrow(),
          options.job(),
          group,
          from,
          options.dryRun() ? " (dry run)" : "");
      lastCommitNanos = System.nanoTime();
      boolean complete = scanner.scan(from, until, this::handle);
      commit();
      ReplayReport report =
          new ReplayReport(
              scanned, matched, replayed, refused, skipped, options.dryRun(), complete, progress());
      LOG.info("Replay of {} as job '{}' done: {}", dlq, options.job(), report);
      return report;
    }
  }

  private Map<TopicPartition, Long> startPositions(Map<TopicPartition, OffsetRange> bounds) {
    Map<TopicPartition, OffsetAndMetadata> progress =
        options.fromStart() ? Map.of() : consumer.committed(bounds.keySet());
    Map<TopicPartition, Long> from = new HashMap<>();
    bounds.forEach(
        (tp, range) -> {
          OffsetAndMetadata position = progress.get(tp);
          // Below the log start: purged or expired since; those records are gone.
          from.put(tp, position == null ? range.start() : range.clamp(position.offset()));
        });
    return from;
  }

  private boolean handle(DeadLetterEntry entry) throws InterruptedException {
    if (stopRequested) {
      return false;
    }
    scanned++;
    if (!entry.decoded()) {
      if (entry.decodeError().category() == FailureCategory.TRANSIENT) {
        commit();
        throw new DlqException(
            "Cannot decode "
                + entry.dlqTopic()
                + " "
                + entry.position()
                + " now ("
                + entry.decodeError().getMessage()
                + "); progress committed up to it, run again to resume",
            entry.decodeError());
      }
      skipped++;
      LOG.warn(
          "Skipping {} {}: not a dead letter: {}",
          entry.dlqTopic(),
          entry.position(),
          entry.decodeError().getMessage());
      listener.onSkipped(entry, "not a dead letter: " + entry.decodeError().getMessage());
    } else if (options.filter().test(entry)) {
      matched++;
      replayOrRefuse(entry);
    }
    processed.put(new TopicPartition(entry.dlqTopic(), entry.partition()), entry.offset() + 1);
    maybeCommit();
    return !(options.limit() > 0 && replayed >= options.limit());
  }

  private void replayOrRefuse(DeadLetterEntry entry) throws InterruptedException {
    DeadLetter letter = entry.deadLetter();
    String source = options.dlq().source().orElseThrow().name();
    if (!source.equals(letter.getSourceTopic())) {
      skipped++;
      String reason = "its source topic is " + letter.getSourceTopic() + ", not " + source;
      LOG.warn("Skipping {} {}: {}", entry.dlqTopic(), entry.position(), reason);
      listener.onSkipped(entry, reason);
      return;
    }
    OptionalInt count = ReplayCount.of(letter.getOriginalHeaders());
    if (count.isEmpty() || count.getAsInt() >= options.maxReplays()) {
      refused++;
      String reason =
          count.isEmpty()
              ? "its " + EventHeaders.REPLAY_COUNT + " header is not a count"
              : "replayed "
                  + count.getAsInt()
                  + " times already (--max-replays "
                  + options.maxReplays()
                  + ")";
      LOG.warn(
          "Refusing to replay {} {} (event {}): {}",
          entry.dlqTopic(),
          entry.position(),
          letter.getEventId(),
          reason);
      listener.onRefused(entry, reason);
      return;
    }
    int next = count.getAsInt() + 1;
    if (!options.dryRun()) {
      limiter.acquire();
      unacknowledged.add(producer.send(republished(letter, next)));
    }
    replayed++;
    listener.onReplayed(entry, next);
  }

  /**
   * The original record again: same key and value bytes, same headers in the same order, with the
   * replay count replaced. No partition (the key picks it, as it did for the original producer) and
   * no timestamp (now: a replay is a new delivery).
   */
  static ProducerRecord<byte[], byte[]> republished(DeadLetter letter, int replayCount) {
    RecordHeaders headers = new RecordHeaders();
    for (DeadLetterHeader header : letter.getOriginalHeaders()) {
      if (!EventHeaders.REPLAY_COUNT.equals(header.getKey())) {
        headers.add(header.getKey(), bytes(header.getValue()));
      }
    }
    headers.add(EventHeaders.REPLAY_COUNT, ReplayCount.encode(replayCount));
    return new ProducerRecord<>(
        letter.getSourceTopic(),
        null,
        null,
        bytes(letter.getOriginalKey()),
        bytes(letter.getOriginalValue()),
        headers);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  private void maybeCommit() {
    if (unacknowledged.size() >= COMMIT_EVERY_RECORDS
        || System.nanoTime() - lastCommitNanos >= options.commitInterval().toNanos()) {
      commit();
    }
  }

  /** Waits for every send's acknowledgement, then commits the positions of the records handled. */
  private void commit() {
    lastCommitNanos = System.nanoTime();
    if (options.dryRun()) {
      committed.putAll(processed);
      return;
    }
    if (!unacknowledged.isEmpty()) {
      producer.flush();
      for (Future<RecordMetadata> send : unacknowledged) {
        try {
          send.get();
        } catch (ExecutionException e) {
          throw new DlqException(
              "Publishing to "
                  + options.dlq().source().orElseThrow()
                  + " failed: "
                  + e.getCause()
                  + "; progress stays at "
                  + committed
                  + ", run again to resume (records after it may be published twice: consumers"
                  + " dedupe on the event id)",
              e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new DlqException(
              "Interrupted while waiting for Kafka; progress stays at " + committed, e);
        }
      }
      unacknowledged.clear();
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    processed.forEach(
        (tp, next) -> {
          if (!next.equals(committed.get(tp))) {
            offsets.put(tp, new OffsetAndMetadata(next));
          }
        });
    if (!offsets.isEmpty()) {
      consumer.commitSync(offsets, Duration.ofSeconds(30));
      committed.putAll(processed);
    }
  }

  private Map<Integer, Long> progress() {
    Map<Integer, Long> byPartition = new TreeMap<>();
    committed.forEach((tp, offset) -> byPartition.put(tp.partition(), offset));
    return byPartition;
  }
}
