package org.edapipeline.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build's schema evolution check, run on the real catalogue and on edited copies of it. */
class SchemaEvolutionCheckTest {

  private static final Path SCHEMAS = Path.of("src/main/avro");
  private static final Path HISTORY = Path.of("src/main/avro-history");

  private static final String ORDER_PLACED = "org.edapipeline.events.order.OrderPlaced";
  private static final String EVENT_METADATA = "org.edapipeline.events.EventMetadata";
  private static final String LAST_ORDER_PLACED_FIELD =
      "\"doc\": \"Coupon the customer redeemed, if any. Added in v2; v1 events read as null.\"}";

  @TempDir Path copy;
  private Path schemas;
  private Path history;

  @BeforeEach
  void copyTheCatalogue() throws IOException {
    schemas = copy.resolve("avro");
    history = copy.resolve("avro-history");
    copyTree(SCHEMAS, schemas);
    copyTree(HISTORY, history);
  }

  @Test
  void shouldPassOnTheCatalogueAsCommitted() throws IOException {
    SchemaEvolutionCheck.Result result = new SchemaEvolutionCheck(SCHEMAS, HISTORY).check();

    assertThat(result.problems()).isEmpty();
    assertThat(result.schemas()).isEqualTo(avscFilesIn(SCHEMAS)).isGreaterThanOrEqualTo(23);
    // v1 of every schema, and v2 of OrderPlaced
    assertThat(result.publishedVersions()).isEqualTo(result.schemas() + 1);
  }

  @Test
  void shouldRejectANewRequiredFieldWithoutDefault() throws IOException {
    addOrderPlacedField("{\"name\": \"salesChannel\", \"type\": \"string\"}");

    List<Problem> problems = check();

    assertThat(problems)
        .extracting(Problem::subject)
        .containsOnly(ORDER_PLACED)
        .hasSize(2); // breaks v1 and v2
    assertThat(problems.get(0).description())
        .contains("cannot read data written with published v1")
        .contains("OrderPlaced/v1.avsc")
        .endsWith("READER_FIELD_MISSING_DEFAULT_VALUE at /fields/7: salesChannel");
    assertThat(problems.get(1).description()).contains("published v2");
  }

  @Test
  void shouldNameTheLocationOfAChangedNestedType() throws IOException {
    replaceIn(
        schemas.resolve("order/OrderPlaced.avsc"),
        "{\"name\": \"quantity\", \"type\": \"int\"",
        "{\"name\": \"quantity\", \"type\": \"string\"");

    assertThat(check())
        .extracting(Problem::description)
        .allSatisfy(
            description ->
                assertThat(description).contains("TYPE_MISMATCH at /fields/3/type/items/fields/1"))
        .hasSize(2);
  }

