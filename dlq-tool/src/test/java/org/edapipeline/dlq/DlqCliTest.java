package org.edapipeline.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edapipeline.dlq.DlqFixture.CliResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line without Kafka: help, usage errors and configuration errors fail fast. */
class DlqCliTest {

  @ParameterizedTest
  @ValueSource(strings = {"list", "show", "replay", "purge", "depth"})
  void shouldDescribeEverySubcommandAndItsConnectionOptionsInItsHelp(String subcommand) {
    CliResult help = DlqFixture.run(subcommand, "--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("Usage: dlq " + subcommand)
        .contains("--bootstrap-servers")
        .contains("--registry-url")
        .contains("--kafka-property")
        .contains("--kafka-config");
  }

  @Test
  void shouldListTheSubcommandsInTheTopLevelHelp() {
    CliResult help = DlqFixture.run("--help");

    assertThat(help.out()).contains("list", "show", "replay", "purge", "depth");
    assertThat(DlqFixture.run().exitCode()).isEqualTo(DlqCli.USAGE);
  }

  @Test
  void shouldRefuseAQueueThatIsNotInTheCatalogue() {
    CliResult result =
        DlqFixture.run("list", "-b", "localhost:1", "-r", "http://localhost:1", "-t", "orders.dlq");

    assertThat(result.exitCode()).isEqualTo(DlqCli.USAGE);
    assertThat(result.err()).contains("'orders.dlq' is not a dead-letter queue of the catalogue");
  }

  @Test
  void shouldRefuseASettingTheToolControlsNamingItsKey() {
    CliResult result =
        DlqFixture.run(
            "replay",
            "-b",
            "localhost:1",
            "-r",
            "http://localhost:1",
            "-s",
            "order.events",
            "-X",
            "enable.idempotence=false");

    assertThat(result.exitCode()).isEqualTo(DlqCli.USAGE);
    assertThat(result.err()).contains("enable.idempotence").contains("set by the dlq tool");
  }

  @Test
  void shouldRequireBootstrapServersAndARegistry() {
    assertThat(DlqFixture.run("list", "-r", "http://localhost:1", "-s", "order.events").err())
        .contains("bootstrap.servers");
    assertThat(DlqFixture.run("list", "-b", "localhost:1", "-s", "order.events").err())
        .contains("schema.registry.url");
  }

  @Test
  void shouldRefuseABadTimeNamingItsOption() {
    CliResult result =
        DlqFixture.run(
            "list",
            "-b",
            "localhost:1",
            "-r",
            "http://localhost:1",
            "-s",
            "order.events",
            "--since",
            "yesterday");

    assertThat(result.exitCode()).isEqualTo(DlqCli.USAGE);
    assertThat(result.err()).contains("--since: 'yesterday'");
  }

  @Test
  void shouldRefuseAReplayOfAQueueWithoutSourceTopic() {
    CliResult result =
        DlqFixture.run(
            "replay", "-b", "localhost:1", "-r", "http://localhost:1", "-t", "cdc.outbox.dlq");

    assertThat(result.exitCode()).isEqualTo(DlqCli.USAGE);
    assertThat(result.err()).contains("cannot be replayed");
  }

  @Test
  void shouldReadSecuritySettingsFromAPropertiesFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        "bootstrap.servers=broker:9093\n"
            + "security.protocol=SASL_SSL\n"
            + "sasl.mechanism=SCRAM-SHA-512\n"
            + "schema.registry.url=https://registry:8081\n"
            + "basic.auth.user.info=user:secret\n");

    var config =
        org.edapipeline.dlq.kafka.DlqClientConfig.of(
            null, null, org.edapipeline.dlq.kafka.DlqClientConfig.readProperties(file));

    assertThat(config.bootstrapServers()).isEqualTo("broker:9093");
    assertThat(config.producer("p"))
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("enable.idempotence", true)
        .containsEntry("acks", "all")
        .doesNotContainKey("basic.auth.user.info");
    assertThat(config.consumer("c", "g")).containsEntry("isolation.level", "read_committed");
    assertThat(config.registry().username()).hasValue("user");
    assertThat(config.toString()).doesNotContain("secret");
  }
}
