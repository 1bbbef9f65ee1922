package org.edapipeline.cdc.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdcConfigTest {

  private static Map<String, String> minimal() {
    Map<String, String> values = new HashMap<>();
    values.put("debezium.source.database.hostname", "db.internal");
    values.put("debezium.source.database.dbname", "shop");
    values.put("debezium.source.database.user", "cdc");
    values.put("debezium.sink.kafka.producer.bootstrap.servers", "kafka:9092");
    values.put("cdc.schema.registry.url", "http://registry:8081");
    return values;
  }

  @Test
  void shouldApplyTheFixedSettingsTheGuaranteesDependOn() {
    CdcConfig config = CdcConfig.from(minimal(), Map.of());

    assertThat(config.source())
        .containsEntry("connector.class", "io.debezium.connector.postgresql.PostgresConnector")
        .containsEntry("plugin.name", "pgoutput")
        .containsEntry("publication.autocreate.mode", "disabled")
        .containsEntry("publication.name", "edapipeline_outbox")
        .containsEntry("slot.name", "edapipeline_outbox")
        .containsEntry("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter")
        .containsEntry("transforms.outbox.route.topic.replacement", "${routedByValue}.events")
        .containsEntry(
            "offset.storage", "org.edapipeline.cdc.engine.ClosingKafkaOffsetBackingStore")
        .containsEntry("bootstrap.servers", "kafka:9092") // for the offsets topic
        .containsKey("heartbeat.action.query");
    assertThat(config.producer())
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("linger.ms", "5");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.registry().urls()).hasSize(1);
  }

  @Test
  void shouldLetTheEnvironmentOverrideAndAddKeys() {
    Map<String, String> env =
        Map.of(
            "DEBEZIUM_SOURCE_SLOT_NAME", "from_env",
            "DEBEZIUM_SOURCE_DATABASE_PASSWORD", "s3cret",
            "DEBEZIUM_SINK_KAFKA_PRODUCER_LINGER_MS", "20",
            "CDC_HTTP_PORT", "9100",
            "CDC_SOMETHING_SERVICE_HOST", "10.0.0.1", // Kubernetes noise: ignored
            "PATH", "/usr/bin");

    CdcConfig config = CdcConfig.from(minimal(), env);

    assertThat(config.source())
        .containsEntry("slot.name", "from_env")
        .containsEntry("database.password", "s3cret");
    assertThat(config.producer()).containsEntry("linger.ms", "20");
    assertThat(config.httpPort()).isEqualTo(9100);
  }

  @Test
  void shouldRefuseSecretsInTheFileAndNameTheWayToPassThem() {
    Map<String, String> values = minimal();
    values.put("debezium.source.database.password", "in-the-file");

    assertThatThrownBy(() -> CdcConfig.from(values, Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("debezium.source.database.password:")
        .hasMessageContaining("DEBEZIUM_SOURCE_DATABASE_PASSWORD")
        .hasMessageContaining("debezium.source.database.password.file")
        .hasMessageNotContaining("in-the-file");
  }

  @Test
  void shouldReadSecretsFromFilesAndMaskThemEverywhere(@TempDir Path directory) throws IOException {
    Path password = Files.writeString(directory.resolve("pg"), "pg-pass-123\n");
    Path jaas =
        Files.writeString(
            directory.resolve("jaas"),
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"cdc\" password=\"kafka-pass-456\";");
    Map<String, String> values = minimal();
    values.put("debezium.source.database.password.file", password.toString());
    values.put("debezium.sink.kafka.producer.sasl.jaas.config.file", jaas.toString());

    CdcConfig config =
        CdcConfig.from(values, Map.of("CDC_BASIC_AUTH_USER_INFO", "reg:reg-pass-789"));

    assertThat(config.source()).containsEntry("database.password", "pg-pass-123");
    assertThat(config.toString())
        .contains("debezium.source.database.password=" + SecretMasker.MASK)
        .doesNotContain("pg-pass-123", "kafka-pass-456", "reg-pass-789");
    assertThat(
            config.masker().mask("FATAL: password pg-pass-123 and kafka-pass-456 and reg-pass-789"))
        .isEqualTo("FATAL: password ****** and ****** and ******");
    assertThat(
            config
                .masker()
                .describe(new IllegalStateException("x", new RuntimeException("pg-pass-123"))))
        .isEqualTo("IllegalStateException: x <- RuntimeException: ******");
  }

  @Test
  void shouldTraceOnlyWithAnOtlpEndpoint() {
    assertThat(CdcConfig.from(minimal(), Map.of()).otlpEndpoint()).isEmpty();
    assertThat(CdcConfig.from(minimal(), Map.of()).otelServiceName())
        .isEqualTo(CdcConfig.DEFAULT_SERVICE_NAME);

    CdcConfig traced =
        CdcConfig.from(
            minimal(), Map.of("CDC_OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"));
    assertThat(traced.otlpEndpoint()).contains("http://collector:4318");
    assertThat(traced.toString()).contains("cdc.otel.exporter.otlp.endpoint=http://collector:4318");
    assertBad(
        Map.of(CdcConfig.OTLP_ENDPOINT, "collector:4318"),
        CdcConfig.OTLP_ENDPOINT,
        "absolute http(s) URL");
    assertBad(Map.of(CdcConfig.OTEL_SERVICE_NAME, " "), CdcConfig.OTEL_SERVICE_NAME, "blank");
  }

  @Test
  void shouldFailFastNamingTheBadKey() {
    assertBad(Map.of("cdc.http.port", "eighty"), "cdc.http.port", "not an integer");
    assertBad(Map.of("cdc.http.prot", "80"), "cdc.http.prot", "unknown key");
    assertBad(Map.of("cdc.slot.lag.interval.ms", "0"), "cdc.slot.lag.interval.ms", "between");
    assertBad(
        Map.of("debezium.source.plugin.name", "decoderbufs"),
        "debezium.source.plugin.name",
        "fixed");
    assertBad(
        Map.of("debezium.sink.kafka.producer.acks", "1"),
        "debezium.sink.kafka.producer.acks",
        "fixed");
    assertBad(
        Map.of("debezium.sink.kafka.producer.max.in.flight.requests.per.connection", "10"),
        "debezium.sink.kafka.producer.max.in.flight.requests.per.connection",
        "order");
    assertBad(
        Map.of("debezium.source.transforms.extra.type", "x"),
        "debezium.source.transforms.extra.type",
        "fixed");
    assertBad(
        Map.of("debezium.source.offset.storage", "file"),
        "debezium.source.offset.storage.file.filename",
        "required");
    assertBad(
        Map.of("debezium.source.offset.storage", "redis"),
        "debezium.source.offset.storage",
        "kafka, file");
    assertBad(
        Map.of("debezium.source.snapshot.mode", "sometimes"), "debezium.source.snapshot.mode", "");
    assertBad(
        Map.of("cdc.restart.backoff.max.ms", "10", "cdc.restart.backoff.initial.ms", "100"),
        "cdc.restart.backoff.max.ms",
        "less than");

    Map<String, String> missing = minimal();
    missing.remove("debezium.source.database.hostname");
    assertThatThrownBy(() -> CdcConfig.from(missing, Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("debezium.source.database.hostname: required");
    Map<String, String> noRegistry = minimal();
    noRegistry.remove("cdc.schema.registry.url");
    assertThatThrownBy(() -> CdcConfig.from(noRegistry, Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("cdc.schema.registry.url: required");
  }

  @Test
  void shouldLoadAPropertiesFileAndNameAMissingOne(@TempDir Path directory) throws IOException {
    Path file = directory.resolve("cdc.properties");
    StringBuilder text = new StringBuilder();
    minimal().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    text.append("debezium.source.offset.storage=file\n");
    text.append("debezium.source.offset.storage.file.filename=")
        .append(directory.resolve("offsets.dat"))
        .append('\n');
    Files.writeString(file, text);

    CdcConfig config = CdcConfig.load(file, Map.of());

    assertThat(config.source())
        .containsEntry("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
    assertThatThrownBy(() -> CdcConfig.load(directory.resolve("nope.properties"), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("--config: cannot read");
  }

  private static void assertBad(Map<String, String> change, String key, String problem) {
    Map<String, String> values = minimal();
    values.putAll(change);
    assertThatThrownBy(() -> CdcConfig.from(values, Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith(key + ":")
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(((InvalidConfigException) e).key()).isEqualTo(key));
  }
}
