package org.edapipeline.dlq.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;

/**
 * How the tool reaches Kafka and the schema registry, parsed once: the bootstrap servers, the
 * registry's config, and every other Kafka client property passed through unchanged (so {@code
 * security.protocol=SASL_SSL}, {@code sasl.*} and {@code ssl.*} work by configuration alone).
 *
 * <p>Properties whose key starts with {@code schema.registry.} or {@code basic.auth.} configure the
 * registry client ({@link SchemaRegistryClientConfig#fromMap}); the rest go to every Kafka client.
 * Keys the tool must control for its guarantees (serializers, group, auto commit, isolation,
 * idempotence, acks, transactions) are refused with a {@link ConfigException} naming the key.
 */
public final class DlqClientConfig {

  /** Kafka keys the tool sets itself; a user value would break what the tool promises. */
  static final Set<String> MANAGED_KEYS =
      Set.of(
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          ProducerConfig.ACKS_CONFIG,
          ProducerConfig.TRANSACTIONAL_ID_CONFIG);

  private static final String REGISTRY_PREFIX = "schema.registry.";
  private static final String BASIC_AUTH_PREFIX = "basic.auth.";

  private final String bootstrapServers;
  private final Map<String, String> kafka;
  private final SchemaRegistryClientConfig registry;

  private DlqClientConfig(
      String bootstrapServers, Map<String, String> kafka, SchemaRegistryClientConfig registry) {
    this.bootstrapServers = bootstrapServers;
    this.kafka = Map.copyOf(kafka);
    this.registry = registry;
  }

  /**
   * Parses the tool's connection settings.
   *
   * @param bootstrapServers from {@code --bootstrap-servers}; null to take {@code
   *     bootstrap.servers} from {@code properties}
   * @param registryUrl from {@code --registry-url}; null to take {@code schema.registry.url} from
   *     {@code properties}
   * @param properties Kafka client and registry properties (from the file, then {@code
   *     --kafka-property}, later ones winning)
   * @throws ConfigException naming the key of a missing, refused or invalid setting
   */
  public static DlqClientConfig of(
      String bootstrapServers, String registryUrl, Map<String, String> properties) {
    Map<String, String> kafka = new LinkedHashMap<>();
    Map<String, Object> registry = new HashMap<>();
    properties.forEach(
        (key, value) -> {
          if (key.startsWith(REGISTRY_PREFIX) || key.startsWith(BASIC_AUTH_PREFIX)) {
            registry.put(key, value);
          } else if (MANAGED_KEYS.contains(key)) {
            throw new ConfigException(
                key, value, "is set by the dlq tool and cannot be overridden");
          } else {
            kafka.put(key, value);
          }
        });
    String bootstrap =
        bootstrapServers != null
            ? bootstrapServers
            : kafka.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    kafka.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new ConfigException(
          "Missing required configuration \""
              + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG
              + "\" (--bootstrap-servers)");
    }
    if (registryUrl != null) {
      registry.put(SchemaRegistryClientConfig.URL, registryUrl);
    }
    return new DlqClientConfig(bootstrap, kafka, SchemaRegistryClientConfig.fromMap(registry));
  }

  /**
   * Reads a Java properties file (UTF-8), e.g. the client settings of a SASL_SSL cluster.
   *
   * @throws ConfigException if it cannot be read
   */
  public static Map<String, String> readProperties(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException("Cannot read the properties file " + file + ": " + e.getMessage());
    }
    Map<String, String> map = new LinkedHashMap<>();
    properties.stringPropertyNames().stream()
        .sorted()
        .forEach(key -> map.put(key, properties.getProperty(key)));
    return map;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public SchemaRegistryClientConfig registry() {
    return registry;
  }

  /** The passed-through Kafka properties, without bootstrap servers and registry keys. */
  public Map<String, String> kafkaProperties() {
    return kafka;
  }

  /** Admin client config. */
  public Map<String, Object> admin(String clientId) {
    Map<String, Object> config = common(clientId);
    return config;
  }

  /**
   * A byte-array consumer that reads only committed records (the jobs write their dead letters in
   * transactions) and never commits by itself.
   *
   * @param groupId the group whose offsets the caller commits, or null for none
   */
  public Map<String, Object> consumer(String clientId, String groupId) {
    Map<String, Object> config = common(clientId);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        IsolationLevel.READ_COMMITTED.toString().toLowerCase(java.util.Locale.ROOT));
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    if (groupId != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    return config;
  }

  /** An idempotent byte-array producer that waits for all in-sync replicas. */
  public Map<String, Object> producer(String clientId) {
    Map<String, Object> config = common(clientId);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return config;
  }

  private Map<String, Object> common(String clientId) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.putIfAbsent(
        CommonClientConfigs.CLIENT_ID_CONFIG, Objects.requireNonNull(clientId, "clientId"));
    return config;
  }

  @Override
  public String toString() {
    // Values may hold secrets (sasl.jaas.config): keys only.
    return "DlqClientConfig[bootstrap="
        + bootstrapServers
        + ", kafka keys="
        + kafka.keySet()
        + ", registry="
        + registry
        + "]";
  }
}