  @Test
  void shouldAskToPublishACompatibleChangeAsTheNextVersion() throws IOException {
    addOrderPlacedField(
        "{\"name\": \"giftWrap\", \"type\": \"boolean\", \"default\": false, \"doc\": \"v3\"}");

    List<Problem> problems = check();

    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).subject()).isEqualTo(ORDER_PLACED);
    assertThat(problems.get(0).description())
        .contains("differs from its newest published version v2")
        .contains("publish it as a new version: cp ")
        .endsWith(ORDER_PLACED + "/v3.avsc");

    Files.copy(
        schemas.resolve("order/OrderPlaced.avsc"), history.resolve(ORDER_PLACED + "/v3.avsc"));

    assertThat(check()).isEmpty();
  }

  @Test
  void shouldNotCountADocChangeAsANewVersion() throws IOException {
    replaceIn(
        schemas.resolve("order/OrderPlaced.avsc"),
        "Units ordered, at least 1.",
        "Units ordered; at least 1, at most 999.");

    assertThat(check()).isEmpty();
  }

  @Test
  void shouldCountAnAliasAsAChangeBecauseItChangesResolution() throws IOException {
    replaceIn(
        schemas.resolve("order/OrderPlaced.avsc"),
        "{\"name\": \"customerId\", \"type\": \"string\",",
        "{\"name\": \"customerId\", \"type\": \"string\", \"aliases\": [\"buyerId\"],");

    assertThat(check())
        .singleElement()
        .extracting(Problem::description)
        .asString()
        .contains("differs from its newest published version v2");
  }

  @Test
  void shouldRequireAPublishedVersionOfANewSchema() throws IOException {
    Files.writeString(
        schemas.resolve("order/OrderReturned.avsc"),
        """
        {"type": "record", "name": "OrderReturned", "namespace": "org.edapipeline.events.order",
         "fields": [{"name": "metadata", "type": "org.edapipeline.events.EventMetadata"},
                    {"name": "orderId", "type": "string"}]}
        """);

    assertThat(check())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.subject()).isEqualTo("org.edapipeline.events.order.OrderReturned");
              assertThat(problem.description())
                  .startsWith("has no published version. Publish it: cp ")
                  .endsWith("org.edapipeline.events.order.OrderReturned/v1.avsc");
            });
  }

  @Test
  void shouldRefuseToDropAPublishedSchema() throws IOException {
    Files.delete(schemas.resolve("order/OrderConfirmed.avsc"));

    assertThat(check())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.subject())
                  .isEqualTo("org.edapipeline.events.order.OrderConfirmed");
              assertThat(problem.description()).contains("has published versions");
            });
  }

  @Test
  void shouldRefuseGapsBetweenPublishedVersions() throws IOException {
    Path dir = history.resolve(ORDER_PLACED);
    Files.move(dir.resolve("v2.avsc"), dir.resolve("v3.avsc"));

    assertThat(check())
        .extracting(Problem::description)
        .anySatisfy(d -> assertThat(d).contains("without gaps; found v1, v3"));
  }

  @Test
  void shouldCheckSharedTypesAgainstTheirOwnHistory() throws IOException {
    replaceIn(
        schemas.resolve("common/EventMetadata.avsc"),
        "{\"name\": \"schemaVersion\", \"type\": \"int\"",
        "{\"name\": \"tenantId\", \"type\": \"string\"},\n"
            + "    {\"name\": \"schemaVersion\", \"type\": \"int\"");

    assertThat(check())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.subject()).isEqualTo(EVENT_METADATA);
              assertThat(problem.description())
                  .endsWith("READER_FIELD_MISSING_DEFAULT_VALUE at /fields/2: tenantId");
            });
  }

  @Test
  void shouldFailTheBuildWithAReportNamingSchemaAndIncompatibility() throws IOException {
    addOrderPlacedField("{\"name\": \"salesChannel\", \"type\": \"string\"}");
    String[] args = {schemas.toString(), history.toString()};

    assertThatThrownBy(() -> SchemaEvolutionCheck.main(args))
        .isInstanceOf(SchemaEvolutionException.class)
        .hasMessageStartingWith("Schema evolution check failed (2 problems).")
        .hasMessageContaining(
            ORDER_PLACED + " in " + schemas.resolve("order/OrderPlaced.avsc").toAbsolutePath())
        .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE at /fields/7: salesChannel");
  }

  @Test
  void shouldFailWhenPointedAtAnEmptyDirectory() throws IOException {
    assertThat(new SchemaEvolutionCheck(copy.resolve("nothing"), history).check().problems())
        .extracting(Problem::description)
        .contains("holds no .avsc schema");
  }

  private List<Problem> check() throws IOException {
    return new SchemaEvolutionCheck(schemas, history).check().problems();
  }

  private void addOrderPlacedField(String field) throws IOException {
    replaceIn(
        schemas.resolve("order/OrderPlaced.avsc"),
        LAST_ORDER_PLACED_FIELD,
        LAST_ORDER_PLACED_FIELD + ",\n    " + field);
  }

  private static void replaceIn(Path file, String target, String replacement) throws IOException {
    String text = Files.readString(file);
    assertThat(text).as("%s to edit", file).contains(target);
    Files.writeString(file, text.replace(target, replacement));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static long avscFilesIn(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(p -> p.toString().endsWith(".avsc")).count();
    }
  }
}
