package org.edapipeline.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.inventory.InventoryReserved;
import org.edapipeline.events.inventory.ReservedLine;
import org.edapipeline.events.iot.DeviceRegistered;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.events.iot.SensorSpec;
import org.edapipeline.events.order.OrderLine;
import org.edapipeline.events.order.OrderPlaced;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.events.shipment.ShipmentDelivered;
import org.edapipeline.events.shipment.ShipmentDispatched;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.outputs.WindowKind;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.serde.TopicNameStrategy;
import org.edapipeline.schemas.serde.TopicRecordNameStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real deliverable on a real cluster: {@code jobs/target/eda-jobs.jar}, as the jobs module's
 * build shades it, uploaded through the REST API to a JobManager and a TaskManager in two separate
 * JVMs configured by {@code flink-conf/config.yaml}, run against the embedded Kafka broker and
 * schema registry, and checked through the REST API (running, every task running, checkpointing)
 * and through its committed output.
 *
 * <p>Both jobs run at once, at parallelism 2 each, on the fixture's one TaskManager with 4 slots
 * (each job needs as many slots as its parallelism, all its operators sharing them): exactly the
 * compose stack's layout. Their inputs are published before they are submitted, and they read from
 * the earliest offsets.
 */
class JobsClusterSubmissionITCase {
  static final Path JOBS_JAR = ComposeFileTest.ROOT.resolve("jobs/target/eda-jobs.jar");
  static final String IOT_JOB = "org.edapipeline.jobs.iot.IotAggregationJob";
  static final String SAGA_JOB = "org.edapipeline.jobs.saga.SagaCorrelationJob";
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(150);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final int PARALLELISM = 2;
  // A recent minute boundary: records stamped years ago would be deleted at once by the topics'
  // time retention (7 days), before the job reads them.
  private static final Instant T0 =
      Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
  private static final String TEMPERATURE = "temperature";
  // One device per partition of iot.readings, so every source split sees event time advance.
  private static final List<String> DEVICES = List.of("cold-room-0", "cold-room-1", "cold-room-2");
  private static final String ORDER_ID = "order-cluster-1";
  private static final long AMOUNT_MINOR = 4_200;

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  private static FlinkSessionCluster cluster;
  private static String jarId;
  private static RestSchemaRegistryClient registryClient;
  private static String iotJobId;
  private static String sagaJobId;

  @BeforeAll
  static void startClusterAndSubmitBothJobs() throws Exception {
    assertThat(JOBS_JAR)
        .as("the shaded jobs jar; the jobs module builds it before this module")
        .isRegularFile();
    for (Topic<?, ?> topic : Topics.all()) {
      KAFKA.createTopic(topic.name(), topic.partitions(), topic.config());
    }
    registryClient =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(REGISTRY.url()).build());
    publishIotInput();
    publishOneSuccessfulSaga();

