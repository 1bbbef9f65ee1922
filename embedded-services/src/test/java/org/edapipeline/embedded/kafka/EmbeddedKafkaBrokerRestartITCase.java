package org.edapipeline.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.edapipeline.embedded.kafka.KafkaClients.consumer;
import static org.edapipeline.embedded.kafka.KafkaClients.groupConsumer;
import static org.edapipeline.embedded.kafka.KafkaClients.producer;
import static org.edapipeline.embedded.kafka.KafkaClients.readExactly;
import static org.edapipeline.embedded.kafka.KafkaClients.transactionalProducer;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.edapipeline.embedded.EmbeddedServiceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stop, restart and close of a broker of its own per test, as fault tests use them. */
class EmbeddedKafkaBrokerRestartITCase {
  private static final String EVENTS = "restart.events";
  private static final String TRANSACTIONS = "restart.transactions";

  @Test
  void shouldKeepTopicsRecordsOffsetsAndTransactionsAcrossRestart() throws Exception {
    Path dataDirectory;
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      dataDirectory = kafka.dataDirectory();
      String bootstrapServers = kafka.bootstrapServers();
      kafka.createTopic(EVENTS, 2);
      kafka.createTopic(TRANSACTIONS, 1);

      try (KafkaProducer<String, String> producer = producer(kafka)) {
        for (String value : values(0, 5)) {
          producer.send(new ProducerRecord<>(EVENTS, "key", value)).get();
        }
        try (KafkaConsumer<String, String> consumer = groupConsumer(kafka, "restart-group")) {
          consumer.subscribe(List.of(EVENTS));
          readExactly(consumer, values(0, 5));
          consumer.commitSync();
        }
        try (KafkaProducer<String, String> tx = transactionalProducer(kafka, "restart-tx")) {
          tx.initTransactions();
          tx.beginTransaction();
          tx.send(new ProducerRecord<>(TRANSACTIONS, "key", "before-restart"));
          tx.commitTransaction();
        }

        kafka.stop();

        assertThat(kafka.isRunning()).isFalse();
        assertThatThrownBy(() -> new Socket("localhost", kafka.port()).close())
            .isInstanceOf(ConnectException.class);

        kafka.restart();

        assertThat(kafka.isRunning()).isTrue();
        assertThat(kafka.bootstrapServers()).isEqualTo(bootstrapServers);
        // The producer created before the restart reconnects to the same address.
        for (String value : values(5, 10)) {
          producer.send(new ProducerRecord<>(EVENTS, "key", value)).get();
        }
      }

      try (Admin admin = kafka.admin()) {
        assertThat(admin.listTopics().names().get()).contains(EVENTS, TRANSACTIONS);
      }
      // The group resumes at the offsets it committed before the restart.
      try (KafkaConsumer<String, String> consumer = groupConsumer(kafka, "restart-group")) {
        consumer.subscribe(List.of(EVENTS));
        readExactly(consumer, values(5, 10));
      }
      // The transaction state survives: the same transactional id fences its old epoch and commits.
      try (KafkaProducer<String, String> tx = transactionalProducer(kafka, "restart-tx")) {
        tx.initTransactions();
        tx.beginTransaction();
        tx.send(new ProducerRecord<>(TRANSACTIONS, "key", "after-restart"));
        tx.commitTransaction();
      }
      try (KafkaConsumer<String, String> consumer = consumer(kafka, "read_committed")) {
        consumer.assign(List.of(new TopicPartition(TRANSACTIONS, 0)));
        readExactly(consumer, List.of("before-restart", "after-restart"));
      }
    }
    assertThat(dataDirectory).doesNotExist();
  }

  @Test
  void shouldBounceRunningBrokerOnRestart() {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      kafka.createTopic(EVENTS, 1);

      kafka.restart();

      try (KafkaConsumer<String, String> consumer = consumer(kafka, "read_committed")) {
        assertThat(consumer.partitionsFor(EVENTS)).hasSize(1);
      }
    }
  }

  @Test
  void shouldKeepCallerOwnedDataDirectoryForTheNextBroker(@TempDir Path directory)
      throws Exception {
    try (EmbeddedKafkaBroker kafka =
            EmbeddedKafkaBroker.builder().dataDirectory(directory).start();
        KafkaProducer<String, String> producer = producer(kafka)) {
      kafka.createTopic(EVENTS, 1);
      producer.send(new ProducerRecord<>(EVENTS, "key", "kept")).get();
    }
    assertThat(directory.resolve("meta.properties")).exists();

    try (EmbeddedKafkaBroker kafka =
            EmbeddedKafkaBroker.builder().dataDirectory(directory).start();
        KafkaConsumer<String, String> consumer = consumer(kafka, "read_committed")) {
      consumer.assign(List.of(new TopicPartition(EVENTS, 0)));
      readExactly(consumer, List.of("kept"));
    }
  }

  @Test
  void shouldApplyBrokerConfigOverrides() {
    try (EmbeddedKafkaBroker kafka =
        EmbeddedKafkaBroker.builder()
            .brokerConfig("transaction.max.timeout.ms", "3600000")
            .autoCreateTopics(true)
            .start()) {
      assertThat(kafka.transactionMaxTimeoutMs()).isEqualTo(3_600_000);
      assertThat(kafka.brokerConfig("auto.create.topics.enable")).isEqualTo(true);
    }
  }

  @Test
  void shouldFailClearlyWhenTheFixedPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().port(port).start().close())
          .isInstanceOf(EmbeddedServiceException.class)
          .hasMessageContaining("localhost:" + port)
          .hasMessageContaining("in use");
    }
  }

  @Test
  void shouldLeaveNoThreadsBehindOnClose() {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
      kafka.createTopic(EVENTS, 1);
      kafka.restart();
    }

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInSameThread()
        .untilAsserted(
            () ->
                assertThat(Thread.getAllStackTraces().keySet())
                    .filteredOn(Thread::isAlive)
                    .filteredOn(thread -> !before.contains(thread))
                    // Yammer's JVM-wide meter ticker: two daemon threads started once per JVM.
                    .filteredOn(thread -> !thread.getName().startsWith("metrics-meter-tick-thread"))
                    .isEmpty());
  }

  private static List<String> values(int fromInclusive, int toExclusive) {
    return IntStream.range(fromInclusive, toExclusive)
        .mapToObj(i -> "event-" + i)
        .collect(Collectors.toList());
  }
}
