package org.edapipeline.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.edapipeline.dlq.DlqFixture.CliResult;
import org.edapipeline.dlq.kafka.DlqTopic;
import org.edapipeline.dlq.read.DeadLetterEntry;
import org.edapipeline.dlq.replay.ReplayListener;
import org.edapipeline.dlq.replay.ReplayOptions;
import org.edapipeline.dlq.replay.ReplayReport;
import org.edapipeline.dlq.replay.Replayer;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.DeadLetterHeader;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code dlq replay} against real Kafka and registry: exact bytes and headers, dry run, rate limit,
 * resuming after an interruption, no second effect, and the maximum replay count.
 */
class DlqReplayITCase {

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
  void shouldRepublishTheOriginalKeyValueAndHeadersWithTheReplayCountIncremented() {
    Topic<?, ?> source = Topics.ORDER_EVENTS;
    fixture.createTopics(source);
    DeadLetter first = DlqFixture.letter(source, 0, 1).build();
    List<DeadLetterHeader> replayedOnce = new ArrayList<>(first.getOriginalHeaders());
    replayedOnce.add(1, DlqFixture.header(EventHeaders.REPLAY_COUNT, "1"));
    DeadLetter second =
        DlqFixture.letter(source, 1, 2)
            .setOriginalKey(null)
            .setOriginalHeaders(replayedOnce)
            .setEventId(UUID.randomUUID())
            .build();
    fixture.write(List.of(first, second));

    CliResult result = fixture.cli("replay", "--source", source.name());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("2 replayed, 0 refused, 0 skipped, 2 matched of 2 scanned");
    List<ConsumerRecord<byte[], byte[]>> published = fixture.readAll(source.name());
    assertThat(published).hasSize(2);
    ConsumerRecord<byte[], byte[]> one = byValue(published, first);
    assertThat(one.key()).isEqualTo(DlqFixture.bytes(first.getOriginalKey()));
    assertThat(headers(one))
        .containsExactly(
            Map.entry(EventHeaders.EVENT_ID, first.getEventId().toString()),
            Map.entry(EventHeaders.CORRELATION_ID, "corr-1"),
            Map.entry("binary", "0x0001fe"),
            Map.entry("empty", "(null)"),
            Map.entry(EventHeaders.REPLAY_COUNT, "1"));
    ConsumerRecord<byte[], byte[]> two = byValue(published, second);
    assertThat(two.key()).isNull();
    assertThat(headers(two))
        .as("the old count is replaced, the other headers keep their order")
        .containsExactly(
            Map.entry(EventHeaders.EVENT_ID, first.getEventId().toString()),
            Map.entry(EventHeaders.CORRELATION_ID, "corr-1"),
            Map.entry("binary", "0x0001fe"),
            Map.entry("empty", "(null)"),
            Map.entry(EventHeaders.REPLAY_COUNT, "2"));
  }

  @Test
  void shouldPublishAndCommitNothingInADryRunAndReplayOnlyWhatTheFilterSelects() {
    Topic<?, ?> source = Topics.INVENTORY_EVENTS;
    fixture.createTopics(source);
    DeadLetter timeout =
        DlqFixture.letter(source, 0, 1).setErrorCategory(ErrorCategory.TRANSIENT).build();
    DeadLetter rejected = DlqFixture.letter(source, 0, 2).build();
    fixture.write(List.of(timeout, rejected));

    CliResult dryRun =
        fixture.cli("replay", "-s", source.name(), "--category", "TRANSIENT", "--dry-run");

    assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
    assertThat(dryRun.out())
        .contains("would replay")
        .contains(timeout.getEventId().toString())
        .doesNotContain(rejected.getEventId().toString())
        .contains("dry run: 1 replayed, 0 refused, 0 skipped, 1 matched of 2 scanned");
    assertThat(fixture.readAll(source.name())).isEmpty();
    assertThat(committedOffsets(source, ReplayOptions.DEFAULT_JOB)).isEmpty();

    CliResult real = fixture.cli("replay", "-s", source.name(), "--category", "TRANSIENT");

    assertThat(real.out()).contains("1 replayed");
    assertThat(eventIds(fixture.readAll(source.name()))).containsExactly(timeout.getEventId());
  }

