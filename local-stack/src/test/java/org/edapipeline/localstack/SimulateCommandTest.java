package org.edapipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.edapipeline.jobs.iot.IotOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulateCommandTest {

  private static final List<String> CONNECTION =
      List.of(
          "simulate",
          "--kafka-bootstrap-servers",
          "kafka:9092",
          "--jdbc-url",
          "jdbc:postgresql://postgres:5432/shop",
          "--jdbc-user",
          "edapipeline",
          "--schema-registry-url",
          "http://schema-registry:8081");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = LocalStackMain.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  /** The connection options with {@code replacements} (option, value pairs) put in. */
  private int runWith(String... replacements) {
    List<String> args = new ArrayList<>(CONNECTION);
    for (int i = 0; i < replacements.length; i += 2) {
      int at = args.indexOf(replacements[i]);
      if (at < 0) {
        args.add(replacements[i]);
        args.add(replacements[i + 1]);
      } else {
        args.set(at + 1, replacements[i + 1]);
      }
    }
    return run(args.toArray(String[]::new));
  }

  private static SimulateConfig parse(String... extra) {
    CommandLine commandLine = LocalStackMain.commandLine();
    List<String> args = new ArrayList<>(CONNECTION);
    args.addAll(List.of(extra));
    CommandLine.ParseResult parsed = commandLine.parseArgs(args.toArray(String[]::new));
    return parsed.subcommand().commandSpec().commandLine().<SimulateCommand>getCommand().toConfig();
  }

  @Test
  void shouldDocumentTheConnectionOptionsAndTheirEnvironmentVariables() {
    assertThat(run("simulate", "--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--kafka-bootstrap-servers",
            "--jdbc-url",
            "--jdbc-user",
            "--jdbc-password",
            "--schema-registry-url",
            "--duration",
            "--cdc-slot",
            "--order-rate",
            "--devices",
            "--window",
            "SIMULATOR_JDBC_URL",
            "SIMULATOR_JDBC_PASSWORD");
  }

  @Test
  void shouldListTheSimulateAndMigrateCommandsInTheStacksHelp() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("simulate", "migrate", "SIMULATOR_ORDER_RATE");
  }

  @Test
  void shouldNameTheMissingDatabaseOptionsOfMigrate() {
    assertThat(run("migrate")).isEqualTo(2);
    assertThat(err.toString()).contains("--jdbc-url", "--jdbc-user");
  }

  @Test
  void shouldNameEachMissingOption() {
    assertThat(run("simulate")).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "--kafka-bootstrap-servers", "--jdbc-url", "--jdbc-user", "--schema-registry-url");
  }

  @Test
  void shouldNameTheOptionOfAMalformedAddress() {
    assertThat(runWith("--kafka-bootstrap-servers", "kafka")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid --kafka-bootstrap-servers");
    assertThat(runWith("--jdbc-url", "postgres://postgres/shop")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid --jdbc-url");
    assertThat(runWith("--schema-registry-url", "schema-registry:8081")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid --schema-registry-url");
  }

  @Test
  void shouldNameTheOptionOfAnInvalidRate() {
    assertThat(runWith("--late-rate", "2")).isEqualTo(2);
    assertThat(err.toString()).contains("--late-rate").contains("between 0 and 1");
  }

  @Test
  void shouldNeverShowThePassword() {
    SimulateConfig config = parse("--jdbc-password", "s3cret");
    assertThat(config.database().password()).isEqualTo("s3cret");
    assertThat(config.toString()).doesNotContain("s3cret");
    assertThat(
            config
                .database()
                .mask(
                    "FATAL: password s3cret rejected for jdbc:postgresql://pg/shop?password=s3cret&ssl=true"))
        .doesNotContain("s3cret")
        .contains("&ssl=true");
  }

  @Test
  void shouldMakeLateReadingsLateForTheDeployedJobsDefaultTiming() {
    SimulateConfig config = parse();
    Duration pastLateness =
        IotOptions.WINDOW_SIZE
            .defaultValue()
            .plus(IotOptions.ALLOWED_LATENESS.defaultValue())
            .plus(IotOptions.OUT_OF_ORDERNESS.defaultValue());
    assertThat(config.devices().lateBy()).isGreaterThan(pastLateness);
    assertThat(config.cdcSlot()).isEqualTo(SimulateCommand.DEFAULT_SLOT);
    assertThat(config.duration()).isNull();
    assertThat(parse("--window", "10s").devices().lateBy()).isLessThan(config.devices().lateBy());
  }
}
