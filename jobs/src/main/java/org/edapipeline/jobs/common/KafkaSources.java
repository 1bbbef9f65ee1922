package org.edapipeline.jobs.common;

import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.schemas.Topic;

/**
 * Kafka sources that never fail on a bad record: each consumed record is decoded by a {@link
 * DecodingDeserializationSchema}, and {@link #read} splits the result into events and dead letters.
 *
 * <p>Every source reads with {@code isolation.level=read_committed} (aborted transactions of
 * upstream exactly-once producers are never seen), commits offsets on checkpoints for monitoring,
 * and starts from the group's committed offsets (earliest if none) or the earliest ones, as
 * configured; a restored job starts from its checkpoint.
 */
public final class KafkaSources {

  private KafkaSources() {}

  /**
   * The decoded events of a source and the records it could not decode. With a retry stage the
   * events come in two branches: the main one, chained to the source, and the records decoded on a
   * retry. A per-record step applied with {@link #map} runs on each branch before they are joined,
   * so the main branch's step stays chained to the source (a union in between would break the
   * chain: an operator with two inputs is never chained). Use {@link #events} only where the next
   * step shuffles anyway (e.g. {@code keyBy}).
   *
   * @param <T> the event type
   */
  public static final class Decoded<T> {
    private final DataStream<Sourced<T>> main;
    private final DataStream<Sourced<T>> retried;
    private final DataStream<DeadLetter> deadLetters;

    private Decoded(
        DataStream<Sourced<T>> main,
        DataStream<Sourced<T>> retried,
        DataStream<DeadLetter> deadLetters) {
      this.main = main;
      this.retried = retried;
      this.deadLetters = deadLetters;
    }

    /** The events decoded by the source itself, chained to it. */
    public DataStream<Sourced<T>> main() {
      return main;
    }

    /** The events decoded on a retry, if the split has a retry stage. */
    public Optional<DataStream<Sourced<T>>> retried() {
      return Optional.ofNullable(retried);
    }

    /** Every decoded event: both branches joined (not chained to what follows). */
    public DataStream<Sourced<T>> events() {
      return retried == null ? main : main.union(retried);
    }

    /** Every record that could not be decoded (after its retries). */
    public DataStream<DeadLetter> deadLetters() {
      return deadLetters;
    }

    /**
     * Applies {@code function} to each decoded event, on each branch separately, and joins the
     * results: the main branch's map is {@code operator} (chained to the source), the retried
     * branch's is {@link #retriedBranch(NamedOperator)}.
     */
    public <R> DataStream<R> map(
        MapFunction<Sourced<T>, R> function, TypeInformation<R> type, NamedOperator operator) {
      SingleOutputStreamOperator<R> mapped = operator.apply(main.map(function, type));
      if (retried == null) {
        return mapped;
      }
      return mapped.union(retriedBranch(operator).apply(retried.map(function, type)));
    }
  }

  /** An unbounded source of {@code topic} decoded by {@code schema}. */
  public static <T> KafkaSource<Sourced<T>> source(
      JobConfig config, Topic<?, ?> topic, DecodingDeserializationSchema<T> schema) {
    return builder(config, topic, schema).build();
  }

  /**
   * A builder preset like {@link #source}, for callers that need more (e.g. a bounded source in a
   * test: {@code setBounded(OffsetsInitializer.latest())}).
   */
  @SuppressWarnings("deprecation") // the connector takes no AutoOffsetResetStrategy yet
  public static <T> KafkaSourceBuilder<Sourced<T>> builder(
      JobConfig config, Topic<?, ?> topic, DecodingDeserializationSchema<T> schema) {
    OffsetsInitializer start =
        switch (config.startingOffsets()) {
          case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
          case EARLIEST -> OffsetsInitializer.earliest();
        };
    return KafkaSource.<Sourced<T>>builder()
        .setProperties(config.kafkaClientProperties())
        .setBootstrapServers(config.bootstrapServers())
        .setGroupId(config.groupId())
        .setClientIdPrefix(config.transactionalIdPrefix() + "-" + topic.name())
        .setTopics(topic.name())
        .setStartingOffsets(start)
        .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .setProperty("commit.offsets.on.checkpoint", "true")
        .setDeserializer(schema);
  }

