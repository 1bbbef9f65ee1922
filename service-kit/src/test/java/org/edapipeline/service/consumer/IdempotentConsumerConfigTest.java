package org.edapipeline.service.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.edapipeline.schemas.Topics;
import org.junit.jupiter.api.Test;

class IdempotentConsumerConfigTest {

  private static Map<String, Object> valid() {
    Map<String, Object> map = new HashMap<>();
    map.put(IdempotentConsumerConfig.CONSUMER_NAME, "payment-service");
    map.put(
        IdempotentConsumerConfig.TOPICS,
        Topics.ORDER_EVENTS.name() + ", " + Topics.SAGA_COMMANDS.name());
    map.put(IdempotentConsumerConfig.BOOTSTRAP_SERVERS, "localhost:9092");
    return map;
  }

  @Test
  void shouldParseKeysAndApplyDefaults() {
    Map<String, Object> map = valid();
    map.put(IdempotentConsumerConfig.MAX_ATTEMPTS, "5");
    map.put(IdempotentConsumerConfig.RETRY_BACKOFF_MS, 50);
    map.put("kafka.security.protocol", "SASL_SSL");

    IdempotentConsumerConfig config = IdempotentConsumerConfig.fromMap(map);

    assertThat(config.consumerName()).isEqualTo("payment-service");
    assertThat(config.groupId()).isEqualTo("payment-service");
    assertThat(config.topics()).containsExactly(Topics.ORDER_EVENTS, Topics.SAGA_COMMANDS);
    assertThat(config.maxAttempts()).isEqualTo(5);
    assertThat(config.retryBackoff()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.retryBackoffMax()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.kafkaOverrides()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(config.deadLetterAutoRegister()).isTrue();
  }

  @Test
  void shouldNameTheKeyOfEveryBadValue() {
    assertBad(IdempotentConsumerConfig.CONSUMER_NAME, " ");
    assertBad(IdempotentConsumerConfig.CONSUMER_NAME, "x".repeat(256));
    assertBad(IdempotentConsumerConfig.TOPICS, "no.such.topic");
    assertBad(IdempotentConsumerConfig.TOPICS, Topics.dlqOf(Topics.ORDER_EVENTS).name());
    assertBad(IdempotentConsumerConfig.TOPICS, "");
    assertBad(IdempotentConsumerConfig.MAX_ATTEMPTS, "0");
    assertBad(IdempotentConsumerConfig.MAX_ATTEMPTS, "three");
    assertBad(IdempotentConsumerConfig.RETRY_BACKOFF_MS, "-1");
    assertBad(IdempotentConsumerConfig.POLL_TIMEOUT_MS, 0);
    assertBad(IdempotentConsumerConfig.MAX_POLL_RECORDS, 0);
    assertBad(IdempotentConsumerConfig.DEAD_LETTER_AUTO_REGISTER, "yes");
    assertBad("kafka.enable.auto.commit", "true");
    assertBad("kafka.value.deserializer", "x");
    assertBad("kafka.max.request.size", "big");
    assertBad("kafka.max.request.size", 0);
    assertBad("max.attemps", "3");
  }

  @Test
  void shouldRequireTheMandatoryKeys() {
    for (String key :
        new String[] {
          IdempotentConsumerConfig.CONSUMER_NAME,
          IdempotentConsumerConfig.TOPICS,
          IdempotentConsumerConfig.BOOTSTRAP_SERVERS
        }) {
      Map<String, Object> map = valid();
      map.remove(key);
      assertThatThrownBy(() -> IdempotentConsumerConfig.fromMap(map))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(key);
    }
  }

  @Test
  void shouldRefuseABackoffCapBelowTheFirstDelay() {
    Map<String, Object> map = valid();
    map.put(IdempotentConsumerConfig.RETRY_BACKOFF_MS, 500);
    map.put(IdempotentConsumerConfig.RETRY_BACKOFF_MAX_MS, 100);
    assertThatThrownBy(() -> IdempotentConsumerConfig.fromMap(map))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(IdempotentConsumerConfig.RETRY_BACKOFF_MAX_MS);
  }

  @Test
  void shouldLetDeadLettersBeAsLargeAsTheDeadLetterQueuesAccept() {
    assertThat(IdempotentConsumerConfig.fromMap(valid()).deadLetterMaxRequestSize())
        .isEqualTo(Topics.DLQ_MAX_MESSAGE_BYTES);
    Map<String, Object> smaller = valid();
    smaller.put("kafka.max.request.size", "1048576");
    assertThat(IdempotentConsumerConfig.fromMap(smaller).deadLetterMaxRequestSize())
        .as("a letter wraps its record: the records' limit is too small for it")
        .isEqualTo(Topics.DLQ_MAX_MESSAGE_BYTES);
    Map<String, Object> larger = valid();
    larger.put("kafka.max.request.size", 8 * 1024 * 1024);
    assertThat(IdempotentConsumerConfig.fromMap(larger).deadLetterMaxRequestSize())
        .isEqualTo(8 * 1024 * 1024);
  }

  @Test
  void shouldKeepCredentialsOutOfToString() {
    Map<String, Object> map = valid();
    map.put("kafka.sasl.jaas.config", "ScramLoginModule required password=\"s3cret\";");
    assertThat(IdempotentConsumerConfig.fromMap(map).toString())
        .contains("sasl.jaas.config")
        .doesNotContain("s3cret");
  }

  private static void assertBad(String key, Object value) {
    Map<String, Object> map = valid();
    map.put(key, value);
    assertThatThrownBy(() -> IdempotentConsumerConfig.fromMap(map))
        .as("%s = %s", key, value)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key);
  }
}
