package org.edapipeline.service.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;

/**
 * Typed, immutable configuration of an {@link IdempotentConsumer}, parsed and validated once: a bad
 * value fails at construction with a {@link ConfigException} that names the key.
 *
 * <table>
 *   <caption>Keys of {@link #fromMap(Map)}</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #CONSUMER_NAME}</td><td>required</td><td>the consumer's name in {@code
 *       processed_events} (at most 255 characters); two consumers that must each see every event
 *       need different names</td></tr>
 *   <tr><td>{@value #TOPICS}</td><td>required</td><td>comma-separated catalogue topics ({@link
 *       Topics#byName}), not dead-letter queues</td></tr>
 *   <tr><td>{@value #BOOTSTRAP_SERVERS}</td><td>required</td><td>Kafka brokers</td></tr>
 *   <tr><td>{@value #GROUP_ID}</td><td>the consumer name</td><td>Kafka consumer group</td></tr>
 *   <tr><td>{@value #MAX_ATTEMPTS}</td><td>3</td><td>handler attempts per record before it is
 *       dead-lettered (at least 1)</td></tr>
 *   <tr><td>{@value #RETRY_BACKOFF_MS}</td><td>100</td><td>first retry delay, doubled per retry,
 *       with jitter</td></tr>
 *   <tr><td>{@value #RETRY_BACKOFF_MAX_MS}</td><td>10000</td><td>retry delay cap</td></tr>
 *   <tr><td>{@value #POLL_TIMEOUT_MS}</td><td>500</td><td>longest wait of one poll</td></tr>
 *   <tr><td>{@value #MAX_POLL_RECORDS}</td><td>100</td><td>records per batch; offsets are
 *       committed after each batch</td></tr>
 *   <tr><td>{@value #CLOSE_TIMEOUT_MS}</td><td>30000</td><td>how long {@code close()} waits for
 *       the in-flight record and the last commit</td></tr>
 *   <tr><td>{@value #DEAD_LETTER_AUTO_REGISTER}</td><td>true</td><td>register the {@code
 *       DeadLetter} schema under {@code <topic>.dlq-value} if missing</td></tr>
 *   <tr><td>{@value #KAFKA_PREFIX}{@code *}</td><td></td><td>passed without the prefix to the
 *       Kafka consumer and the dead-letter producer, e.g. {@code kafka.security.protocol}; keys
 *       that would break the guarantees (auto commit, serializers, group, bootstrap) are
 *       refused; the dead-letter producer's {@code max.request.size} is at least {@link
 *       Topics#DLQ_MAX_MESSAGE_BYTES}</td></tr>
 * </table>
 */
public final class IdempotentConsumerConfig {

  public static final String CONSUMER_NAME = "consumer.name";
  public static final String TOPICS = "topics";
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String GROUP_ID = "group.id";
  public static final String MAX_ATTEMPTS = "max.attempts";
  public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
  public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
  public static final String POLL_TIMEOUT_MS = "poll.timeout.ms";
  public static final String MAX_POLL_RECORDS = "max.poll.records";
  public static final String CLOSE_TIMEOUT_MS = "close.timeout.ms";
  public static final String DEAD_LETTER_AUTO_REGISTER = "dead.letter.auto.register.schema";
  public static final String KAFKA_PREFIX = "kafka.";

  /** Width of {@code processed_events.consumer}. */
  static final int MAX_CONSUMER_NAME_LENGTH = 255;

  /** Kafka client keys this class owns: overriding them would break the guarantees. */
  private static final Set<String> RESERVED_KAFKA_KEYS =
      Set.of(
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.ACKS_CONFIG,
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          ProducerConfig.TRANSACTIONAL_ID_CONFIG);

  private final String consumerName;
  private final List<Topic<?, ?>> topics;
  private final String bootstrapServers;
  private final String groupId;
  private final int maxAttempts;
  private final Duration retryBackoff;
  private final Duration retryBackoffMax;
  private final Duration pollTimeout;
  private final int maxPollRecords;
  private final Duration closeTimeout;
  private final boolean deadLetterAutoRegister;
  private final Map<String, Object> kafkaOverrides;
  private final int deadLetterMaxRequestSize;

