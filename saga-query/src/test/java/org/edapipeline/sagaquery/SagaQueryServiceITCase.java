package org.edapipeline.sagaquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.edapipeline.outputs.SagaStatus.COMPLETED;
import static org.edapipeline.outputs.SagaStatus.INVENTORY_RESERVED;
import static org.edapipeline.outputs.SagaStatus.PAYMENT_PROCESSED;
import static org.edapipeline.outputs.SagaStatus.SHIPPED;
import static org.edapipeline.outputs.SagaStatus.STARTED;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.sagaquery.cli.SagaQueryClient;
import org.edapipeline.sagaquery.view.SagaDocument;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The query service against a real Kafka broker and schema registry. {@code saga.state} is written
 * as the saga job writes it: keyed by order id, in Kafka transactions committed per checkpoint,
 * with a transaction of a failed checkpoint aborted and its changes written again by the restarted
 * job. The service must show only committed state, follow changes within a checkpoint interval, and
 * show the same after its own restart (it rebuilds from the compacted topic).
 */
class SagaQueryServiceITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  /** The checkpoint interval of the job in the local stack: a committed change shows within it. */
  private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TRANSACTIONAL_ID = "saga-correlation.state-0";

  private static SchemaRegistryClient registry;
  private static AvroWireSerializer<SagaStateChanged> serializer;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void createTopic() {
    KAFKA.createTopic(
        Topics.SAGA_STATE.name(), Topics.SAGA_STATE.partitions(), Topics.SAGA_STATE.config());
    registry =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(REGISTRY.url()).build());
    serializer = AvroWireSerializer.builder(registry).build();
  }

  @AfterAll
  static void closeRegistry() {
    registry.close();
  }

  @Test
  void shouldServeTheCommittedStatusAcrossAJobRestartAndItsOwnRestart() throws Exception {
    try (JobWriter job = new JobWriter()) {
      job.commit(
          SagaStates.change("o-1", STARTED),
          SagaStates.change("o-1", STARTED, INVENTORY_RESERVED),
          SagaStates.change("o-2", STARTED),
          SagaStates.change("o-2", STARTED, INVENTORY_RESERVED),
          SagaStates.change("o-2", STARTED, INVENTORY_RESERVED, PAYMENT_PROCESSED),
          SagaStates.change("o-2", STARTED, INVENTORY_RESERVED, PAYMENT_PROCESSED, SHIPPED),
          SagaStates.change(
              "o-2", STARTED, INVENTORY_RESERVED, PAYMENT_PROCESSED, SHIPPED, COMPLETED));

      try (SagaQueryService service = start()) {
        await().atMost(WAIT).until(() -> get(service, "/health").statusCode() == 200);
        assertThat(saga(service, "o-1").status()).isEqualTo("INVENTORY_RESERVED");
        assertThat(saga(service, "o-2").status()).isEqualTo("COMPLETED");

        // A change shows within one checkpoint interval of its commit.
        job.commit(SagaStates.change("o-3", STARTED));
        await()
            .atMost(CHECKPOINT_INTERVAL)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> get(service, "/sagas/o-3").statusCode() == 200);

        // The job fails: the transaction of its unfinished checkpoint is aborted, never shown.
        job.abort(SagaStates.change("o-1", STARTED, INVENTORY_RESERVED, PAYMENT_PROCESSED));
        job.commit(SagaStates.change("o-3", STARTED, INVENTORY_RESERVED));
        await()
            .atMost(WAIT)
            .until(() -> saga(service, "o-3").status().equals("INVENTORY_RESERVED"));
        assertThat(saga(service, "o-1").status()).isEqualTo("INVENTORY_RESERVED");
      }
    }

    // The job restarts from its checkpoint: it fences the old producer and writes the changes
    // again, identical, then carries on.
    try (JobWriter restarted = new JobWriter()) {
      restarted.commit(
          SagaStates.change("o-1", STARTED, INVENTORY_RESERVED, PAYMENT_PROCESSED),
          SagaStates.change("o-1", STARTED, INVENTORY_RESERVED, PAYMENT_PROCESSED, SHIPPED),
          SagaStates.change(
              "o-1", STARTED, INVENTORY_RESERVED, PAYMENT_PROCESSED, SHIPPED, COMPLETED));
    }

    // The service restarts: it rebuilds the view from the compacted topic.
    try (SagaQueryService service = start()) {
      await().atMost(WAIT).until(() -> get(service, "/health").statusCode() == 200);
      SagaDocument o1 = saga(service, "o-1");
      assertThat(o1.status()).isEqualTo("COMPLETED");
      assertThat(o1.history())
          .extracting(SagaDocument.Step::status)
          .containsExactly(
              "STARTED", "INVENTORY_RESERVED", "PAYMENT_PROCESSED", "SHIPPED", "COMPLETED");
      assertThat(o1.lastEventId())
          .isEqualTo(
              SagaStates.change(
                      "o-1", STARTED, INVENTORY_RESERVED, PAYMENT_PROCESSED, SHIPPED, COMPLETED)
                  .getMetadata()
                  .getEventId()
                  .toString());
      assertThat(new SagaQueryClient(service.url()).sagas("COMPLETED", 10).sagas())
          .extracting(SagaDocument::orderId)
          .containsExactlyInAnyOrder("o-1", "o-2");

      assertCommandLine(service);
      assertBadRecordsAndTombstones(service);
    }
  }

  private void assertCommandLine(SagaQueryService service) {
    Cli show = cli("show", "o-1", "--url", service.url());
    assertThat(show.exit()).isZero();
    assertThat(show.out()).startsWith("o-1  COMPLETED").contains("STARTED", "SHIPPED", "(current)");

    Cli list = cli("list", "--status", "COMPLETED", "--url", service.url());
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains("o-1", "o-2").doesNotContain("o-3").contains("2 saga(s)");

    Cli json = cli("show", "o-2", "--json", "--url", service.url());
    assertThat(json.out()).contains("\"status\":\"COMPLETED\"", "\"history\":[");

    assertThat(cli("show", "no-such-order", "--url", service.url()).exit())
        .isEqualTo(SagaQueryCli.NOT_FOUND);
    assertThat(cli("list", "--status", "NOT_A_STATUS", "--url", service.url()).exit())
        .isEqualTo(SagaQueryCli.USAGE);
    assertThat(cli("show", "o-1", "--url", "http://127.0.0.1:1").exit())
        .isEqualTo(SagaQueryCli.FAILED);
  }

  private void assertBadRecordsAndTombstones(SagaQueryService service) throws Exception {
    assertThat(get(service, "/sagas?status=NOT_A_STATUS").statusCode()).isEqualTo(400);
    assertThat(get(service, "/sagas?limit=0").statusCode()).isEqualTo(400);
    assertThat(get(service, "/sagas/no-such-order").statusCode()).isEqualTo(404);
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.SAGA_STATE.name(),
                  "o-1".getBytes(StandardCharsets.UTF_8),
                  "{not avro}".getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
      producer
          .send(
              new ProducerRecord<>(
                  Topics.SAGA_STATE.name(), "o-2".getBytes(StandardCharsets.UTF_8), null))
          .get(30, TimeUnit.SECONDS);
    }
    await().atMost(WAIT).until(() -> get(service, "/sagas/o-2").statusCode() == 404);
    HttpResponse<String> health = get(service, "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"skippedRecords\":1");
    assertThat(saga(service, "o-1").status())
        .as("an undecodable record leaves the saga as it was")
        .isEqualTo("COMPLETED");
  }

  private static SagaQueryService start() throws Exception {
    Properties kafka = new Properties();
    kafka.putAll(KAFKA.clientConfig());
    return SagaQueryService.start(
        kafka,
        SchemaRegistryClientConfig.builder(REGISTRY.url()).build(),
        new InetSocketAddress("127.0.0.1", 0));
  }

  private HttpResponse<String> get(SagaQueryService service, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(service.url() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static SagaDocument saga(SagaQueryService service, String orderId) throws Exception {
    return new SagaQueryClient(service.url()).saga(orderId).orElseThrow();
  }

  private record Cli(int exit, String out, String err) {}

  private static Cli cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = SagaQueryCli.commandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exit = commandLine.execute(args);
    return new Cli(exit, out.toString(), err.toString());
  }

  private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
    Map<String, Object> config = KAFKA.clientConfig();
    config.putAll(extra);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Writes {@code saga.state} like the job's exactly-once sink: one transaction per checkpoint. */
  private static final class JobWriter implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer =
        producer(
            Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                TRANSACTIONAL_ID,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                "60000"));

    JobWriter() {
      producer.initTransactions(); // fences a previous writer and aborts what it left open
    }

    void commit(SagaStateChanged... changes) throws Exception {
      producer.beginTransaction();
      send(changes);
      producer.commitTransaction();
    }

    void abort(SagaStateChanged... changes) throws Exception {
      producer.beginTransaction();
      send(changes);
      producer.flush();
      producer.abortTransaction();
    }

    private void send(SagaStateChanged... changes) {
      for (SagaStateChanged change : changes) {
        producer.send(
            new ProducerRecord<>(
                Topics.SAGA_STATE.name(),
                change.getOrderId().getBytes(StandardCharsets.UTF_8),
                serializer.serialize(Topics.SAGA_STATE.name(), change)));
      }
    }

    @Override
    public void close() {
      producer.close(Duration.ofSeconds(10));
    }
  }
}
