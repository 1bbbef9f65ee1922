package org.edapipeline.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.edapipeline.bench.harness.cdc.CdcSuite;
import org.edapipeline.bench.harness.e2e.EndToEndSuite;
import org.edapipeline.bench.harness.iot.IotSuite;
import org.edapipeline.bench.harness.saga.SagaSuite;
import org.edapipeline.embedded.kafka.EmbeddedKafkaBroker;
import org.edapipeline.embedded.postgres.EmbeddedPostgresServer;
import org.edapipeline.embedded.registry.EmbeddedSchemaRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmarks/run.sh}: starts one embedded Kafka (transactions), the schema registry and
 * PostgreSQL (logical decoding) for the whole invocation, runs the chosen suites with {@link
 * SuiteRunner}, writes {@code <results-dir>/<UTC timestamp>.json} and regenerates the report. The
 * services and every contender are stopped on exit, Ctrl-C included.
 */
@Command(
    name = "benchmarks/run.sh",
    mixinStandardHelpOptions = true,
    description = "Runs the benchmark suites and writes the results JSON and the report.")
public final class BenchmarkMain implements Callable<Integer> {

  /** Every suite id, in the order they run. */
  public static final List<String> SUITES =
      List.of("iot-tumbling", "iot-sliding", "saga", "cdc", "e2e");

  @Option(names = "--quick", description = "Small input, 1 pair, no warm-up (< 15 min).")
  boolean quick;

  @Option(
      names = "--suites",
      split = ",",
      description = "Suites to run (default: all): ${DEFAULT-VALUE}",
      defaultValue = "iot-tumbling,iot-sliding,saga,cdc,e2e")
  List<String> suites;

  @Option(
      names = "--contenders",
      split = ",",
      description = "Only these contender ids (default: every contender of each suite).")
  List<String> contenders = List.of();

  @Option(names = "--pairs", description = "Interleaved pairs (default: 5, quick: 1).")
  Integer pairs;

  @Option(
      names = "--warmup",
      negatable = true,
      description = "One uncounted warm-up run per contender before the pairs (default: off).")
  Boolean warmup;

  @Option(names = "--profile", description = "Record JFR in every contender; list hot methods.")
  boolean profile;

  @Option(
      names = "--report",
      description = "Report to regenerate.",
      defaultValue = "docs/benchmarks.md")
  Path report;

  @Option(
      names = "--charts-dir",
      description = "Where the report's PNGs go.",
      defaultValue = "docs/benchmarks")
  Path chartsDir;

  @Option(
      names = "--results-dir",
      description = "Where results JSON goes.",
      defaultValue = "benchmarks/results")
  Path resultsDir;

  @Option(
      names = "--analysis",
      description = "Hand-written explanations.",
      defaultValue = "benchmarks/ANALYSIS.md")
  Path analysis;

  @Option(
      names = "--work-dir",
      description = "Run directories (logs, state, JFR).",
      defaultValue = "benchmarks/target/work")
  Path workDir;

  @Option(
      names = "--iot-readings",
      description = "IoT readings (default: quick 100000, full 200000).")
  Long iotReadings;

  @Option(names = "--saga-orders", description = "Sagas (default: quick 5000, full 20000).")
  Integer sagaOrders;

  @Option(
      names = "--checkpoint-interval-ms",
      description =
          "Our checkpoint interval (also the Kafka Streams commit interval marked \"ours\").",
      defaultValue = "5000")
  long checkpointIntervalMs;

  @Option(
      names = "--render-only",
      description = "Regenerate the report from this results JSON; run nothing.")
  Path renderOnly;

  private final List<String> arguments;