  private IdempotentConsumerConfig(Builder b) {
    consumerName = required(CONSUMER_NAME, b.consumerName);
    if (consumerName.length() > MAX_CONSUMER_NAME_LENGTH) {
      throw new ConfigException(
          CONSUMER_NAME,
          consumerName,
          "must be at most "
              + MAX_CONSUMER_NAME_LENGTH
              + " characters (processed_events.consumer)");
    }
    if (b.topics.isEmpty()) {
      throw new ConfigException(TOPICS, "", "at least one topic is required");
    }
    for (Topic<?, ?> topic : b.topics) {
      if (Topics.isDlq(topic)) {
        throw new ConfigException(TOPICS, topic.name(), "a dead-letter queue cannot be consumed");
      }
    }
    topics = List.copyOf(b.topics);
    bootstrapServers = required(BOOTSTRAP_SERVERS, b.bootstrapServers);
    groupId = b.groupId == null ? consumerName : required(GROUP_ID, b.groupId);
    maxAttempts = atLeast(MAX_ATTEMPTS, b.maxAttempts, 1);
    retryBackoff = positive(RETRY_BACKOFF_MS, b.retryBackoff);
    retryBackoffMax = positive(RETRY_BACKOFF_MAX_MS, b.retryBackoffMax);
    if (retryBackoffMax.compareTo(retryBackoff) < 0) {
      throw new ConfigException(
          RETRY_BACKOFF_MAX_MS,
          retryBackoffMax.toMillis(),
          "must not be below " + RETRY_BACKOFF_MS + " (" + retryBackoff.toMillis() + ")");
    }
    pollTimeout = positive(POLL_TIMEOUT_MS, b.pollTimeout);
    maxPollRecords = atLeast(MAX_POLL_RECORDS, b.maxPollRecords, 1);
    closeTimeout = positive(CLOSE_TIMEOUT_MS, b.closeTimeout);
    deadLetterAutoRegister = b.deadLetterAutoRegister;
    for (String key : b.kafka.keySet()) {
      if (RESERVED_KAFKA_KEYS.contains(key)) {
        throw new ConfigException(
            KAFKA_PREFIX + key, b.kafka.get(key), "is set by the idempotent consumer itself");
      }
    }
    kafkaOverrides = Map.copyOf(b.kafka);
    deadLetterMaxRequestSize =
        deadLetterMaxRequestSize(b.kafka.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
  }

  private static int deadLetterMaxRequestSize(Object configured) {
    if (configured == null) {
      return Topics.DLQ_MAX_MESSAGE_BYTES;
    }
    String key = KAFKA_PREFIX + ProducerConfig.MAX_REQUEST_SIZE_CONFIG;
    int size = atLeast(key, (int) number(key, configured, Integer.MAX_VALUE), 1);
    return Math.max(size, Topics.DLQ_MAX_MESSAGE_BYTES);
  }

  /** A builder; {@code consumerName}, {@code topics} and {@code bootstrapServers} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses the keys listed in the class documentation; unknown keys without the {@value
   * #KAFKA_PREFIX} prefix are refused, so a typo fails fast.
   *
   * @throws ConfigException naming the first bad key
   */
  public static IdempotentConsumerConfig fromMap(Map<String, ?> map) {
    Builder b = builder();
    for (Map.Entry<String, ?> entry : map.entrySet()) {
      String key = entry.getKey();
      Object value = entry.getValue();
      if (key.startsWith(KAFKA_PREFIX)) {
        b.kafka(key.substring(KAFKA_PREFIX.length()), value);
        continue;
      }
      switch (key) {
        case CONSUMER_NAME -> b.consumerName(string(key, value));
        case TOPICS -> b.topics(topics(key, value));
        case BOOTSTRAP_SERVERS -> b.bootstrapServers(string(key, value));
        case GROUP_ID -> b.groupId(string(key, value));
        case MAX_ATTEMPTS -> b.maxAttempts((int) number(key, value, Integer.MAX_VALUE));
        case RETRY_BACKOFF_MS, RETRY_BACKOFF_MAX_MS, POLL_TIMEOUT_MS, CLOSE_TIMEOUT_MS -> {
          Duration duration = Duration.ofMillis(number(key, value, Long.MAX_VALUE));
          switch (key) {
            case RETRY_BACKOFF_MS -> b.retryBackoff(duration, b.retryBackoffMax);
            case RETRY_BACKOFF_MAX_MS -> b.retryBackoff(b.retryBackoff, duration);
            case POLL_TIMEOUT_MS -> b.pollTimeout(duration);
            default -> b.closeTimeout(duration);
          }
        }
        case MAX_POLL_RECORDS -> b.maxPollRecords((int) number(key, value, Integer.MAX_VALUE));
        case DEAD_LETTER_AUTO_REGISTER -> b.deadLetterAutoRegister(bool(key, value));
        default -> throw new ConfigException(key, value, "unknown key");
      }
    }
    return b.build();
  }

  /** Name of this consumer in {@code processed_events}; also the dead letters' {@code jobName}. */
  public String consumerName() {
    return consumerName;
  }

  /** Topics consumed, from the catalogue. */
  public List<Topic<?, ?>> topics() {
    return topics;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String groupId() {
    return groupId;
  }

  /** Handler attempts per record before it is dead-lettered. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** First retry delay; doubled per retry up to {@link #retryBackoffMax()}, with jitter. */
  public Duration retryBackoff() {
    return retryBackoff;
  }

  public Duration retryBackoffMax() {
    return retryBackoffMax;
  }

  public Duration pollTimeout() {
    return pollTimeout;
  }

  public int maxPollRecords() {
    return maxPollRecords;
  }

  public Duration closeTimeout() {
    return closeTimeout;
  }

  public boolean deadLetterAutoRegister() {
    return deadLetterAutoRegister;
  }

  /** Extra Kafka client settings, without the {@value #KAFKA_PREFIX} prefix. */
  public Map<String, Object> kafkaOverrides() {
    return kafkaOverrides;
  }

  /**
   * The dead-letter producer's {@code max.request.size}: at least {@link
   * Topics#DLQ_MAX_MESSAGE_BYTES}, what the DLQ topics accept, so a record as large as the source
   * topic allows still fits in its letter; or {@code kafka.max.request.size} if larger.
   */
  int deadLetterMaxRequestSize() {
    return deadLetterMaxRequestSize;
  }

  @Override
  public String toString() {
    // Overrides may hold credentials (sasl.jaas.config): only their keys are shown.
    return "IdempotentConsumerConfig{consumerName="
        + consumerName
        + ", topics="
        + topics
        + ", bootstrapServers="
        + bootstrapServers
        + ", groupId="
        + groupId
        + ", maxAttempts="
        + maxAttempts
        + ", retryBackoff="
        + retryBackoff
        + ", retryBackoffMax="
        + retryBackoffMax
        + ", kafkaOverrides="
        + kafkaOverrides.keySet()
        + "}";
  }

  private static String required(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key, value, "is required");
    }
    return value.trim();
  }