  /**
   * Adds {@code source} to the graph with {@code watermarks} (assigned per partition, so idleness
   * works per partition), then splits decoded events from dead letters.
   *
   * @param sourceOperator uid and name of the source; the same uid the schema records in dead
   *     letters
   * @param splitOperator uid and name of the splitting step (chained to the source)
   */
  public static <T> Decoded<T> read(
      StreamExecutionEnvironment env,
      KafkaSource<Sourced<T>> source,
      WatermarkStrategy<Sourced<T>> watermarks,
      NamedOperator sourceOperator,
      NamedOperator splitOperator) {
    return split(
        sourceOperator.apply(env.fromSource(source, watermarks, sourceOperator.name())),
        splitOperator);
  }

  /** Splits an already added stream of decoded records (e.g. from a test source); no retries. */
  public static <T> Decoded<T> split(DataStream<Sourced<T>> records, NamedOperator splitOperator) {
    SingleOutputStreamOperator<Sourced<T>> events =
        splitOperator.apply(records.process(new DeadLetterSplitter<>(), records.getType()));
    return new Decoded<>(events, null, events.getSideOutput(DeadLetterSplitter.DEAD_LETTERS));
  }

  /**
   * Splits decoded records from dead letters and retries, on an async stage, the decoding of those
   * that failed transiently ({@link DecodeRetryFunction}, {@code retry.*} options): the happy path
   * stays a chained method call; only records in retry take the async detour. Adds two operators
   * besides the split: {@code <split uid>-retry} (the async retries) and {@code <split
   * uid>-retried} (their results split again).
   *
   * @param decoder decodes like the source did
   */
  public static <T> Decoded<T> split(
      DataStream<Sourced<T>> records,
      NamedOperator splitOperator,
      RecordDecoder<T> decoder,
      JobConfig config) {
    OutputTag<Sourced<T>> retryTag = new OutputTag<>("decode-retries", records.getType());
    SingleOutputStreamOperator<Sourced<T>> events =
        splitOperator.apply(records.process(new DeadLetterSplitter<>(retryTag), records.getType()));
    NamedOperator retryOperator = retryOperator(splitOperator);
    NamedOperator retriedOperator = retriedOperator(splitOperator);
    DataStream<Sourced<T>> retried =
        RetryingAsyncFunction.apply(
            events.getSideOutput(retryTag),
            new DecodeRetryFunction<>(decoder, config.retry(), config.jobName()),
            records.getType(),
            retryOperator);
    SingleOutputStreamOperator<Sourced<T>> retriedEvents =
        retriedOperator.apply(retried.process(new DeadLetterSplitter<>(), records.getType()));
    return new Decoded<>(
        events,
        retriedEvents,
        events
            .getSideOutput(DeadLetterSplitter.DEAD_LETTERS)
            .union(retriedEvents.getSideOutput(DeadLetterSplitter.DEAD_LETTERS)));
  }

  /** The retry stage's uid and name, derived from the split's: {@code <split uid>-retry}. */
  public static NamedOperator retryOperator(NamedOperator splitOperator) {
    return new NamedOperator(
        splitOperator.uid() + "-retry", splitOperator.name() + ": decode retries");
  }

  /**
   * The copy, on the retried branch, of a per-record step applied with {@link Decoded#map}: {@code
   * <uid>-retried}.
   */
  public static NamedOperator retriedBranch(NamedOperator operator) {
    return new NamedOperator(operator.uid() + "-retried", operator.name() + " (retried)");
  }

  /** The split of the retry stage's results: {@code <split uid>-retried}. */
  public static NamedOperator retriedOperator(NamedOperator splitOperator) {
    return new NamedOperator(
        splitOperator.uid() + "-retried", splitOperator.name() + ": retried records");
  }
}
