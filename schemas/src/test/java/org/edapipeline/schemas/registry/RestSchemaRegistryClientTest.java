package org.edapipeline.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.edapipeline.schemas.testing.TestSchemas.ORDER_INCOMPATIBLE;
import static org.edapipeline.schemas.testing.TestSchemas.ORDER_V1;
import static org.edapipeline.schemas.testing.TestSchemas.ORDER_V2;
import static org.edapipeline.schemas.testing.TestSchemas.PAYMENT;

import java.time.Duration;
import org.apache.avro.Schema;
import org.edapipeline.embedded.registry.EmbeddedSchemaRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the embedded registry over real HTTP (in-memory storage: no broker). */
class RestSchemaRegistryClientTest {
  private EmbeddedSchemaRegistry registry;
  private SchemaRegistryClient client;

  @BeforeEach
  void start() {
    registry = EmbeddedSchemaRegistry.builder().inMemory().start();
    client =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(registry.url()).build());
  }

  @AfterEach
  void stop() {
    client.close();
    registry.close();
  }

  @Test
  void shouldRoundTripRegisterFetchLookupLatestAndVersions() {
    int v1 = client.register("orders-value", ORDER_V1);
    int v2 = client.register("orders-value", ORDER_V2);

    assertThat(v2).isNotEqualTo(v1);
    assertThat(client.getById(v1)).isEqualTo(ORDER_V1);
    assertThat(client.lookup("orders-value", ORDER_V1))
        .isEqualTo(new SchemaMetadata("orders-value", v1, 1, ORDER_V1));
    assertThat(client.latest("orders-value"))
        .isEqualTo(new SchemaMetadata("orders-value", v2, 2, ORDER_V2));
    assertThat(client.version("orders-value", 1).id()).isEqualTo(v1);
    assertThat(client.versions("orders-value")).containsExactly(1, 2);
    assertThat(client.subjects()).containsExactly("orders-value");
  }

  @Test
  void shouldFetchByIdFromAFreshClientWithoutItsCache() {
    int id = client.register("orders-value", ORDER_V1);
    try (SchemaRegistryClient other = newClient(registry.url())) {
      assertThat(other.getById(id)).isEqualTo(ORDER_V1);
      assertThat(other.getById(id)).isSameAs(other.getById(id));
    }
  }

  @Test
  void shouldGiveTheSameIdToTheSameSchemaInEverySubjectAndOnReRegistration() {
    int first = client.register("orders-value", ORDER_V1);
    try (SchemaRegistryClient uncached = newClient(registry.url())) {
      assertThat(uncached.register("orders-value", ORDER_V1)).isEqualTo(first);
      assertThat(uncached.register("test.Order", ORDER_V1)).isEqualTo(first);
      assertThat(uncached.versions("orders-value")).containsExactly(1);
    }
    assertThat(client.register("payments-value", PAYMENT)).isNotEqualTo(first);
  }

  @Test
  void shouldRejectAnIncompatibleSchemaUnderBackwardWithTheRegistrysReasons() {
    client.register("orders-value", ORDER_V1);

    assertThatThrownBy(() -> client.register("orders-value", ORDER_INCOMPATIBLE))
        .isInstanceOfSatisfying(
            IncompatibleSchemaException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.messages()).singleElement().asString().contains("currency");
              assertThat(e.getMessage())
                  .contains("orders-value", "READER_FIELD_MISSING_DEFAULT_VALUE");
            });
    assertThat(client.versions("orders-value")).containsExactly(1);
  }

  @Test
  void shouldAcceptAnIncompatibleSchemaUnderNone() {
    client.register("orders-value", ORDER_V1);
    client.setCompatibility("orders-value", CompatibilityLevel.NONE);

    client.register("orders-value", ORDER_INCOMPATIBLE);

    assertThat(client.versions("orders-value")).containsExactly(1, 2);
  }

  @Test
  void shouldExplainIncompatibilityThroughTheCompatibilityEndpoint() {
    client.register("orders-value", ORDER_V1);

    assertThat(client.testCompatibility("orders-value", ORDER_V2))
        .isEqualTo(new CompatibilityResult(true, java.util.List.of()));
    CompatibilityResult result = client.testCompatibility("orders-value", ORDER_INCOMPATIBLE);
    assertThat(result.compatible()).isFalse();
    assertThat(result.messages())
        .anySatisfy(m -> assertThat(m).contains("READER_FIELD_MISSING_DEFAULT_VALUE", "currency"))
        .contains("{oldSchemaVersion: 1}", "{compatibility: 'BACKWARD'}");
  }

  @Test
  void shouldCheckForwardAgainstTheOldReader() {
    client.setCompatibility("orders-value", CompatibilityLevel.FORWARD);
    client.register("orders-value", ORDER_V2);

    // The old schema (v2) has "amount" with a default, so it can read v1 data: forward-compatible.
    assertThat(client.testCompatibility("orders-value", ORDER_V1).compatible()).isTrue();
    assertThat(client.testCompatibility("orders-value", PAYMENT).compatible()).isFalse();
  }

  @Test
  void shouldReadAndWriteGlobalAndSubjectCompatibility() {
    assertThat(client.getCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
    assertThat(client.getCompatibility("orders-value")).isEqualTo(CompatibilityLevel.BACKWARD);

    client.setCompatibility(CompatibilityLevel.FULL_TRANSITIVE);
    client.setCompatibility("orders-value", CompatibilityLevel.NONE);

    assertThat(client.getCompatibility()).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
    assertThat(client.getCompatibility("orders-value")).isEqualTo(CompatibilityLevel.NONE);
    assertThat(client.getCompatibility("payments-value"))
        .isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
  }

  @Test
  void shouldNameWhatIsMissing() {
    client.register("orders-value", ORDER_V1);

    assertThatThrownBy(() -> client.getById(9999))
        .isInstanceOf(SchemaNotFoundException.class)
        .hasMessageContaining("/schemas/ids/9999");
    assertThatThrownBy(() -> client.latest("nope"))
        .isInstanceOf(SubjectNotFoundException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> client.version("orders-value", 7))
        .isInstanceOf(VersionNotFoundException.class);
    assertThatThrownBy(() -> client.lookup("orders-value", PAYMENT))
        .isInstanceOf(SchemaNotFoundException.class);
    assertThatThrownBy(() -> client.lookup("nope", PAYMENT))
        .isInstanceOf(SubjectNotFoundException.class);
  }

  @Test
  void shouldMapARejectedSchemaToInvalidSchema() {
    // Parsed here without default validation; the registry validates and refuses it.
    Schema badDefault =
        new Schema.Parser()
            .setValidateDefaults(false)
            .parse(
                "{\"type\":\"record\",\"name\":\"Bad\",\"fields\":"
                    + "[{\"name\":\"n\",\"type\":\"int\",\"default\":\"text\"}]}");

    assertThatThrownBy(() -> client.register("bad-value", badDefault))
        .isInstanceOfSatisfying(
            InvalidSchemaException.class, e -> assertThat(e.errorCode()).isEqualTo(42201));
  }

  @Test
  void shouldSoftDeleteASubjectButKeepItsIdsResolvable() {
    int id = client.register("orders-value", ORDER_V1);

    assertThat(client.deleteSubject("orders-value")).containsExactly(1);

    assertThat(client.subjects()).isEmpty();
    assertThatThrownBy(() -> client.versions("orders-value"))
        .isInstanceOf(SubjectNotFoundException.class);
    try (SchemaRegistryClient uncached = newClient(registry.url())) {
      assertThat(uncached.getById(id)).isEqualTo(ORDER_V1);
    }
  }

  @Test
  void shouldEncodeSubjectsWithSpecialCharacters() {
    String subject = "weird subject/with+chars-value";
    int id = client.register(subject, ORDER_V1);

    assertThat(client.latest(subject).id()).isEqualTo(id);
    assertThat(client.subjects()).containsExactly(subject);
  }

  @Test
  void shouldFailOverToTheNextUrl() {
    String dead = "http://127.0.0.1:" + ClosedPort.find();
    try (SchemaRegistryClient failover =
        new RestSchemaRegistryClient(
            SchemaRegistryClientConfig.builder(dead, registry.url())
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .build())) {
      assertThat(failover.register("orders-value", ORDER_V1)).isPositive();
      assertThat(failover.subjects()).containsExactly("orders-value");
    }
  }

  private static SchemaRegistryClient newClient(String url) {
    return new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(url).build());
  }
}
