package org.edapipeline.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.embedded.kafka.KafkaClients.consumer;
import static org.edapipeline.embedded.kafka.KafkaClients.readExactly;
import static org.edapipeline.embedded.kafka.KafkaClients.transactionalProducer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Transactions, topics and configs of one broker shared by the class. */
class EmbeddedKafkaBrokerITCase {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  @Test
  void shouldHideOpenTransactionFromReadCommittedConsumersUntilCommit() {
    String topic = "tx.open";
    TopicPartition partition = new TopicPartition(topic, 0);
    KAFKA.createTopic(topic, 1);
    EmbeddedKafkaBroker kafka = KAFKA.broker();

    try (KafkaProducer<String, String> producer = transactionalProducer(kafka, "open-tx");
        KafkaConsumer<String, String> committed = consumer(kafka, "read_committed");
        KafkaConsumer<String, String> uncommitted = consumer(kafka, "read_uncommitted")) {
      committed.assign(List.of(partition));
      uncommitted.assign(List.of(partition));
      producer.initTransactions();
      producer.beginTransaction();
      List.of("a", "b", "c").forEach(v -> producer.send(new ProducerRecord<>(topic, v, v)));
      producer.flush();

      readExactly(uncommitted, List.of("a", "b", "c"));
      // read_committed ends at the last stable offset: before the open transaction.
      assertThat(committed.endOffsets(List.of(partition))).containsEntry(partition, 0L);
      assertThat(committed.poll(Duration.ofMillis(200))).isEmpty();

      producer.commitTransaction();

      readExactly(committed, List.of("a", "b", "c"));
      assertThat(committed.endOffsets(List.of(partition)).get(partition)).isPositive();
    }
  }

  @Test
  void shouldNeverShowAbortedTransactionToReadCommittedConsumers() {
    String topic = "tx.aborted";
    TopicPartition partition = new TopicPartition(topic, 0);
    KAFKA.createTopic(topic, 1);
    EmbeddedKafkaBroker kafka = KAFKA.broker();

    try (KafkaProducer<String, String> producer = transactionalProducer(kafka, "aborting-tx")) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "aborted-1"));
      producer.send(new ProducerRecord<>(topic, "k", "aborted-2"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "committed"));
      producer.commitTransaction();
    }

    try (KafkaConsumer<String, String> committed = consumer(kafka, "read_committed");
        KafkaConsumer<String, String> uncommitted = consumer(kafka, "read_uncommitted")) {
      committed.assign(List.of(partition));
      uncommitted.assign(List.of(partition));
      readExactly(committed, List.of("committed"));
      readExactly(uncommitted, List.of("aborted-1", "aborted-2", "committed"));
    }
  }

  @Test
  void shouldCreateTopicWithConfigsAndAcceptExistingTopic() throws Exception {
    String topic = "orders.snapshots";
    Map<String, String> compacted = Map.of("cleanup.policy", "compact");
    KAFKA.createTopic(topic, 3, compacted);
    KAFKA.createTopic(topic, 3, compacted);
    KAFKA.createTopic(topic, 1);

    try (Admin admin = KAFKA.admin()) {
      TopicDescription description =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);

      assertThat(description.partitions()).hasSize(3);
      assertThat(description.partitions())
          .allSatisfy(p -> assertThat(p.replicas()).hasSize(1))
          .allSatisfy(p -> assertThat(p.leader()).isNotNull());
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }
  }

  @Test
  void shouldRecreateTopicsEmptyWithTheirPartitionsAndConfigs() throws Exception {
    String topic = "devices.recreated";
    TopicPartition partition = new TopicPartition(topic, 1);
    NewTopic compacted =
        new NewTopic(topic, 2, (short) 1).configs(Map.of("cleanup.policy", "compact"));
    KAFKA.recreateTopics(List.of(compacted)); // absent: just created
    try (KafkaProducer<String, String> producer = transactionalProducer(KAFKA.broker(), "rec")) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, 1, "k", "before"));
      producer.commitTransaction();
    }
    try (KafkaConsumer<String, String> consumer = consumer(KAFKA.broker(), "read_committed")) {
      assertThat(consumer.endOffsets(List.of(partition)).get(partition)).isPositive();
    }

    KAFKA.recreateTopics(List.of(compacted));

    try (Admin admin = KAFKA.admin();
        KafkaConsumer<String, String> consumer = consumer(KAFKA.broker(), "read_committed")) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
          .hasSize(2)
          .allSatisfy(p -> assertThat(p.leader()).isNotNull());
      assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource))
          .extracting(config -> config.get("cleanup.policy").value())
          .isEqualTo("compact");
      assertThat(consumer.endOffsets(List.of(partition))).containsEntry(partition, 0L);
    }
  }

  @Test
  void shouldRunWithSingleNodeTransactionAndGroupSettings() throws Exception {
    ConfigResource brokerResource =
        new ConfigResource(
            ConfigResource.Type.BROKER, Integer.toString(EmbeddedKafkaBroker.NODE_ID));
    try (Admin admin = KAFKA.admin()) {
      Config config =
          admin.describeConfigs(List.of(brokerResource)).all().get().get(brokerResource);

      assertThat(config.get("transaction.state.log.replication.factor").value()).isEqualTo("1");
      assertThat(config.get("transaction.state.log.min.isr").value()).isEqualTo("1");
      assertThat(config.get("offsets.topic.replication.factor").value()).isEqualTo("1");
      assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
      assertThat(config.get("group.initial.rebalance.delay.ms").value()).isEqualTo("0");
      assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
      assertThat(config.get("transaction.max.timeout.ms").value())
          .isEqualTo(Integer.toString(KAFKA.broker().transactionMaxTimeoutMs()));
      // Kafka 4.2's production default for a new cluster: the KIP-890 transaction protocol.
      assertThat(
              admin
                  .describeFeatures()
                  .featureMetadata()
                  .get()
                  .finalizedFeatures()
                  .get("transaction.version")
                  .maxVersionLevel())
          .isEqualTo((short) 2);
    }
    assertThat(KAFKA.broker().transactionMaxTimeoutMs()).isEqualTo(900_000);
    assertThat(KAFKA.bootstrapServers()).isEqualTo("localhost:" + KAFKA.broker().port());
  }
}