  @Test
  void shouldSpaceRecordsByTheRateLimit() {
    Topic<?, ?> source = Topics.SHIPMENT_EVENTS;
    fixture.createTopics(source);
    fixture.write(letters(source, 10));
    List<Long> sentAt = Collections.synchronizedList(new ArrayList<>());
    ReplayListener timing =
        new ReplayListener() {
          @Override
          public void onReplayed(DeadLetterEntry entry, int replayCount) {
            sentAt.add(System.nanoTime());
          }
        };
    Replayer replayer =
        new Replayer(
            fixture.clientConfig(),
            ReplayOptions.defaults(DlqTopic.ofSource(source.name())).withRate(20),
            timing);

    long start = System.nanoTime();
    CompletableFuture<ReplayReport> run = CompletableFuture.supplyAsync(replayer::run);

    await().atMost(Duration.ofSeconds(20)).until(run::isDone);
    assertThat(run.join().replayed()).isEqualTo(10);
    assertThat(fixture.readAll(source.name())).hasSize(10);
    // 20 records/s: record i (from 0) is not handed to the producer before i * 50 ms, so no burst.
    for (int i = 0; i < sentAt.size(); i++) {
      assertThat(Duration.ofNanos(sentAt.get(i) - start))
          .as("record %d", i)
          .isGreaterThanOrEqualTo(Duration.ofMillis(i * 50L));
    }
  }

  @Test
  void shouldResumeAnInterruptedReplayWhereItStoppedSoEveryRecordIsReplayedOnce() {
    Topic<?, ?> source = Topics.PAYMENT_EVENTS;
    fixture.createTopics(source);
    List<DeadLetter> letters = letters(source, 12);
    fixture.write(letters);
    DlqTopic dlq = DlqTopic.ofSource(source.name());

    // 1: stopped by its record limit
    CliResult limited = fixture.cli("replay", "-s", source.name(), "--limit", "5");
    assertThat(limited.out()).contains("5 replayed").contains("run again to resume");

    // 2: interrupted from outside mid-way (what Ctrl-C does through the shutdown hook)
    AtomicInteger seen = new AtomicInteger();
    Replayer[] interrupted = new Replayer[1];
    interrupted[0] =
        new Replayer(
            fixture.clientConfig(),
            ReplayOptions.defaults(dlq),
            new ReplayListener() {
              @Override
              public void onReplayed(DeadLetterEntry entry, int replayCount) {
                if (seen.incrementAndGet() == 4) {
                  interrupted[0].requestStop();
                }
              }
            });
    ReplayReport second = interrupted[0].run();
    assertThat(second.replayed()).isEqualTo(4);
    assertThat(second.complete()).isFalse();

    // 3: the rest
    CliResult rest = fixture.cli("replay", "-s", source.name());
    assertThat(rest.out()).contains("3 replayed");

    List<UUID> published = eventIds(fixture.readAll(source.name()));
    assertThat(published)
        .hasSize(12)
        .containsExactlyInAnyOrderElementsOf(letters.stream().map(DeadLetter::getEventId).toList());
    assertThat(
            committedOffsets(source, ReplayOptions.DEFAULT_JOB).values().stream()
                .mapToLong(Long::longValue)
                .sum())
        .isEqualTo(12);
  }

  @Test
  void shouldPublishNothingNewOnASecondReplayAndTheSameEventIdsAgainWhenForcedFromTheStart() {
    Topic<?, ?> source = Topics.IOT_DEVICES;
    fixture.createTopics(source);
    List<DeadLetter> letters = letters(source, 4);
    fixture.write(letters);

    assertThat(fixture.cli("replay", "-s", source.name()).out()).contains("4 replayed");
    assertThat(fixture.cli("replay", "-s", source.name()).out()).contains("0 replayed");
    assertThat(fixture.readAll(source.name())).hasSize(4);

    assertThat(fixture.cli("replay", "-s", source.name(), "--from-start").out())
        .contains("4 replayed");

    Map<UUID, Long> copies =
        eventIds(fixture.readAll(source.name())).stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(copies)
        .as("duplicates carry the same event ids, which every consumer dedupes on")
        .hasSize(4)
        .allSatisfy((id, count) -> assertThat(count).isEqualTo(2));
  }

