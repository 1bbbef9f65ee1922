package org.edapipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LocalStackMainTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = LocalStackMain.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private static LocalStackConfig parse(String... args) {
    CommandLine commandLine = LocalStackMain.commandLine();
    commandLine.parseArgs(args);
    return commandLine.<LocalStackMain>getCommand().toConfig();
  }

  @Test
  void shouldDescribeEveryOptionInHelp() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--duration",
            "--no-simulators",
            "--report",
            "--info",
            "--web-port",
            "--flink-metrics-port",
            "--dlq-metrics-port",
            "--order-rate",
            "--payment-decline-rate",
            "--outage-every",
            "--devices",
            "--malformed-rate",
            "outbox-sql");
  }

  @Test
  void shouldNameTheOptionOfAnInvalidValue() {
    assertThat(run("--late-rate", "1.5")).isEqualTo(2);
    assertThat(err.toString()).contains("--late-rate").contains("between 0 and 1");
  }

  @Test
  void shouldNameTheOptionOfAnUnreadableDuration() {
    assertThat(run("--window", "soon")).isEqualTo(2);
    assertThat(err.toString()).contains("--window").contains("'soon' is not a duration");
  }

  @Test
  void shouldRefuseAnOutageLongerThanItsPeriodNamingTheOptions() {
    assertThat(run("--outage-every", "10s", "--outage-duration", "20s")).isEqualTo(2);
    assertThat(err.toString()).contains("--outage-every/--outage-duration");
  }

  @Test
  void shouldSayWhichPortIsTakenAndHowToChooseAnother() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      int port = taken.getLocalPort();
      assertThat(run("--web-port", Integer.toString(port))).isEqualTo(2);
      assertThat(err.toString())
          .contains("Port " + port + " for the Flink web UI is already in use")
          .contains("--web-port");
    }
  }

  @Test
  void shouldNameTheOptionOfATakenMetricsPort() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      int port = taken.getLocalPort();
      assertThat(run("--web-port", "0", "--flink-metrics-port", Integer.toString(port)))
          .isEqualTo(2);
      assertThat(err.toString())
          .contains("Port " + port + " for Flink's Prometheus metrics is already in use")
          .contains("--flink-metrics-port");
      assertThat(
              run(
                  "--web-port",
                  "0",
                  "--flink-metrics-port",
                  "0",
                  "--dlq-metrics-port",
                  Integer.toString(port)))
          .isEqualTo(2);
      assertThat(err.toString()).contains("--dlq-metrics-port");
    }
  }

  @Test
  void shouldGiveManualRunsLongDeadlinesWithoutSimulators() {
    assertThat(parse().pipeline().sagaDeadline()).isEqualTo(Duration.ofSeconds(10));
    LocalStackConfig manual = parse("--no-simulators");
    assertThat(manual.simulators()).isFalse();
    assertThat(manual.pipeline().sagaDeadline()).isEqualTo(Duration.ofMinutes(5));
    assertThat(parse("--no-simulators", "--saga-deadline", "30s").pipeline().sagaDeadline())
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shouldDeriveLateReadingsPastTheAllowedLateness() {
    LocalStackConfig config =
        parse("--window", "4s", "--allowed-lateness", "3s", "--out-of-orderness", "1s");
    Duration pastLateness =
        config
            .pipeline()
            .window()
            .plus(config.pipeline().allowedLateness())
            .plus(config.pipeline().outOfOrderness());
    assertThat(config.devices().lateBy()).isGreaterThan(pastLateness);
    assertThat(config.devices().outOfOrderBy()).isLessThan(pastLateness);
  }
}
