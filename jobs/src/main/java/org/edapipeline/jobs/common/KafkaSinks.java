package org.edapipeline.jobs.common;

import java.nio.ByteBuffer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.schemas.SubjectNaming;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;

/**
 * Exactly-once Kafka sinks: records are written in Kafka transactions that commit when the
 * checkpoint that covers them completes, so read_committed consumers see each output once, even
 * across restarts. Each sink gets its own transactional-id prefix, {@code
 * <kafka.transactional-id-prefix>.<sink name>}, so no two sinks (or jobs) fence each other.
 *
 * <p>Output records are stamped with the time they are written, not with their event time (which is
 * in the payload): time-based retention then counts from when an output was produced, so the
 * outputs of a replay of old input are not deleted by the broker as soon as they are committed.
 *
 * <p>{@code --kafka.sink-guarantee AT_LEAST_ONCE} turns the transactions off in every sink (to
 * measure their cost); the jobs' promises assume the default, {@code EXACTLY_ONCE}.
 *
 * <p>Call {@link TransactionTimeoutCheck#validate(JobConfig)} once at start: these sinks use {@link
 * JobConfig#transactionTimeout()} as the producer's {@code transaction.timeout.ms}.
 */
public final class KafkaSinks {

  private KafkaSinks() {}

  /**
   * A sink writing Avro records to {@code topic}, keyed by the UTF-8 string {@code key} returns.
   *
   * @param sinkName unique within the job; part of the transactional-id prefix, never change it
   *     once released (pending transactions of a restored job are found by it)
   */
  public static <V extends SpecificRecord> KafkaSink<V> exactlyOnce(
      JobConfig config,
      String sinkName,
      Topic<String, V> topic,
      SerializableFunction<V, String> key) {
    return exactlyOnce(config, sinkName, topic, key, record -> record);
  }

  /**
   * A sink writing the Avro record {@code value} gives for each element (e.g. the one record a
   * wrapper POJO holds, for a topic carrying several record types) to {@code topic}, keyed by the
   * UTF-8 string {@code key} returns, with the record's {@link OutputHeaders}.
   *
   * @param sinkName unique within the job; part of the transactional-id prefix, never change it
   *     once released (pending transactions of a restored job are found by it)
   * @param value the record to write; its class must be one of the topic's value types
   */
  public static <T, V extends SpecificRecord> KafkaSink<T> exactlyOnce(
      JobConfig config,
      String sinkName,
      Topic<String, V> topic,
      SerializableFunction<T, String> key,
      SerializableFunction<T, ? extends V> value) {
    String name = topic.name();
    return exactlyOnce(
        config,
        sinkName,
        new AvroRecordSerializer<T>(
            config.registry(),
            config.autoRegisterSchemas(),
            topic.subjectNaming(),
            element -> name,
            element -> AvroRecordSerializer.utf8(key.apply(element)),
            value));
  }

  /**
   * A sink writing each dead letter to the dead-letter queue of its source topic, {@code
   * <source-topic>.dlq} ({@link Topics#dlqOf}), keyed by the original key bytes, through the same
   * exactly-once path as the job's other outputs.
   */
  public static KafkaSink<DeadLetter> deadLetters(JobConfig config, String sinkName) {
    return exactlyOnceBuilder(
            config,
            sinkName,
            new AvroRecordSerializer<DeadLetter>(
                config.registry(),
                config.autoRegisterSchemas(),
                SubjectNaming.TOPIC_NAME,
                KafkaSinks::dlqTopicOf,
                letter -> bytes(letter.getOriginalKey()),
                letter -> letter))
        // A dead letter holds the whole original value: the largest input must fit.
        .setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, dlqMaxRequestSize(config))
        .build();
  }

  /**
   * At least {@link Topics#DLQ_MAX_MESSAGE_BYTES}, or the user's larger {@code max.request.size}.
   */
  static String dlqMaxRequestSize(JobConfig config) {
    String configured =
        config.kafkaClientProperties().getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    int size = 0;
    if (configured != null) {
      try {
        size = Integer.parseInt(configured.strip());
      } catch (NumberFormatException e) {
        throw new JobConfigurationException(
            "--kafka.properties."
                + ProducerConfig.MAX_REQUEST_SIZE_CONFIG
                + " is not a number: "
                + configured);
      }
    }
    return Integer.toString(Math.max(size, Topics.DLQ_MAX_MESSAGE_BYTES));
  }

  /**
   * Counts the dead letters per DLQ topic and category ({@link DeadLetterMetrics}, chained) and
   * writes them with {@link #deadLetters(JobConfig, String)} (sink name {@code dlq}).
   */
  public static DataStreamSink<DeadLetter> writeDeadLetters(
      DataStream<DeadLetter> deadLetters,
      JobConfig config,
      NamedOperator metricsOperator,
      NamedOperator sinkOperator) {
    return sinkOperator.apply(
        metricsOperator
            .apply(deadLetters.map(new DeadLetterMetrics(), deadLetters.getType()))
            .sinkTo(deadLetters(config, "dlq")));
  }

  /** The dead-letter queue of the letter's source topic; unknown topics are an error. */
  static String dlqTopicOf(DeadLetter letter) {
    Topic<?, ?> source =
        Topics.byName(letter.getSourceTopic())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Dead letter from a topic outside the catalogue: "
                            + letter.getSourceTopic()));
    return Topics.dlqOf(source).name();
  }

  private static <T> KafkaSink<T> exactlyOnce(
      JobConfig config, String sinkName, AvroRecordSerializer<T> serializer) {
    return exactlyOnceBuilder(config, sinkName, serializer).build();
  }

  private static <T> KafkaSinkBuilder<T> exactlyOnceBuilder(
      JobConfig config, String sinkName, AvroRecordSerializer<T> serializer) {
    return KafkaSink.<T>builder()
        .setKafkaProducerConfig(config.kafkaClientProperties())
        .setBootstrapServers(config.bootstrapServers())
        .setDeliveryGuarantee(deliveryGuarantee(config))
        .setTransactionalIdPrefix(config.transactionalIdPrefix() + "." + sinkName)
        .setProperty(
            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
            Long.toString(config.transactionTimeout().toMillis()))
        .setRecordSerializer(serializer);
  }

  /** Flink's guarantee for {@link JobConfig#sinkGuarantee()}. */
  static DeliveryGuarantee deliveryGuarantee(JobConfig config) {
    return switch (config.sinkGuarantee()) {
      case EXACTLY_ONCE -> DeliveryGuarantee.EXACTLY_ONCE;
      case AT_LEAST_ONCE -> DeliveryGuarantee.AT_LEAST_ONCE;
    };
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
