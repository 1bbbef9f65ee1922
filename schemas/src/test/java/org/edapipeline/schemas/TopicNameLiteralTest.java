package org.edapipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A topic name is written once, in {@link Topics}; everything else uses its constants. */
class TopicNameLiteralTest {

  /** The repository root, seen from this module's directory (surefire's working directory). */
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  private static final Path TOPICS_JAVA =
      Path.of("src/main/java/org/edapipeline/schemas/Topics.java");

  private static final List<String> TOPIC_NAMES = Topics.all().stream().map(Topic::name).toList();

  @Test
  void shouldFindNoTopicNameLiteralOutsideTheCatalogue() throws IOException {
    assertThat(TopicNameLiterals.modules(REPOSITORY))
        .as("modules found under %s", REPOSITORY)
        .contains(Path.of("").toAbsolutePath());

    assertThat(TopicNameLiterals.find(REPOSITORY, TOPIC_NAMES, TOPICS_JAVA))
        .as("topic names written outside %s", TOPICS_JAVA)
        .isEmpty();
  }

  @Test
  void shouldSeeTheNamesInTheCatalogueItself() throws IOException {
    // Guards the test above: were the scan blind, it would pass on anything.
    assertThat(TopicNameLiterals.find(REPOSITORY, TOPIC_NAMES, Path.of("no-such-file")))
        .anySatisfy(
            finding ->
                assertThat(finding)
                    .startsWith("schemas/" + TOPICS_JAVA + ":")
                    .contains(Topics.SAGA_STATE.name()));
  }

  @Test
  void shouldReportFileAndLineOfALiteralInAnyModule(@TempDir Path repository) throws IOException {
    write(repository.resolve("pom.xml"), "<project/>");
    write(repository.resolve("jobs/pom.xml"), "<project/>");
    write(repository.resolve("jobs/saga/pom.xml"), "<project/>");
    write(
        repository.resolve("jobs/saga/src/main/java/Job.java"),
        """
        class Job {
          // reads order.events (a comment is fine)
          /* and "saga.state" in a block comment too */
          char quote = '"';
          String ok = "order";
          String topic =
              "order.events";
          String dlq = "iot.readings.dlq";
        }
        """);
    write(repository.resolve("jobs/target/Generated.java"), "String t = \"order.events\";");
    write(repository.resolve("jobs/saga/src/test/java/JobTest.java"), "String t = \"saga.state\";");

    assertThat(TopicNameLiterals.find(repository, TOPIC_NAMES, TOPICS_JAVA))
        .containsExactly(
            "jobs/saga/src/main/java/Job.java:7: \"order.events\" names topic order.events;"
                + " use the constant in Topics",
            "jobs/saga/src/main/java/Job.java:8: \"iot.readings.dlq\" names topic iot.readings;"
                + " use the constant in Topics");
  }

  @Test
  void shouldMatchWholeTopicNamesOnly() {
    assertThat(TopicNameLiterals.mentions("iot.late", "iot.late")).isTrue();
    assertThat(TopicNameLiterals.mentions("order.events-value", "order.events")).isTrue();
    assertThat(TopicNameLiterals.mentions("read iot.late.dlq now", "iot.late")).isTrue();
    assertThat(TopicNameLiterals.mentions("iot.latency", "iot.late")).isFalse();
    assertThat(TopicNameLiterals.mentions("suborder.events", "order.events")).isFalse();
  }

  @Test
  void shouldReadLiteralsNotCommentsOrCharacters() {
    String source =
        """
        // "in a line comment"
        /* "in a block
           comment" */ String a = "first \\" still first";
        char c = '\\'';
        String b = \"""
            text "block"
            \""";
        String d = "last";
        """;

    assertThat(JavaStringLiterals.in(source))
        .extracting(JavaStringLiterals.Literal::line, JavaStringLiterals.Literal::value)
        .containsExactly(
            Tuple.tuple(3, "first \\\" still first"),
            Tuple.tuple(5, "\n    text \"block\"\n    "),
            Tuple.tuple(8, "last"));
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