  @Test
  void shouldRefuseRecordsThatReachedTheMaximumReplayCount() {
    Topic<?, ?> source = Topics.SAGA_COMMANDS;
    fixture.createTopics(source);
    DeadLetter atMax = withReplayCount(DlqFixture.letter(source, 0, 1).build(), "3");
    DeadLetter belowMax = withReplayCount(DlqFixture.letter(source, 0, 2).build(), "2");
    DeadLetter unreadable = withReplayCount(DlqFixture.letter(source, 0, 3).build(), "often");
    fixture.write(List.of(atMax, belowMax, unreadable));

    CliResult result = fixture.cli("replay", "-s", source.name());

    assertThat(result.out())
        .contains("refused")
        .contains("replayed 3 times already (--max-replays 3)")
        .contains("header is not a count")
        .contains("1 replayed, 2 refused");
    List<ConsumerRecord<byte[], byte[]>> published = fixture.readAll(source.name());
    assertThat(eventIds(published)).containsExactly(belowMax.getEventId());
    assertThat(headers(published.get(0))).contains(Map.entry(EventHeaders.REPLAY_COUNT, "3"));

    CliResult raised =
        fixture.cli(
            "replay",
            "-s",
            source.name(),
            "--job",
            "raised-max",
            "--max-replays",
            "4",
            "--category",
            "PERMANENT");
    assertThat(raised.out()).contains("2 replayed, 1 refused");
  }

  private static DeadLetter withReplayCount(DeadLetter letter, String count) {
    List<DeadLetterHeader> headers = new ArrayList<>(letter.getOriginalHeaders());
    headers.add(DlqFixture.header(EventHeaders.REPLAY_COUNT, count));
    return DeadLetter.newBuilder(letter).setOriginalHeaders(headers).build();
  }

  private static List<DeadLetter> letters(Topic<?, ?> source, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> DlqFixture.letter(source, i % source.partitions(), i).build())
        .toList();
  }

  private static Map<Integer, Long> committedOffsets(Topic<?, ?> source, String job) {
    DlqTopic dlq = DlqTopic.ofSource(source.name());
    try (Admin admin = KAFKA.admin()) {
      return new org.edapipeline.dlq.kafka.DlqOffsets(admin)
          .groupOffsets(Replayer.groupId(dlq, job), dlq.name());
    }
  }

  private static ConsumerRecord<byte[], byte[]> byValue(
      List<ConsumerRecord<byte[], byte[]>> records, DeadLetter letter) {
    byte[] value = DlqFixture.bytes(letter.getOriginalValue());
    return records.stream()
        .filter(r -> java.util.Arrays.equals(r.value(), value))
        .findFirst()
        .orElseThrow(() -> new AssertionError("not published: " + letter.getSourceOffset()));
  }

  private static List<UUID> eventIds(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream()
        .map(
            r ->
                new String(
                    r.headers().lastHeader(EventHeaders.EVENT_ID).value(), StandardCharsets.UTF_8))
        .map(UUID::fromString)
        .toList();
  }

  private static List<Map.Entry<String, String>> headers(ConsumerRecord<byte[], byte[]> record) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (Header header : record.headers()) {
      String value;
      if (header.value() == null) {
        value = "(null)";
      } else if (header.key().equals("binary")) {
        value = "0x" + java.util.HexFormat.of().formatHex(header.value());
      } else {
        value = new String(header.value(), StandardCharsets.UTF_8);
      }
      headers.add(Map.entry(header.key(), value));
    }
    return headers;
  }
}
