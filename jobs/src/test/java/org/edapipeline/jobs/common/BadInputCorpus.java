package org.edapipeline.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.serde.CorruptPayloadException;
import org.edapipeline.schemas.serde.MissingPayloadException;
import org.edapipeline.schemas.serde.UnknownMagicByteException;
import org.edapipeline.schemas.serde.UnknownSchemaIdException;
import org.edapipeline.schemas.serde.WireFormat;

/**
 * The bad-input corpus of issue 6: eleven classes of bad record, each with where it must end up
 * (which DLQ, which category and error, or the dedupe counter). The jobs' corpus ITCases build it
 * per input topic from valid records of that topic, publish it, and check every record's fate;
 * {@code jobs/README.md} has the same table.
 */
public final class BadInputCorpus {

  /**
   * Size of the oversized record's value: as large as a topic with Kafka's default limits takes (1
   * MiB a record, the key and headers included), so its dead letter is larger than that.
   */
  public static final int OVERSIZED_BYTES = 1_000_000;

  /** A schema id no registry hands out in a test. */
  static final int UNKNOWN_SCHEMA_ID = 987_654;

  private BadInputCorpus() {}

  /** The classes of bad input. */
  public enum BadInput {
    RANDOM_BYTES,
    EMPTY_VALUE,
    NULL_KEY,
    WRONG_MAGIC_BYTE,
    UNKNOWN_SCHEMA_ID,
    TRUNCATED_AVRO,
    OTHER_SCHEMA,
    OUT_OF_DOMAIN,
    FUTURE_TIMESTAMP,
    OVERSIZED,
    DUPLICATE_EVENT_ID
  }

  /** Where a bad record must end up. */
  public enum Destination {
    /** In {@code <topic>.dlq}, with the category and error given. */
    DLQ,
    /** Dropped as a redelivery and counted in the job's dedupe counter. */
    DEDUPE,
    /** Applied as state without output (an idempotent upsert of the device registry). */
    IDEMPOTENT,
    /** Refused by the broker: it never reaches the job. */
    REFUSED_BY_BROKER
  }

  /**
   * Where a record must end up.
   *
   * @param error for the DLQ: the simple name of the error class, or the reason code of a rule's
   *     rejection ({@link RecordRejectedException})
   */
  public record Expected(Destination destination, ErrorCategory category, String error) {

    public static Expected poison(Class<? extends Exception> error) {
      return new Expected(Destination.DLQ, ErrorCategory.POISON, error.getSimpleName());
    }

    public static Expected rejected(String reason) {
      return new Expected(Destination.DLQ, ErrorCategory.PERMANENT, reason);
    }

    public static final Expected DEDUPED = new Expected(Destination.DEDUPE, null, null);
    public static final Expected IDEMPOTENT_UPSERT =
        new Expected(Destination.IDEMPOTENT, null, null);
    public static final Expected REFUSED = new Expected(Destination.REFUSED_BY_BROKER, null, null);

    @Override
    public String toString() {
      return destination == Destination.DLQ ? category + " " + error : destination.name();
    }
  }

  /** One bad record for one topic and its expected fate; sent to partition 0. */
  public record BadRecord(
      BadInput kind,
      Topic<?, ?> topic,
      byte[] key,
      byte[] value,
      Map<String, String> headers,
      Expected expected) {

    @Override
    public String toString() {
      return kind + " on " + topic.name() + " -> " + expected;
    }
  }

  /** A bad record as published: where it landed (or why the broker refused it). */
  public record Sent(BadRecord record, RecordMetadata where, Exception refusal) {}

  /**
   * The six classes that no decoder can read, built from {@code valid}, the wire bytes of a valid
   * record of the topic: random bytes, an empty value, a wrong magic byte, an unknown schema id, a
   * truncated Avro body and an oversized value (a valid header, then garbage). All POISON.
   */
  public static List<BadRecord> undecodable(Topic<?, ?> topic, String key, byte[] valid) {
    Random random = new Random(topic.name().hashCode());
    byte[] randomBytes = new byte[64];
    do {
      random.nextBytes(randomBytes);
    } while (randomBytes[0] == WireFormat.MAGIC_BYTE);
    byte[] wrongMagic = valid.clone();
    wrongMagic[0] = 1;
    byte[] unknownId = valid.clone();
    ByteBuffer.wrap(unknownId, 1, 4).putInt(UNKNOWN_SCHEMA_ID);
    byte[] truncated =
        Arrays.copyOf(valid, WireFormat.HEADER_SIZE + (valid.length - WireFormat.HEADER_SIZE) / 2);
    byte[] oversized = new byte[OVERSIZED_BYTES];
    Arrays.fill(oversized, (byte) 0xFF);
    System.arraycopy(valid, 0, oversized, 0, WireFormat.HEADER_SIZE);
    return List.of(
        of(
            BadInput.RANDOM_BYTES,
            topic,
            key,
            randomBytes,
            Expected.poison(UnknownMagicByteException.class)),
        of(
            BadInput.EMPTY_VALUE,
            topic,
            key,
            new byte[0],
            Expected.poison(MissingPayloadException.class)),
        of(
            BadInput.WRONG_MAGIC_BYTE,
            topic,
            key,
            wrongMagic,
            Expected.poison(UnknownMagicByteException.class)),
        of(
            BadInput.UNKNOWN_SCHEMA_ID,
            topic,
            key,
            unknownId,
            Expected.poison(UnknownSchemaIdException.class)),
        of(
            BadInput.TRUNCATED_AVRO,
            topic,
            key,
            truncated,
            Expected.poison(CorruptPayloadException.class)),
        of(
            BadInput.OVERSIZED,
            topic,
            key,
            oversized,
            Expected.poison(CorruptPayloadException.class)));
  }

