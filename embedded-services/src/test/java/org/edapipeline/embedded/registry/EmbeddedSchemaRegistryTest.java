package org.edapipeline.embedded.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.embedded.registry.RegistryHttp.schemaBody;

import org.edapipeline.embedded.registry.RegistryHttp.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST contract: paths, bodies, status codes and Confluent's error codes (in-memory). */
class EmbeddedSchemaRegistryTest {
  static final String V1 =
      "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"}]}";
  static final String V2 =
      "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"n\",\"type\":\"int\",\"default\":0}]}";
  static final String BREAKING =
      "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"n\",\"type\":\"int\"}]}";

  private EmbeddedSchemaRegistry registry;
  private RegistryHttp http;

  @BeforeEach
  void start() {
    registry = EmbeddedSchemaRegistry.builder().start();
    http = new RegistryHttp(registry.url());
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void shouldRegisterAndServeVersionsWithConfluentsContentType() {
    Answer registered = http.post("/subjects/orders-value/versions", schemaBody(V1));

    assertThat(registered.status()).isEqualTo(200);
    assertThat(registered.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    int id = registered.body().get("id").asInt();
    assertThat(http.get("/schemas/ids/" + id).body().get("schema").asText()).isEqualTo(V1);
    Answer latest = http.get("/subjects/orders-value/versions/latest");
    assertThat(latest.body().get("version").asInt()).isEqualTo(1);
    assertThat(latest.body().get("id").asInt()).isEqualTo(id);
    assertThat(latest.body().get("subject").asText()).isEqualTo("orders-value");
    assertThat(http.get("/subjects/orders-value/versions/1/schema").body().get("name").asText())
        .isEqualTo("Order");
    assertThat(http.get("/subjects").body().toString()).isEqualTo("[\"orders-value\"]");
    assertThat(http.get("/subjects/orders-value/versions").body().toString()).isEqualTo("[1]");
    assertThat(http.post("/subjects/orders-value", schemaBody(V1)).body().get("version").asInt())
        .isEqualTo(1);
  }

  @Test
  void shouldKeepIdsGlobalAndStable() {
    int id = http.post("/subjects/a-value/versions", schemaBody(V1)).body().get("id").asInt();
    // Whitespace differences are the same schema.
    String spaced = V1.replace(",", " , ");

    assertThat(http.post("/subjects/a-value/versions", schemaBody(spaced)).body().get("id").asInt())
        .isEqualTo(id);
    assertThat(http.post("/subjects/b-value/versions", schemaBody(V1)).body().get("id").asInt())
        .isEqualTo(id);
    assertThat(http.get("/subjects/a-value/versions").body().size()).isEqualTo(1);
    assertThat(http.post("/subjects/a-value/versions", schemaBody(V2)).body().get("id").asInt())
        .isEqualTo(id + 1);
  }

  @Test
  void shouldAnswerWithConfluentErrorCodes() {
    http.post("/subjects/orders-value/versions", schemaBody(V1));

    assertError(http.get("/subjects/nope/versions"), 404, 40401);
    assertError(http.get("/subjects/orders-value/versions/9"), 404, 40402);
    assertError(http.get("/schemas/ids/999"), 404, 40403);
    assertError(http.post("/subjects/orders-value", schemaBody(V2)), 404, 40403);
    assertError(http.get("/subjects/orders-value/versions/zero"), 422, 42202);
    assertError(http.get("/subjects/orders-value/versions/0"), 422, 42202);
    assertError(http.post("/subjects/orders-value/versions", schemaBody("{not avro")), 422, 42201);
    assertError(http.post("/subjects/orders-value/versions", schemaBody(BREAKING)), 409, 409);
    assertError(http.put("/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
    assertError(http.get("/nothing/here"), 404, 404);
    assertError(http.delete("/subjects"), 405, 405);
  }

  @Test
  void shouldExplainIncompatibilityWhenVerbose() {
    http.post("/subjects/orders-value/versions", schemaBody(V1));

    Answer quiet =
        http.post("/compatibility/subjects/orders-value/versions/latest", schemaBody(BREAKING));
    Answer verbose =
        http.post(
            "/compatibility/subjects/orders-value/versions/latest?verbose=true",
            schemaBody(BREAKING));

    assertThat(quiet.body().get("is_compatible").asBoolean()).isFalse();
    assertThat(quiet.body().has("messages")).isFalse();
    assertThat(verbose.body().get("messages").toString())
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "oldSchemaVersion: 1", "BACKWARD");
    assertThat(
            http.post("/compatibility/subjects/orders-value/versions/1", schemaBody(V2))
                .body()
                .get("is_compatible")
                .asBoolean())
        .isTrue();
    assertThat(
            http.post("/compatibility/subjects/new-value/versions/latest", schemaBody(V1))
                .body()
                .get("is_compatible")
                .asBoolean())
        .isTrue();
  }

  @Test
  void shouldCheckEveryVersionOnlyWhenTransitive() {
    http.put("/config/orders-value", "{\"compatibility\":\"BACKWARD\"}");
    http.post("/subjects/orders-value/versions", schemaBody(V1));
    String noId =
        "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
            + "{\"name\":\"n\",\"type\":\"int\",\"default\":0}]}";
    String withId =
        "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
            + "{\"name\":\"n\",\"type\":\"int\",\"default\":0},"
            + "{\"name\":\"id\",\"type\":\"string\"}]}";
    // V1 -> noId is backward compatible (dropping a field); noId -> withId is not against noId
    // (id has no default), so use a level-only difference: withId reads V1 but not noId.
    http.post("/subjects/orders-value/versions", schemaBody(noId));

    assertThat(http.post("/subjects/orders-value/versions", schemaBody(withId)).status())
        .isEqualTo(409);
    http.put("/config/orders-value", "{\"compatibility\":\"NONE\"}");
    assertThat(http.post("/subjects/orders-value/versions", schemaBody(withId)).status())
        .isEqualTo(200);
  }

  @Test
  void shouldManageGlobalAndSubjectConfig() {
    assertThat(http.get("/config").body().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    assertError(http.get("/config/orders-value"), 404, 40408);
    assertThat(
            http.get("/config/orders-value?defaultToGlobal=true")
                .body()
                .get("compatibilityLevel")
                .asText())
        .isEqualTo("BACKWARD");

    assertThat(
            http.put("/config", "{\"compatibility\":\"full\"}")
                .body()
                .get("compatibility")
                .asText())
        .isEqualTo("FULL");
    http.put("/config/orders-value", "{\"compatibility\":\"NONE\"}");

    assertThat(http.get("/config").body().get("compatibilityLevel").asText()).isEqualTo("FULL");
    assertThat(http.get("/config/orders-value").body().get("compatibilityLevel").asText())
        .isEqualTo("NONE");
    assertThat(http.delete("/config/orders-value").body().get("compatibilityLevel").asText())
        .isEqualTo("NONE");
    assertError(http.get("/config/orders-value"), 404, 40408);
  }

  @Test
  void shouldSoftDeleteThenPermanentlyDelete() {
    int id = http.post("/subjects/orders-value/versions", schemaBody(V1)).body().get("id").asInt();

    assertError(http.delete("/subjects/orders-value?permanent=true"), 404, 40405);
    assertThat(http.delete("/subjects/orders-value").body().toString()).isEqualTo("[1]");
    assertThat(http.get("/subjects").body().size()).isZero();
    assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
    assertThat(http.delete("/subjects/orders-value?permanent=true").body().toString())
        .isEqualTo("[1]");
    assertError(http.delete("/subjects/orders-value"), 404, 40401);

    // Re-registering after a delete reuses the schema's global id.
    assertThat(
            http.post("/subjects/orders-value/versions", schemaBody(V1)).body().get("id").asInt())
        .isEqualTo(id);
  }

  @Test
  void shouldRequireBasicAuthWhenConfigured() {
    try (EmbeddedSchemaRegistry secured =
        EmbeddedSchemaRegistry.builder().basicAuth("alice", "secret").start()) {
      RegistryHttp anonymous = new RegistryHttp(secured.url());

      assertError(anonymous.get("/subjects"), 401, 40101);
      assertError(anonymous.withBasicAuth("alice", "wrong").get("/subjects"), 401, 40101);
      assertThat(anonymous.withBasicAuth("alice", "secret").get("/subjects").status())
          .isEqualTo(200);
    }
  }

  private static void assertError(Answer answer, int status, int errorCode) {
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
    assertThat(answer.errorCode()).as(answer.body().toString()).isEqualTo(errorCode);
    assertThat(answer.body().get("message").asText()).isNotBlank();
  }
}
