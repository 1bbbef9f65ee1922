package org.edapipeline.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientConfigTest {

  @Test
  void shouldReadConfluentStyleKeys() {
    SchemaRegistryClientConfig config =
        SchemaRegistryClientConfig.fromMap(
            Map.of(
                "schema.registry.url", "http://a:8081/, http://b:8081",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "alice:pa:ss",
                "schema.registry.request.timeout.ms", "2500",
                "schema.registry.max.retries", 0,
                "bootstrap.servers", "ignored:9092"));

    assertThat(config.urls())
        .containsExactly(URI.create("http://a:8081"), URI.create("http://b:8081"));
    assertThat(config.username()).contains("alice");
    assertThat(config.password()).isEqualTo("pa:ss");
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.maxRetries()).isZero();
  }

  @Test
  void shouldNameTheBadKey() {
    assertThatThrownBy(() -> SchemaRegistryClientConfig.fromMap(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(
            () ->
                SchemaRegistryClientConfig.fromMap(
                    Map.of(
                        "schema.registry.url",
                        "http://a",
                        "schema.registry.connect.timeout.ms",
                        "soon")))
        .hasMessageContaining("schema.registry.connect.timeout.ms");
    assertThatThrownBy(
            () ->
                SchemaRegistryClientConfig.fromMap(
                    Map.of(
                        "schema.registry.url",
                        "http://a",
                        "schema.registry.request.timeout.ms",
                        0)))
        .hasMessageContaining("schema.registry.request.timeout.ms");
    assertThatThrownBy(() -> SchemaRegistryClientConfig.builder("ftp://a").build())
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(() -> SchemaRegistryClientConfig.builder("http://a").maxRetries(-1).build())
        .hasMessageContaining("schema.registry.max.retries");
    assertThatThrownBy(
            () ->
                SchemaRegistryClientConfig.builder("http://a")
                    .retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("schema.registry.retry.backoff.max.ms");
  }

  @Test
  void shouldNeverPrintTheSecret() {
    assertThatThrownBy(
            () ->
                SchemaRegistryClientConfig.fromMap(
                    Map.of(
                        "schema.registry.url",
                        "http://a",
                        "basic.auth.user.info",
                        "no-colon-secret")))
        .hasMessageContaining("basic.auth.user.info")
        .hasMessageNotContaining("no-colon-secret");
    assertThatThrownBy(() -> SchemaRegistryClientConfig.builder("http://bob:hunter2@a:8081"))
        .hasMessageContaining("schema.registry.url")
        .hasMessageNotContaining("hunter2");
    SchemaRegistryClientConfig config =
        SchemaRegistryClientConfig.builder("http://a").basicAuth("bob", "hunter2").build();
    assertThat(config.toString()).contains("basicAuth=on").doesNotContain("hunter2");
  }

  @Test
  void shouldSurviveJavaSerializationForFlink() throws Exception {
    SchemaRegistryClientConfig config =
        SchemaRegistryClientConfig.builder("http://a", "http://b")
            .basicAuth("bob", "hunter2")
            .maxRetries(5)
            .build();

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(config);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(config);
    }
  }
}