  private static int atLeast(String key, int value, int min) {
    if (value < min) {
      throw new ConfigException(key, value, "must be at least " + min);
    }
    return value;
  }

  private static Duration positive(String key, Duration value) {
    Objects.requireNonNull(value, key);
    if (value.isNegative() || value.isZero()) {
      throw new ConfigException(key, value.toMillis(), "must be positive");
    }
    return value;
  }

  private static String string(String key, Object value) {
    if (!(value instanceof String s)) {
      throw new ConfigException(key, value, "must be a string");
    }
    return s;
  }

  private static long number(String key, Object value, long max) {
    long parsed;
    if (value instanceof Number n) {
      parsed = n.longValue();
    } else {
      try {
        parsed = Long.parseLong(string(key, value).trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(key, value, "must be a whole number");
      }
    }
    if (parsed > max) {
      throw new ConfigException(key, value, "must be at most " + max);
    }
    return parsed;
  }

  private static boolean bool(String key, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    String s = string(key, value).trim();
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new ConfigException(key, value, "must be true or false");
  }

  private static List<Topic<?, ?>> topics(String key, Object value) {
    List<Topic<?, ?>> topics = new ArrayList<>();
    for (String name : string(key, value).split(",")) {
      String trimmed = name.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      topics.add(
          Topics.byName(trimmed)
              .orElseThrow(
                  () -> new ConfigException(key, value, "'" + trimmed + "' is not in Topics")));
    }
    return topics;
  }

  /** Builds an {@link IdempotentConsumerConfig}; {@link #build()} validates. */
  public static final class Builder {
    private String consumerName;
    private final List<Topic<?, ?>> topics = new ArrayList<>();
    private String bootstrapServers;
    private String groupId;
    private int maxAttempts = 3;
    private Duration retryBackoff = Duration.ofMillis(100);
    private Duration retryBackoffMax = Duration.ofSeconds(10);
    private Duration pollTimeout = Duration.ofMillis(500);
    private int maxPollRecords = 100;
    private Duration closeTimeout = Duration.ofSeconds(30);
    private boolean deadLetterAutoRegister = true;
    private final Map<String, Object> kafka = new LinkedHashMap<>();

    private Builder() {}

    public Builder consumerName(String consumerName) {
      this.consumerName = consumerName;
      return this;
    }

    /** Adds topics to consume. */
    public Builder topics(List<? extends Topic<?, ?>> topics) {
      this.topics.addAll(topics);
      return this;
    }

    /** Adds a topic to consume. */
    public Builder topic(Topic<?, ?> topic) {
      this.topics.add(Objects.requireNonNull(topic, TOPICS));
      return this;
    }

    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    /** Consumer group; default the consumer name. */
    public Builder groupId(String groupId) {
      this.groupId = groupId;
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder retryBackoff(Duration initial, Duration max) {
      this.retryBackoff = initial;
      this.retryBackoffMax = max;
      return this;
    }

    public Builder pollTimeout(Duration pollTimeout) {
      this.pollTimeout = pollTimeout;
      return this;
    }

    public Builder maxPollRecords(int maxPollRecords) {
      this.maxPollRecords = maxPollRecords;
      return this;
    }

    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = closeTimeout;
      return this;
    }

    public Builder deadLetterAutoRegister(boolean deadLetterAutoRegister) {
      this.deadLetterAutoRegister = deadLetterAutoRegister;
      return this;
    }

    /** A Kafka client setting for the consumer and the dead-letter producer. */
    public Builder kafka(String key, Object value) {
      this.kafka.put(Objects.requireNonNull(key), value);
      return this;
    }

    /** Kafka client settings for the consumer and the dead-letter producer. */
    public Builder kafka(Map<String, ?> settings) {
      this.kafka.putAll(new HashMap<>(settings));
      return this;
    }

    /**
     * @throws ConfigException naming the first bad key
     */
    public IdempotentConsumerConfig build() {
      return new IdempotentConsumerConfig(this);
    }
  }
}
