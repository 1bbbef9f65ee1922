package org.edapipeline.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.edapipeline.dlq.DlqFixture.CliResult;
import org.edapipeline.dlq.kafka.DlqTopic;
import org.edapipeline.dlq.monitor.DlqMonitor;
import org.edapipeline.dlq.monitor.DlqStatus;
import org.edapipeline.dlq.monitor.KafkaAlertSink;
import org.edapipeline.dlq.monitor.MetricsServer;
import org.edapipeline.dlq.monitor.MonitorOptions;
import org.edapipeline.dlq.monitor.PrometheusFormat;
import org.edapipeline.dlq.replay.ReplayOptions;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.DlqDepthAlert;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code dlq purge} and {@code dlq depth} / {@link DlqMonitor} against real Kafka and registry. */
class DlqPurgeAndDepthITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  private static final Clock CLOCK = Clock.fixed(DlqFixture.NOW, ZoneOffset.UTC);

  private static DlqFixture fixture;

  @BeforeAll
  static void setUp() {
    fixture = new DlqFixture(KAFKA, REGISTRY);
    KAFKA.createTopic(
        Topics.DLQ_ALERTS.name(), Topics.DLQ_ALERTS.partitions(), Topics.DLQ_ALERTS.config());
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  @Test
  void shouldDeleteRecordsBeforeTheOffsetOnlyWhenConfirmed() {
    Topic<?, ?> source = Topics.ORDER_EVENTS;
    fixture.createTopics(source);
    String dlq = Topics.dlqOf(source).name();
    for (int i = 0; i < 5; i++) {
      fixture.writeRaw(dlq, 0, new byte[] {(byte) i});
      fixture.writeRaw(dlq, 1, new byte[] {(byte) i});
    }

    CliResult unconfirmed =
        fixture.cli("purge", "-t", dlq, "--before-offset", "3", "--partition", "0");

    assertThat(unconfirmed.exitCode()).isEqualTo(4);
    assertThat(unconfirmed.out())
        .contains(dlq + " partition 0: offsets [0, 5), delete before 3: 3 records")
        .contains(dlq + " partition 1: offsets [0, 5), delete before 0: 0 records")
        .contains("add --yes");
    assertThat(fixture.readAll(dlq)).hasSize(10);

    CliResult confirmed =
        fixture.cli("purge", "-t", dlq, "--before-offset", "3", "--partition", "0", "--yes");

    assertThat(confirmed.exitCode()).as(confirmed.err()).isZero();
    assertThat(confirmed.out()).contains("deleted 3 records");
    List<ConsumerRecord<byte[], byte[]>> left = fixture.readAll(dlq);
    assertThat(left).hasSize(7);
    assertThat(left.stream().filter(r -> r.partition() == 0).map(ConsumerRecord::offset))
        .containsExactly(3L, 4L);

    assertThat(fixture.cli("purge", "-t", dlq, "--all", "--yes").out())
        .contains("deleted 7 records");
    assertThat(fixture.readAll(dlq)).isEmpty();
  }

  @Test
  void shouldPurgeWhatTheReplayJobPassedAndNothingElse() {
    Topic<?, ?> source = Topics.INVENTORY_EVENTS;
    fixture.createTopics(source);
    fixture.write(letters(source, 6, ErrorCategory.PERMANENT));
    fixture.cli("replay", "-s", source.name(), "--limit", "4");

    CliResult purge = fixture.cli("purge", "-s", source.name(), "--replayed", "--yes");

    assertThat(purge.out()).contains("deleted 4 records");
    assertThat(fixture.readAll(Topics.dlqOf(source).name())).hasSize(2);
  }

  @Test
  void shouldMeasureDepthAndCategoriesAndAlertOnceWhenTheThresholdIsCrossed() throws Exception {
    Topic<?, ?> source = Topics.PAYMENT_EVENTS;
    fixture.createTopics(source);
    DlqTopic dlq = DlqTopic.ofSource(source.name());
    MonitorOptions options =
        new MonitorOptions(List.of(dlq), OptionalLong.of(5), ReplayOptions.DEFAULT_JOB);
    try (KafkaAlertSink sink = new KafkaAlertSink(fixture.clientConfig(), true);
        DlqMonitor monitor = new DlqMonitor(fixture.clientConfig(), options, sink, CLOCK)) {
      fixture.write(letters(source, 3, ErrorCategory.POISON));
      fixture.write(letters(source, 1, ErrorCategory.TRANSIENT));

      DlqStatus below = monitor.check().get(0);
      assertThat(below.depth()).isEqualTo(4);
      assertThat(below.retained()).isEqualTo(4);
      assertThat(below.recent())
          .containsOnly(
              Map.entry(ErrorCategory.POISON, 3L), Map.entry(ErrorCategory.TRANSIENT, 1L));
      assertThat(below.alerting()).isFalse();
      assertThat(below.raised()).isEmpty();

      fixture.write(letters(source, 2, ErrorCategory.PERMANENT));
      DlqStatus crossed = monitor.check().get(0);
      assertThat(crossed.depth()).isEqualTo(6);
      assertThat(crossed.recent()).containsOnly(Map.entry(ErrorCategory.PERMANENT, 2L));
      assertThat(crossed.total())
          .containsOnly(
              Map.entry(ErrorCategory.POISON, 3L),
              Map.entry(ErrorCategory.TRANSIENT, 1L),
              Map.entry(ErrorCategory.PERMANENT, 2L));
      assertThat(crossed.alerting()).isTrue();
      assertThat(crossed.raised()).isPresent();

      fixture.write(letters(source, 1, ErrorCategory.POISON));
      DlqStatus stillAbove = monitor.check().get(0);
      assertThat(stillAbove.alerting()).isTrue();
      assertThat(stillAbove.raised()).as("one alert per crossing").isEmpty();

      // Replaying 5 records brings the depth (7) below the threshold; new ones cross it again.
      fixture.cli("replay", "-s", source.name(), "--limit", "5");
      DlqStatus drained = monitor.check().get(0);
      assertThat(drained.depth()).isEqualTo(2);
      assertThat(drained.retained()).isEqualTo(7);
      assertThat(drained.alerting()).isFalse();
      fixture.write(letters(source, 3, ErrorCategory.TRANSIENT));
      assertThat(monitor.check().get(0).raised()).isPresent();

      List<DlqDepthAlert> alerts =
          alerts().stream().filter(a -> a.getDlqTopic().equals(dlq.name())).toList();
      assertThat(alerts).hasSize(2);
      DlqDepthAlert first = alerts.get(0);
      assertThat(first.getDlqTopic()).isEqualTo(dlq.name());
      assertThat(first.getSourceTopic()).isEqualTo(source.name());
      assertThat(first.getDepth()).isEqualTo(6);
      assertThat(first.getThreshold()).isEqualTo(5);
      assertThat(first.getRecentByCategory()).containsOnly(Map.entry("PERMANENT", 2L));
      assertThat(first.getDetectedAt()).isEqualTo(DlqFixture.NOW);
      assertThat(first.getMetadata().getAggregateId()).isEqualTo(dlq.name());
      assertThat(alerts.get(1).getDepth()).isEqualTo(5);

      try (MetricsServer server =
          MetricsServer.start(
              new InetSocketAddress("127.0.0.1", 0),
              () -> PrometheusFormat.render(monitor.lastStatuses(), options.threshold()))) {
        HttpResponse<String> scrape =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type"))
            .hasValue(PrometheusFormat.CONTENT_TYPE);
        String topic = "{topic=\"" + dlq.name() + "\"";
        assertThat(scrape.body())
            .contains("# TYPE dlq_depth gauge")
            .contains("dlq_depth" + topic + "} 5\n")
            .contains("dlq_retained_records" + topic + "} 10\n")
            .contains("dlq_dead_letters_total" + topic + ",category=\"POISON\"} 4\n")
            .contains("dlq_dead_letters_total" + topic + ",category=\"TRANSIENT\"} 4\n")
            .contains("dlq_dead_letters_total" + topic + ",category=\"PERMANENT\"} 2\n")
            .contains("dlq_depth_alert_threshold 5\n")
            .contains("dlq_depth_alerting" + topic + "} 1\n")
            .contains("dlq_depth_alerts_total" + topic + "} 2\n");
      }
    }
  }

  @Test
  void shouldExitWithThreeWhenASingleCheckFindsAQueueAtTheThreshold() {
    Topic<?, ?> source = Topics.SHIPMENT_EVENTS;
    fixture.createTopics(source);
    fixture.write(letters(source, 2, ErrorCategory.POISON));

    CliResult below = fixture.cli("depth", "-s", source.name(), "--threshold", "3");
    assertThat(below.exitCode()).as(below.err()).isZero();
    assertThat(below.out())
        .containsSubsequence(
            "DLQ", "DEPTH", "RETAINED", "NEW_TRANSIENT", "NEW_PERMANENT", "NEW_POISON")
        .containsPattern(Topics.dlqOf(source).name() + "\\s+2\\s+2\\s+0\\s+0\\s+2\\s+-");

    fixture.write(letters(source, 1, ErrorCategory.TRANSIENT));
    CliResult above =
        fixture.cli("depth", "-s", source.name(), "--threshold", "3", "--no-alert-topic");
    assertThat(above.exitCode()).isEqualTo(3);
    assertThat(above.out()).contains("RAISED");

    CliResult all = fixture.cli("depth");
    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.out())
        .containsPattern(Topics.dlqOf(source).name() + "\\s+3\\s+3")
        .contains(Topics.dlqOf(Topics.IOT_READINGS).name())
        .contains("(no such topic)");
  }

  private static List<DeadLetter> letters(Topic<?, ?> source, int count, ErrorCategory category) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                DlqFixture.letter(source, i % source.partitions(), i)
                    .setErrorCategory(category)
                    .build())
        .toList();
  }

  private static List<DlqDepthAlert> alerts() {
    List<DlqDepthAlert> alerts = new ArrayList<>();
    try (SchemaRegistryClient registry =
            new RestSchemaRegistryClient(
                SchemaRegistryClientConfig.builder(REGISTRY.url()).build());
        AvroWireDeserializer<DlqDepthAlert> decoder =
            AvroWireDeserializer.forSpecific(registry, DlqDepthAlert.class)) {
      for (ConsumerRecord<byte[], byte[]> record : fixture.readAll(Topics.DLQ_ALERTS.name())) {
        alerts.add(decoder.decode(record.value()));
      }
    }
    return alerts; // one key per queue, so one partition: in the order raised
  }
}