    cluster = FlinkSessionCluster.builder().start();
    jarId = cluster.rest().uploadJar(JOBS_JAR);
    iotJobId =
        cluster.rest().run(jarId, JarRun.of(IOT_JOB, jobArgs()).withParallelism(PARALLELISM));
    sagaJobId =
        cluster
            .rest()
            .run(
                jarId,
                JarRun.of(
                        SAGA_JOB,
                        jobArgs(
                            // Deadlines far beyond the test: the saga must complete, not time out.
                            "--saga.deadline.inventory", "10 min",
                            "--saga.deadline.payment", "10 min"))
                    .withParallelism(PARALLELISM));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      for (String jobId : new String[] {iotJobId, sagaJobId}) {
        if (jobId != null && !cluster.rest().job(jobId).isTerminal()) {
          cluster.rest().cancel(jobId);
        }
      }
      cluster.close();
    }
    if (registryClient != null) {
      registryClient.close();
    }
  }

  @Test
  void shouldRunBothJobsAtOnceOnTheFourSlotsOfTheTaskManager() {
    awaitFullyRunning(iotJobId);
    awaitFullyRunning(sagaJobId);

    assertThat(cluster.rest().job(iotJobId).isFullyRunning()).as("the IoT job still").isTrue();
    ClusterOverview overview = cluster.rest().overview();
    assertThat(overview.jobsRunning()).isEqualTo(2);
    assertThat(overview.slotsTotal()).isEqualTo(2 * PARALLELISM);
    assertThat(overview.slotsAvailable())
        .as("each job holds as many slots as its parallelism")
        .isZero();
    assertThat(cluster.rest().job(iotJobId).vertexNames())
        .as("operators carry human names")
        .isNotEmpty();
    assertThat(cluster.rest().job(sagaJobId).vertexNames())
        .as("operators carry human names")
        .anySatisfy(name -> assertThat(name).containsIgnoringCase("saga"));
  }

  @Test
  void shouldRunTheIotJobOnTheClusterAndCommitTheWindowAggregates() throws Exception {
    awaitFullyRunning(iotJobId);

    List<WindowAggregate> firstMinute = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = committedConsumer(Topics.IOT_AGGREGATES.name());
        AvroWireDeserializer<WindowAggregate> decoder =
            AvroWireDeserializer.forSpecific(registryClient, WindowAggregate.class)) {
      try {
        await()
            .atMost(JOB_TIMEOUT)
            .pollInterval(POLL)
            .until(
                () -> {
                  failIfEnded(iotJobId);
                  for (ConsumerRecord<byte[], byte[]> record :
                      consumer.poll(Duration.ofMillis(200))) {
                    WindowAggregate aggregate = decoder.decode(record.value());
                    if (aggregate.getWindowKind() == WindowKind.TUMBLING
                        && aggregate.getWindowStart().equals(T0)) {
                      firstMinute.add(aggregate);
                    }
                  }
                  return firstMinute.size() >= DEVICES.size();
                });

      } catch (ConditionTimeoutException e) {
        fail(
            "No first-minute aggregates for every device: " + firstMinute + diagnostics(iotJobId),
            e);
      }
    }
    assertThat(firstMinute)
        .extracting(WindowAggregate::getDeviceId)
        .containsExactlyInAnyOrderElementsOf(DEVICES);
    assertThat(firstMinute)
        .allSatisfy(
            aggregate -> {
              assertThat(aggregate.getCount()).isEqualTo(3);
              assertThat(aggregate.getMean()).isEqualTo(22.0);
              assertThat(aggregate.getMin()).isEqualTo(20.0);
              assertThat(aggregate.getMax()).isEqualTo(24.0);
              assertThat(aggregate.getWindowEnd()).isEqualTo(T0.plusSeconds(60));
              assertThat(aggregate.getRevision()).isZero();
            });
    awaitCheckpoint(iotJobId);
  }

  @Test
  void shouldRunTheSagaJobOnTheClusterAndCommitTheCompletedSaga() throws Exception {
    awaitFullyRunning(sagaJobId);

    List<SagaStatus> statuses = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = committedConsumer(Topics.SAGA_STATE.name());
        AvroWireDeserializer<SagaStateChanged> decoder =
            AvroWireDeserializer.forSpecific(registryClient, SagaStateChanged.class)) {
      try {
        await()
            .atMost(JOB_TIMEOUT)
            .pollInterval(POLL)
            .until(
                () -> {
                  failIfEnded(sagaJobId);
                  for (ConsumerRecord<byte[], byte[]> record :
                      consumer.poll(Duration.ofMillis(200))) {
                    SagaStateChanged change = decoder.decode(record.value());
                    assertThat(new String(record.key(), StandardCharsets.UTF_8))
                        .as("saga.state is keyed by order id")
                        .isEqualTo(change.getOrderId());
                    if (change.getOrderId().equals(ORDER_ID)) {
                      statuses.add(change.getStatus());
                    }
                  }
                  return statuses.contains(SagaStatus.COMPLETED);
                });
      } catch (ConditionTimeoutException e) {
        fail("The saga did not complete: " + statuses + diagnostics(sagaJobId), e);
      }
    }
    assertThat(statuses)
        .as("one change per status entered, in order, whatever order the topics delivered")
        .containsExactly(
            SagaStatus.STARTED,
            SagaStatus.INVENTORY_RESERVED,
            SagaStatus.PAYMENT_PROCESSED,
            SagaStatus.SHIPPED,
            SagaStatus.COMPLETED);
    awaitCheckpoint(sagaJobId);
  }

  /** Both jobs' common arguments against the embedded services, then {@code extra}. */
  private static List<String> jobArgs(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "--schema-registry.url", REGISTRY.url(),
                "--schema-registry.auto-register", "true",
                "--kafka.starting-offsets", "EARLIEST",
                "--checkpoint.interval", "2s",
                // The job sets its own restart strategy, over the cluster's "none"; Flink's
                // exponential-delay needs at least 1 attempt (0 fails the JobMaster), so at most
                // one restart.
                "--restart.attempts", "1"));
    args.addAll(List.of(extra));
    return args;
  }

  private static void publishIotInput() throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = producer(new TopicRecordNameStrategy())) {
      for (int p = 0; p < DEVICES.size(); p++) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.IOT_DEVICES.name(), p, DEVICES.get(p), registered(DEVICES.get(p))))
            .get();
      }
    }
    try (KafkaProducer<String, SpecificRecord> producer = producer(new TopicNameStrategy())) {
      for (int p = 0; p < DEVICES.size(); p++) {
        String device = DEVICES.get(p);
        // 20, 22, 24 in the first minute; a reading at 90 s moves the watermark past its end.
        for (long[] reading : new long[][] {{5, 20}, {15, 22}, {25, 24}, {90, 21}}) {
          SensorReadingRecorded value = reading(device, reading[1], T0.plusSeconds(reading[0]));
          producer
              .send(
                  new ProducerRecord<>(
                      Topics.IOT_READINGS.name(),
                      p,
                      value.getMeasuredAt().toEpochMilli(),
                      device,
                      value))
              .get();
        }
      }
    }
  }

  /**
   * One order's successful saga as the four services publish it, each event on its service's topic
   * keyed by its aggregate, the delivery first: the job must wait for the facts before it.
   */
  private static void publishOneSuccessfulSaga() throws Exception {
    String reservation = "res-" + ORDER_ID;
    String payment = "pay-" + ORDER_ID;
    String shipment = "shp-" + ORDER_ID;
    List<ProducerRecord<String, SpecificRecord>> events =
        List.of(
            new ProducerRecord<>(
                Topics.SHIPMENT_EVENTS.name(),
                shipment,
                new ShipmentDelivered(
                    sagaMetadata("ShipmentDelivered", "shipment", shipment, 4),
                    shipment,
                    ORDER_ID)),
            new ProducerRecord<>(
                Topics.ORDER_EVENTS.name(),
                ORDER_ID,
                OrderPlaced.newBuilder()
                    .setMetadata(sagaMetadata("OrderPlaced", "order", ORDER_ID, 0))
                    .setOrderId(ORDER_ID)
                    .setCustomerId("customer-1")
                    .setLines(List.of(new OrderLine("sku-1", 2, AMOUNT_MINOR / 2)))
                    .setTotalAmountMinor(AMOUNT_MINOR)
                    .setCurrency("EUR")
                    .build()),
            new ProducerRecord<>(
                Topics.INVENTORY_EVENTS.name(),
                reservation,
                new InventoryReserved(
                    sagaMetadata("InventoryReserved", "inventory", reservation, 1),
                    reservation,
                    ORDER_ID,
                    List.of(new ReservedLine("sku-1", 2)))),
            new ProducerRecord<>(
                Topics.PAYMENT_EVENTS.name(),
                payment,
                new PaymentProcessed(
                    sagaMetadata("PaymentProcessed", "payment", payment, 2),
                    payment,
                    ORDER_ID,
                    AMOUNT_MINOR,
                    "EUR")),
            new ProducerRecord<>(
                Topics.SHIPMENT_EVENTS.name(),
                shipment,
                new ShipmentDispatched(
                    sagaMetadata("ShipmentDispatched", "shipment", shipment, 3),
                    shipment,
                    ORDER_ID,
                    "DHL",
                    null)));
    // The four topics carry several event types each: subjects <topic>-<record name>.
    try (KafkaProducer<String, SpecificRecord> producer = producer(new TopicRecordNameStrategy())) {
      for (ProducerRecord<String, SpecificRecord> event : events) {
        producer.send(event).get();
      }
    }
  }

  /** What the job did: records per vertex, and how far each topic it writes has grown. */
  private static String diagnostics(String jobId) {
    StringBuilder text = new StringBuilder();
    for (JobDetails.Vertex vertex : cluster.rest().job(jobId).vertices()) {
      text.append("\n  ").append(vertex.name()).append(": read ").append(vertex.recordsRead());
      text.append(", wrote ").append(vertex.recordsWritten());
    }
    Properties config = new Properties();
    config.putAll(KAFKA.clientConfig());
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (Topic<?, ?> topic : Topics.all()) {
        List<TopicPartition> partitions =
            consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        long end =
            consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        text.append("\n  topic ").append(topic.name()).append(": end offsets ").append(end);
      }
    }
    return text + "\n  checkpoints: " + cluster.rest().checkpoints(jobId);
  }

  private static void awaitFullyRunning(String jobId) {
    await()
        .atMost(JOB_TIMEOUT)
        .pollInterval(POLL)
        .until(
            () -> {
              failIfEnded(jobId);
              return cluster.rest().job(jobId).isFullyRunning();
            });
  }

  private static void awaitCheckpoint(String jobId) {
    await()
        .atMost(JOB_TIMEOUT)
        .pollInterval(POLL)
        .until(() -> cluster.rest().checkpoints(jobId).completed() >= 1);
    assertThat(cluster.rest().job(jobId).isFullyRunning()).as("still running").isTrue();
  }

  private static void failIfEnded(String jobId) {
    JobDetails job = cluster.rest().job(jobId);
    if (job.isTerminal()) {
      fail(
          "Job "
              + jobId
              + " is "
              + job.state()
              + ": "
              + cluster.rest().exceptions(jobId)
              + cluster.describe());
    }
  }

  private static KafkaProducer<String, SpecificRecord> producer(
      org.edapipeline.schemas.serde.SubjectNameStrategy subjects) {
    Map<String, Object> config = KAFKA.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    AvroWireSerializer<SpecificRecord> values =
        AvroWireSerializer.builder(registryClient).subjectNameStrategy(subjects).build();
    return new KafkaProducer<>(config, new StringSerializer(), values);
  }

  private static KafkaConsumer<byte[], byte[]> committedConsumer(String topic) {
    Properties config = new Properties();
    config.putAll(KAFKA.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  private static EventMetadata metadata(String type, String label, String deviceId, Instant at) {
    return EventMetadata.newBuilder()
        .setEventId(UUID.nameUUIDFromBytes(label.getBytes(StandardCharsets.UTF_8)))
        .setEventType(type)
        .setSchemaVersion(1)
        .setAggregateType("device")
        .setAggregateId(deviceId)
        .setCorrelationId(deviceId)
        .setOccurredAt(at)
        .build();
  }

  private static EventMetadata sagaMetadata(
      String type, String aggregateType, String aggregateId, long secondsAfterPlacing) {
    UUID eventId = UUID.nameUUIDFromBytes((ORDER_ID + "/" + type).getBytes(StandardCharsets.UTF_8));
    return EventMetadata.newBuilder()
        .setEventId(eventId)
        .setEventType(type)
        .setSchemaVersion(1)
        .setAggregateType(aggregateType)
        .setAggregateId(aggregateId)
        .setCorrelationId(ORDER_ID)
        .setOccurredAt(T0.plusSeconds(secondsAfterPlacing))
        .build();
  }

  private static DeviceRegistered registered(String deviceId) {
    return DeviceRegistered.newBuilder()
        .setMetadata(metadata("DeviceRegistered", "register-" + deviceId, deviceId, T0))
        .setDeviceId(deviceId)
        .setDeviceType("cold-room-monitor")
        .setReportingIntervalMillis(10_000L)
        .setSensors(
            List.of(
                SensorSpec.newBuilder()
                    .setSensorType(TEMPERATURE)
                    .setUnit("Cel")
                    .setPhysicalMin(-50.0)
                    .setPhysicalMax(150.0)
                    .setAlertBelow(null)
                    .setAlertAbove(30.0)
                    .build()))
        .build();
  }

  private static SensorReadingRecorded reading(String deviceId, double value, Instant at) {
    return SensorReadingRecorded.newBuilder()
        .setMetadata(metadata("SensorReadingRecorded", deviceId + "@" + at, deviceId, at))
        .setDeviceId(deviceId)
        .setSensorType(TEMPERATURE)
        .setValue(value)
        .setUnit("Cel")
        .setMeasuredAt(at)
        .build();
  }
}
