package org.edapipeline.embedded.registry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.edapipeline.embedded.EmbeddedServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry's changes in a single-partition, compacted Kafka topic, as Confluent's
 * registry does with {@code _schemas}: every change is produced and acknowledged by all in-sync
 * replicas before the registry answers, and on start the topic is read from the beginning to its
 * end offset to rebuild the state.
 *
 * <p>One registry writes a topic at a time: there is no leader election between instances.
 */
final class KafkaSchemaLog implements SchemaLog {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaLog.class);

  private final String topic;
  private final TopicPartition partition;
  private final Map<String, Object> clientConfig;
  private final Duration timeout;
  private final KafkaProducer<String, String> producer;

  /**
   * Creates the topic if needed (compacted, one partition) and connects a producer.
   *
   * @param clientConfig Kafka client properties, at least {@code bootstrap.servers}
   * @param timeout bound on every Kafka operation
   */
  KafkaSchemaLog(String topic, Map<String, Object> clientConfig, Duration timeout) {
    this.topic = topic;
    this.partition = new TopicPartition(topic, 0);
    this.clientConfig = Map.copyOf(clientConfig);
    this.timeout = timeout;
    ensureCompactedTopic();
    Map<String, Object> producerConfig = new HashMap<>(this.clientConfig);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis);
    // delivery.timeout.ms must be >= linger.ms + request.timeout.ms.
    producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(millis, 30_000));
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-" + topic);
    this.producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
  }

  private void ensureCompactedTopic() {
    Map<String, Object> adminConfig = new HashMap<>(clientConfig);
    adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    try (Admin admin = Admin.create(adminConfig)) {
      int brokers =
          admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
      NewTopic newTopic =
          new NewTopic(topic, 1, (short) Math.min(3, Math.max(1, brokers)))
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      try {
        admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Created compacted schema storage topic {}", topic);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
        requireCompacted(admin);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new EmbeddedServiceException(
          "Could not create schema storage topic " + topic + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedServiceException("Interrupted while creating topic " + topic, e);
    }
  }

  private void requireCompacted(Admin admin)
      throws InterruptedException, ExecutionException, TimeoutException {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config =
        admin
            .describeConfigs(Set.of(resource))
            .all()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .get(resource);
    String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
      throw new EmbeddedServiceException(
          "Schema storage topic "
              + topic
              + " exists with cleanup.policy="
              + policy
              + "; it must be compacted or old schemas are lost");
    }
  }

  @Override
  public void replay(Consumer<StoreEvent> sink) {
    Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "schema-registry-replay-" + topic);
    long deadline = System.nanoTime() + timeout.toNanos();
    int replayed = 0;
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        if (System.nanoTime() > deadline) {
          throw new EmbeddedServiceException(
              "Timed out after " + timeout + " replaying schema storage topic " + topic);
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          Optional<StoreEvent> event = decode(record);
          event.ifPresent(sink);
          replayed++;
        }
      }
    }
    LOG.info("Replayed {} records from schema storage topic {}", replayed, topic);
  }

  private Optional<StoreEvent> decode(ConsumerRecord<String, String> record) {
    try {
      return StoreEventCodec.decode(record.key(), record.value());
    } catch (IllegalArgumentException e) {
      throw new EmbeddedServiceException(
          "Corrupt record at offset " + record.offset() + " of " + topic + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public void append(StoreEvent event) {
    ProducerRecord<String, String> record =
        new ProducerRecord<>(topic, 0, StoreEventCodec.key(event), StoreEventCodec.value(event));
    try {
      producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw RegistryError.storeError(
          "could not write to " + topic + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw RegistryError.storeError("timed out after " + timeout + " writing to " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryError.storeError("interrupted while writing to " + topic, e);
    } catch (RuntimeException e) {
      throw RegistryError.storeError("could not write to " + topic + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    producer.close(timeout);
  }

  @Override
  public String toString() {
    return "Kafka topic " + topic;
  }
}
