package org.edapipeline.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line as {@code java -jar cdc-outbox-source.jar} runs it: the usage, and the exit code
 * and message of a configuration the service refuses before it starts anything.
 */
class CdcOutboxSourceMainTest {

  @Test
  void shouldPrintTheUsageWithTheConfigOptionAndExitCodesOnHelp() {
    Run run = execute("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Usage: cdc-outbox-source", "--config=FILE", "-h, --help", "Exit codes:")
        .contains("invalid configuration");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void shouldExitWithTheInvalidConfigCodeNamingAMissingConfigFile(@TempDir Path directory) {
    Path missing = directory.resolve("missing.properties");

    Run run = execute("--config", missing.toString());

    assertThat(run.exitCode()).isEqualTo(CdcOutboxSourceMain.INVALID_CONFIG).isEqualTo(2);
    assertThat(run.err())
        .startsWith("Invalid configuration: --config: cannot read ")
        .contains(missing.toString());
  }

  @Test
  void shouldExitWithTheInvalidConfigCodeNamingTheBadKey(@TempDir Path directory)
      throws IOException {
    Path file = directory.resolve("cdc.properties");
    // Refused before anything connects: passwords never come from the file.
    Files.writeString(file, "debezium.source.database.password=in-the-file\n");

    Run run = execute("--config", file.toString());

    assertThat(run.exitCode()).isEqualTo(CdcOutboxSourceMain.INVALID_CONFIG);
    assertThat(run.err())
        .startsWith("Invalid configuration: debezium.source.database.password:")
        .doesNotContain("in-the-file");
  }

  @Test
  void shouldExitWithTheUsageErrorCodeWithoutAConfigOption() {
    Run run = execute();

    assertThat(run.exitCode()).isEqualTo(CdcOutboxSourceMain.INVALID_CONFIG);
    assertThat(run.err()).contains("Missing required option: '--config=FILE'", "Usage:");
  }

  private record Run(int exitCode, String out, String err) {}

  /**
   * Runs the command as {@code main} does, without {@code System.exit}. picocli writes usage and
   * argument errors to its own writers; the service reports a refused configuration on {@code
   * System.err}, captured here for the duration of the call.
   */
  private static Run execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new CdcOutboxSourceMain());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int exitCode;
    try {
      System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
      exitCode = command.execute(args);
    } finally {
      System.setErr(original);
    }
    return new Run(exitCode, out.toString(), err + systemErr.toString(StandardCharsets.UTF_8));
  }
}
