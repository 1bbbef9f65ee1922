package org.edapipeline.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.edapipeline.dlq.DlqFixture.CliResult;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code dlq list} and {@code dlq show} against real Kafka and registry: triage output, filters.
 */
class DlqInspectITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  private static DlqFixture fixture;

  @BeforeAll
  static void setUp() {
    fixture = new DlqFixture(KAFKA, REGISTRY);
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  @Test
  void shouldListEveryRecordWithItsProvenanceAndErrorAndFlagWhatIsNotADeadLetter() {
    fixture.createTopics(Topics.ORDER_EVENTS);
    DeadLetter poison =
        DlqFixture.letter(Topics.ORDER_EVENTS, 2, 17)
            .setErrorCategory(ErrorCategory.POISON)
            .setErrorClass("org.edapipeline.schemas.serde.UnknownMagicByteException")
            .setErrorMessage("Unknown magic byte 0x7b:\nnot the Confluent wire format")
            .setAttemptCount(1)
            .build();
    DeadLetter transientFailure =
        DlqFixture.letter(Topics.ORDER_EVENTS, 0, 4)
            .setErrorCategory(ErrorCategory.TRANSIENT)
            .setErrorClass("java.util.concurrent.TimeoutException")
            .setAttemptCount(3)
            .build();
    List<RecordMetadata> written = fixture.write(List.of(poison, transientFailure));
    fixture.writeRaw(
        Topics.dlqOf(Topics.ORDER_EVENTS).name(),
        1,
        "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8));

    CliResult result = fixture.cli("list", "--source", Topics.ORDER_EVENTS.name());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines.get(0))
        .containsSubsequence(
            "POS",
            "FAILED_AT",
            "SOURCE",
            "CATEGORY",
            "ERROR",
            "MESSAGE",
            "EVENT_ID",
            "CORRELATION_ID",
            "ATTEMPTS");
    assertThat(line(lines, poison.getEventId()))
        .startsWith(written.get(0).partition() + ":" + written.get(0).offset())
        .containsSubsequence(
            poison.getLastFailureAt().toString(),
            Topics.ORDER_EVENTS.name() + "/2/17",
            "POISON",
            "UnknownMagicByteException",
            "Unknown magic byte 0x7b: not the Confluent wire format",
            poison.getEventId().toString(),
            "corr-17",
            "1");
    assertThat(line(lines, transientFailure.getEventId()))
        .containsSubsequence(
            Topics.ORDER_EVENTS.name() + "/0/4", "TRANSIENT", "TimeoutException", "3");
    assertThat(result.out()).contains("(not a dead letter)").contains("3 of 3 records");
  }

  @Test
  void shouldNarrowTheListByErrorClassCategoryTimeKeyAndSourcePartition() {
    fixture.createTopics(Topics.PAYMENT_EVENTS);
    DeadLetter old =
        DlqFixture.letter(Topics.PAYMENT_EVENTS, 0, 1)
            .setLastFailureAt(DlqFixture.NOW.minusSeconds(3 * 3600))
            .build();
    DeadLetter poison =
        DlqFixture.letter(Topics.PAYMENT_EVENTS, 1, 2)
            .setErrorCategory(ErrorCategory.POISON)
            .setErrorClass("org.edapipeline.schemas.serde.CorruptPayloadException")
            .build();
    DeadLetter keyed =
        DlqFixture.letter(Topics.PAYMENT_EVENTS, 2, 3)
            .setOriginalKey(ByteBuffer.wrap("payment-42".getBytes(StandardCharsets.UTF_8)))
            .build();
    fixture.write(List.of(old, poison, keyed));
    String source = Topics.PAYMENT_EVENTS.name();

    assertThat(
            eventIds(fixture.cli("list", "-s", source, "--error-class", "CorruptPayloadException")))
        .containsExactly(poison.getEventId());
    assertThat(
            eventIds(
                fixture.cli(
                    "list",
                    "-s",
                    source,
                    "--error-class",
                    "org.edapipeline.schemas.serde.CorruptPayloadException")))
        .containsExactly(poison.getEventId());
    assertThat(eventIds(fixture.cli("list", "-s", source, "--category", "POISON,TRANSIENT")))
        .containsExactly(poison.getEventId());
    assertThat(eventIds(fixture.cli("list", "-s", source, "--since", "2h")))
        .containsExactlyInAnyOrder(poison.getEventId(), keyed.getEventId());
    assertThat(eventIds(fixture.cli("list", "-s", source, "--until", "2026-03-01T10:00:00Z")))
        .containsExactly(old.getEventId());
    assertThat(eventIds(fixture.cli("list", "-s", source, "--key", "payment-42")))
        .containsExactly(keyed.getEventId());
    assertThat(eventIds(fixture.cli("list", "-s", source, "--source-partition", "1")))
        .containsExactly(poison.getEventId());
    assertThat(
            eventIds(fixture.cli("list", "-s", source, "--category", "PERMANENT", "--since", "2h")))
        .containsExactly(keyed.getEventId());
  }

  @Test
  void shouldShowOneDeadLetterInFullWithItsValueDecodedThroughTheRegistry() {
    fixture.createTopics(Topics.IOT_READINGS);
    UUID readingId = UUID.randomUUID();
    byte[] reading = fixture.sensorReading("device-7", readingId);
    DeadLetter decodable =
        DlqFixture.letter(Topics.IOT_READINGS, 1, 99)
            .setOriginalValue(ByteBuffer.wrap(reading))
            .setErrorCategory(ErrorCategory.PERMANENT)
            .setErrorMessage("reading out of range: NaN")
            .build();
    DeadLetter garbage =
        DlqFixture.letter(Topics.IOT_READINGS, 1, 100)
            .setOriginalValue(ByteBuffer.wrap(new byte[] {'h', 'i', 0x7f, 0x00}))
            .setErrorCategory(ErrorCategory.POISON)
            .build();
    List<RecordMetadata> written = fixture.write(List.of(decodable, garbage));
    String dlq = Topics.dlqOf(Topics.IOT_READINGS).name();

    CliResult shown = fixture.cli("show", "-t", dlq, position(written.get(0)));

    assertThat(shown.exitCode()).as(shown.err()).isZero();
    assertThat(shown.out())
        .contains("source:           " + Topics.IOT_READINGS.name() + " partition 1 offset 99")
        .contains("job:              test-job")
        .contains("operator uid:     test-operator")
        .contains("category:         PERMANENT")
        .contains("message:          reading out of range: NaN")
        .contains("event id:         " + decodable.getEventId())
        .contains("replay count:     0")
        .contains("key:              key-99")
        .contains("  eventId = " + decodable.getEventId())
        .contains("  binary = 0x0001fe")
        .contains("  empty = (null)")
        .contains("value: " + reading.length + " bytes")
        .contains("  00000000  00 00 00 ")
        .contains("value as Avro (schema id")
        .contains("org.edapipeline.events.iot.SensorReadingRecorded")
        .contains("\"deviceId\": \"device-7\"")
        .contains(readingId.toString())
        .contains("stack trace:")
        .contains("\tat X.y(X.java:1)");

    CliResult undecodable = fixture.cli("show", "-t", dlq, position(written.get(1)));
    assertThat(undecodable.out())
        .contains("|hi..|")
        .contains("value does not decode: UnknownMagicByteException");

    CliResult missing = fixture.cli("show", "-t", dlq, written.get(1).partition() + ":999");
    assertThat(missing.exitCode()).isEqualTo(DlqCli.FAILED);
    assertThat(missing.err()).contains("No record at " + written.get(1).partition() + ":999");
  }

  private static String position(RecordMetadata metadata) {
    return metadata.partition() + ":" + metadata.offset();
  }

  private static String line(List<String> lines, UUID eventId) {
    return lines.stream()
        .filter(l -> l.contains(eventId.toString()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line with " + eventId + " in " + lines));
  }

  private static List<UUID> eventIds(CliResult result) {
    assertThat(result.exitCode()).as(result.err()).isZero();
    return result
        .out()
        .lines()
        .skip(1)
        .filter(l -> l.contains(":"))
        .flatMap(l -> java.util.Arrays.stream(l.split("\\s+")))
        .filter(
            word -> word.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
        .map(UUID::fromString)
        .toList();
  }
}