  BenchmarkMain(List<String> arguments) {
    this.arguments = arguments;
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    int code = new CommandLine(new BenchmarkMain(List.of(args))).execute(args);
    System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    if (renderOnly != null) {
      render(BenchmarkResults.read(renderOnly));
      return 0;
    }
    for (String suite : suites) {
      if (!SUITES.contains(suite)) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--suites: unknown suite '" + suite + "', known: " + SUITES);
      }
    }
    int pairCount = pairs != null ? pairs : quick ? 1 : 5;
    boolean warm = warmup != null && warmup;
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String stamp =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC)
            .format(started);
    Path work = workDir.toAbsolutePath().resolve(stamp);
    Files.createDirectories(work);
    List<RunRecord> runs = new ArrayList<>();
    List<BenchmarkResults.SuiteInfo> infos = new ArrayList<>();
    Map<String, Map<String, List<HotMethods.Entry>>> profiles = new LinkedHashMap<>();
    Map<String, Map<String, List<HotMethods.Entry>>> centres = new LinkedHashMap<>();
    Map<String, String> versions;
    System.out.println("Starting Kafka, the schema registry and PostgreSQL…");
    try (EmbeddedKafkaBroker kafka =
            EmbeddedKafkaBroker.builder()
                .brokerConfig("transaction.max.timeout.ms", "3600000")
                .start();
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers());
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start()) {
      BenchContext context =
          new BenchContext(
              kafka.bootstrapServers(),
              registry.url(),
              postgres.jdbcUrl(),
              postgres.user(),
              postgres.password(),
              root,
              work,
              quick,
              pairCount,
              profile);
      versions = MachineFacts.versions(context);
      SuiteRunner runner = new SuiteRunner(context, warm, System.out, Set.copyOf(contenders));
      Duration interval = Duration.ofMillis(checkpointIntervalMs);
      for (String id : suites) {
        Suite suite = suite(id, interval);
        if (suite == null) {
          System.out.printf("[%s] not available in this build: skipped%n", id);
          continue;
        }
        infos.add(BenchmarkResults.SuiteInfo.of(suite));
        SuiteRunner.SuiteOutcome outcome = runner.run(suite);
        runs.addAll(outcome.runs());
        Map<String, List<HotMethods.Entry>> hot = new LinkedHashMap<>();
        outcome.profiles().forEach((c, h) -> hot.put(c, h.top(ReportWriter.TOP_METHODS)));
        if (!hot.isEmpty()) {
          profiles.put(id, hot);
          Map<String, List<HotMethods.Entry>> byCentre = new LinkedHashMap<>();
          outcome.profiles().forEach((c, h) -> byCentre.put(c, h.centres()));
          centres.put(id, byCentre);
        }
        // Write after every suite: a long run stopped half-way keeps what it measured.
        write(started, stamp, pairCount, warm, versions, infos, runs, profiles, centres, false);
      }
    }
    write(started, stamp, pairCount, warm, versions, infos, runs, profiles, centres, true);
    return runs.stream().allMatch(RunRecord::ok) ? 0 : 1;
  }

  private Suite suite(String id, Duration interval) {
    return switch (id) {
      case "iot-tumbling" -> new IotSuite(false, iotReadings, interval);
      case "iot-sliding" -> new IotSuite(true, iotReadings, interval);
      case "saga" -> new SagaSuite(sagaOrders, interval);
      case "cdc" -> new CdcSuite();
      case "e2e" -> new EndToEndSuite();
      default -> null;
    };
  }

  private void write(
      Instant started,
      String stamp,
      int pairCount,
      boolean warm,
      Map<String, String> versions,
      List<BenchmarkResults.SuiteInfo> infos,
      List<RunRecord> runs,
      Map<String, Map<String, List<HotMethods.Entry>>> profiles,
      Map<String, Map<String, List<HotMethods.Entry>>> centres,
      boolean last)
      throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("quick", String.valueOf(quick));
    options.put("suites", String.join(",", suites));
    options.put("pairs", String.valueOf(pairCount));
    options.put("contenders", contenders.isEmpty() ? "all" : String.join(",", contenders));
    options.put("warmup", String.valueOf(warm));
    options.put("profile", String.valueOf(profile));
    options.put("checkpoint-interval-ms", String.valueOf(checkpointIntervalMs));
    options.put("iot-readings", iotReadings == null ? "default" : String.valueOf(iotReadings));
    options.put("saga-orders", sagaOrders == null ? "default" : String.valueOf(sagaOrders));
    BenchmarkResults results =
        new BenchmarkResults(
            started.toString(),
            "benchmarks/run.sh " + String.join(" ", arguments),
            quick,
            pairCount,
            warm,
            options,
            MachineFacts.machine(),
            versions,
            List.copyOf(infos),
            List.copyOf(runs),
            Map.copyOf(profiles),
            Map.copyOf(centres));
    Path json = resultsDir.resolve(stamp + ".json");
    results.write(json);
    if (last) {
      System.out.println("Results: " + json);
      render(results);
    }
  }

  private void render(BenchmarkResults results) throws Exception {
    new ReportWriter(results, Analysis.read(analysis)).write(report, chartsDir);
    System.out.println("Report: " + report + " (charts in " + chartsDir + ")");
  }
}