  /**
   * A bad record of {@code kind} with a fresh event id (a header: the value may not be readable)
   * and the key as correlation id; {@code key} null for no key.
   */
  public static BadRecord of(
      BadInput kind, Topic<?, ?> topic, String key, byte[] value, Expected expected) {
    return of(kind, topic, key, value, eventId(topic, kind), expected);
  }

  /**
   * A bad record whose value decodes: its event id header is the one in its payload, as a producer
   * of the catalogue writes it.
   */
  public static BadRecord of(
      BadInput kind, Topic<?, ?> topic, String key, byte[] value, UUID eventId, Expected expected) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(EventHeaders.EVENT_ID, eventId.toString());
    if (key != null) {
      headers.put(EventHeaders.CORRELATION_ID, key);
    }
    return new BadRecord(kind, topic, utf8(key), value, headers, expected);
  }

  /** A redelivery: the very key, value and headers of a record the job has processed. */
  public static BadRecord duplicate(
      Topic<?, ?> topic, String key, byte[] value, Map<String, String> headers, Expected expected) {
    return new BadRecord(BadInput.DUPLICATE_EVENT_ID, topic, utf8(key), value, headers, expected);
  }

  /** The event id header of a corpus record: deterministic, so a rerun sends the same ids. */
  public static UUID eventId(Topic<?, ?> topic, BadInput kind) {
    return UUID.nameUUIDFromBytes(
        ("corpus/" + topic.name() + "/" + kind).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Publishes {@code records} in order, each to partition 0 of its topic, through a plain (not
   * idempotent) producer, so a record the broker refuses does not poison the others' sequence.
   */
  public static List<Sent> publish(Map<String, Object> clientConfig, List<BadRecord> records)
      throws Exception {
    Map<String, Object> config = new LinkedHashMap<>(clientConfig);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    config.put(ProducerConfig.RETRIES_CONFIG, 0);
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    List<Sent> sent = new ArrayList<>(records.size());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (BadRecord record : records) {
        ProducerRecord<byte[], byte[]> out =
            new ProducerRecord<>(record.topic().name(), 0, record.key(), record.value());
        record.headers().forEach((k, v) -> out.headers().add(k, utf8(v)));
        Future<RecordMetadata> future = producer.send(out);
        try {
          RecordMetadata where = future.get(30, TimeUnit.SECONDS);
          if (record.expected().destination() == Destination.REFUSED_BY_BROKER) {
            throw new AssertionError("The broker accepted " + record + " at " + where);
          }
          sent.add(new Sent(record, where, null));
        } catch (ExecutionException e) {
          if (record.expected().destination() != Destination.REFUSED_BY_BROKER) {
            throw e;
          }
          sent.add(new Sent(record, null, e));
        }
      }
    }
    return sent;
  }

  /**
   * Asserts that every record of {@code sent} bound for a DLQ is in the DLQ of its topic exactly
   * once, with its provenance (topic, partition, offset), original key and value bytes, headers'
   * event id, category and error; and that the DLQs hold nothing else.
   *
   * @param letters the committed dead letters of every DLQ of the job, by DLQ topic name
   */
  public static void assertDeadLettered(List<Sent> sent, Map<String, List<DeadLetter>> letters) {
    int expected = 0;
    for (Sent s : sent) {
      BadRecord record = s.record();
      if (record.expected().destination() != Destination.DLQ) {
        continue;
      }
      expected++;
      List<DeadLetter> queue = letters.getOrDefault(Topics.dlqOf(record.topic()).name(), List.of());
      assertThat(queue)
          .as("dead letters of %s at %s", record, s.where())
          .filteredOn(
              d ->
                  d.getSourcePartition() == s.where().partition()
                      && d.getSourceOffset() == s.where().offset())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.getSourceTopic()).isEqualTo(record.topic().name());
                assertThat(d.getErrorCategory() + " " + error(d))
                    .as("category and error of %s", record)
                    .isEqualTo(record.expected().toString());
                assertThat(bytes(d.getOriginalValue())).isEqualTo(record.value());
                assertThat(bytes(d.getOriginalKey())).isEqualTo(record.key());
                assertThat(d.getEventId()).hasToString(record.headers().get(EventHeaders.EVENT_ID));
                assertThat(d.getOriginalHeaders())
                    .extracting(h -> h.getKey())
                    .containsExactlyElementsOf(record.headers().keySet());
              });
    }
    assertThat(letters.values().stream().mapToInt(List::size).sum())
        .as("dead letters in all DLQs: only the corpus's")
        .isEqualTo(expected);
  }

  /** How many records of {@code sent} must end up at {@code destination}. */
  public static long count(List<Sent> sent, Destination destination) {
    return sent.stream().filter(s -> s.record().expected().destination() == destination).count();
  }

  /**
   * What a dead letter says went wrong, comparable with {@link Expected#error()}: the reason code
   * of a rule's rejection, else the simple name of the error class.
   */
  public static String error(DeadLetter letter) {
    String errorClass = letter.getErrorClass();
    if (errorClass.endsWith("RecordRejectedException")
        && letter.getErrorMessage() != null
        && letter.getErrorMessage().contains(":")) {
      return letter.getErrorMessage().substring(0, letter.getErrorMessage().indexOf(':'));
    }
    return errorClass.substring(errorClass.lastIndexOf('.') + 1);
  }

  /** The bytes of an Avro {@code bytes} field. */
  public static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  private static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }
}
