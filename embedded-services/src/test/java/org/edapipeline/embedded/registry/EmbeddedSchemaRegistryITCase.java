package org.edapipeline.embedded.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.embedded.registry.EmbeddedSchemaRegistryTest.BREAKING;
import static org.edapipeline.embedded.registry.EmbeddedSchemaRegistryTest.V1;
import static org.edapipeline.embedded.registry.EmbeddedSchemaRegistryTest.V2;
import static org.edapipeline.embedded.registry.RegistryHttp.schemaBody;

import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Durability: the registry's state lives in a compacted Kafka topic and survives restarts. */
class EmbeddedSchemaRegistryITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  @Test
  void shouldStoreChangesInACompactedTopic() throws Exception {
    new RegistryHttp(REGISTRY.url()).post("/subjects/ext-value/versions", schemaBody(V1));

    try (Admin admin = KAFKA.admin()) {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "_schemas");
      Config config = admin.describeConfigs(Set.of(topic)).all().get().get(topic);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }
  }

  @Test
  void shouldKeepIdsVersionsConfigAndDeletionsAcrossRestarts() {
    String topic = "_schemas_restart";
    int v1;
    int v2;
    try (EmbeddedSchemaRegistry first = start(topic)) {
      RegistryHttp http = new RegistryHttp(first.url());
      v1 = http.post("/subjects/orders-value/versions", schemaBody(V1)).body().get("id").asInt();
      v2 = http.post("/subjects/orders-value/versions", schemaBody(V2)).body().get("id").asInt();
      http.post("/subjects/gone-value/versions", schemaBody(V1));
      http.delete("/subjects/gone-value");
      http.put("/config", "{\"compatibility\":\"FULL\"}");
      http.put("/config/orders-value", "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");
    }

    try (EmbeddedSchemaRegistry second = start(topic)) {
      RegistryHttp http = new RegistryHttp(second.url());

      assertThat(http.get("/schemas/ids/" + v1).body().get("schema").asText()).isEqualTo(V1);
      assertThat(http.get("/subjects/orders-value/versions/2").body().get("id").asInt())
          .isEqualTo(v2);
      assertThat(http.get("/subjects").body().toString()).isEqualTo("[\"orders-value\"]");
      assertThat(http.get("/config").body().get("compatibilityLevel").asText()).isEqualTo("FULL");
      assertThat(http.get("/config/orders-value").body().get("compatibilityLevel").asText())
          .isEqualTo("BACKWARD_TRANSITIVE");
      // The compatibility rules still apply to the recovered history.
      assertThat(http.post("/subjects/orders-value/versions", schemaBody(BREAKING)).status())
          .isEqualTo(409);
      // Same schema, same id; a new schema continues the id sequence.
      assertThat(
              http.post("/subjects/other-value/versions", schemaBody(V1)).body().get("id").asInt())
          .isEqualTo(v1);
      String fresh =
          "{\"type\":\"record\",\"name\":\"Fresh\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}";
      assertThat(
              http.post("/subjects/fresh-value/versions", schemaBody(fresh))
                  .body()
                  .get("id")
                  .asInt())
          .isEqualTo(Math.max(v1, v2) + 1);
    }
  }

  private static EmbeddedSchemaRegistry start(String topic) {
    return EmbeddedSchemaRegistry.builder()
        .kafkaClientConfig(KAFKA.clientConfig())
        .storageTopic(topic)
        .start();
  }
}
