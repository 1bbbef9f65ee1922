package org.edapipeline.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

  private static final String SUITE = "iot-tumbling";

  @Test
  void shouldTabulateMediansAndPerPairRatiosAndSayWhereOursLoses() {
    String report = new ReportWriter(results(), analysis()).render();

    assertThat(report)
        .contains("- Command: `benchmarks/run.sh --pairs 3`")
        .contains("3 interleaved pair(s)")
        .contains("- Versions: Flink 2.2.1, Kafka Streams 4.2.0")
        .contains("- `ours`: our job")
        // ours: 1M events in 10/20/10 s with 5 CPU-s each → median 100,000 events/s, 5 CPU-s/M.
        .contains("| `ours` | 3 | 100,000 | 5.00 | not measured | 1 (ours) | 1 (ours) |")
        .contains("| 250 ms / 1.5 MiB / 3.0 KiB |")
        // kstreams: 2.5 CPU-s each → twice the events per CPU-second in every pair.
        .contains("2.00× (2.00–2.00)")
        .contains(
            "- `kstreams` processes 2.00× the events per CPU-second of ours and 1.00× the events per"
                + " second because its state store never serializes the window.")
        .contains("**Where ours loses:** `kstreams` (2.00× per CPU-second, 1.00× per second).")
        .contains("- `sql` processes 0.50× the events per CPU-second")
        .contains("(not analysed yet: see benchmarks/ANALYSIS.md)")
        .contains("| `sql` | 2 (+1 failed) |")
        .contains("- Failed: `sql` pair 3: `IllegalStateException: sql not ready within PT3M:`")
        .contains("| `org.apache.flink.Foo.bar` | 30 | 75.0% |")
        .contains("| work | `ours` | `kstreams` |")
        .contains("| Avro encoding | 30.0% | – |")
        .contains("| Kafka Streams state stores and record caches | – | 20.0% |")
        .doesNotContain("| Logging |");
  }

  @Test
  void shouldWriteTheReportWithChartsAndRoundTripTheResultsJson(@TempDir Path dir)
      throws Exception {
    Path json = dir.resolve("results.json");
    results().write(json);
    BenchmarkResults read = BenchmarkResults.read(json);

    String report =
        new ReportWriter(read, analysis())
            .write(dir.resolve("docs/benchmarks.md"), dir.resolve("docs/benchmarks"));

    assertThat(read.runs()).hasSize(results().runs().size());
    assertThat(report)
        .contains("![iot-tumbling-throughput.png](benchmarks/iot-tumbling-throughput.png)");
    assertThat(dir.resolve("docs/benchmarks/iot-tumbling-throughput.png")).isRegularFile();
    assertThat(Files.size(dir.resolve("docs/benchmarks/iot-tumbling-cpu.png"))).isPositive();
  }

  @Test
  void shouldNotCountAFasterVariantOfOursAsALoss() {
    List<RunRecord> runs =
        List.of(
            run("ours-rocksdb", 0, 5, 10, Map.of()),
            run("ours-heap", 0, 2, 5, Map.of()),
            run("ours@80%", 0, 2, 5, Map.of()),
            run("plain", 0, 10, 20, Map.of()));
    BenchmarkResults variants =
        new BenchmarkResults(
            "2026-11-29T10:00:00Z",
            "benchmarks/run.sh --quick",
            true,
            1,
            false,
            Map.of(),
            Map.of(),
            Map.of(),
            List.of(
                new BenchmarkResults.SuiteInfo(
                    SUITE,
                    "IoT tumbling",
                    List.of("ours-rocksdb", "ours-heap", "ours@80%", "plain"),
                    List.of("ours", "ours on the heap", "ours at 80%", "a loop"))),
            runs,
            Map.of(),
            null);

    assertThat(new ReportWriter(variants, Analysis.empty()).render())
        .contains("- `ours-heap` processes 2.50× the events per CPU-second of ours")
        .contains("- `ours@80%` processes 2.50× the events per CPU-second of ours")
        .contains("**Where ours loses:** nowhere in this run.")
        .contains("quick (small input; not for quoting)");
  }

  @Test
  void shouldTreatPlaceholdersAsNotAnalysed() {
    Analysis analysis =
        Analysis.parse(
            List.of("## saga", "", "### kstreams-eos", "", "(" + Analysis.PLACEHOLDER + ")"));

    assertThat(analysis.because("saga", "kstreams-eos")).isEmpty();
  }

  private static Analysis analysis() {
    return Analysis.parse(
        List.of(
            "# Analysis",
            "## " + SUITE,
            "### kstreams",
            "its state store never serializes",
            "the window.",
            "### sql",
            Analysis.PLACEHOLDER));
  }

  private static BenchmarkResults results() {
    List<RunRecord> runs = new ArrayList<>();
    runs.add(RunRecord.failed(SUITE, "ours", -1, true, "warm-up failures do not count"));
    double[] elapsed = {10, 20, 10};
    for (int pair = 0; pair < 3; pair++) {
      runs.add(
          run(
              "ours",
              pair,
              5,
              elapsed[pair],
              Map.of(
                  "checkpoint.duration.p50.ms", 250.0,
                  "checkpoint.size.bytes", 1.5 * 1024 * 1024,
                  "state.size.bytes", 3072.0)));
      runs.add(run("kstreams", pair, 2.5, elapsed[pair], Map.of()));
      if (pair < 2) {
        runs.add(run("sql", pair, 10, elapsed[pair], Map.of()));
      } else {
        runs.add(
            RunRecord.failed(
                SUITE,
                "sql",
                pair,
                false,
                "IllegalStateException: sql not ready within PT3M:\nlog"));
      }
    }
    return new BenchmarkResults(
        "2026-11-29T10:00:00Z",
        "benchmarks/run.sh --pairs 3",
        false,
        3,
        true,
        Map.of("pairs", "3"),
        Map.of("cores", "2"),
        new java.util.TreeMap<>(Map.of("Flink", "2.2.1", "Kafka Streams", "4.2.0")),
        List.of(
            new BenchmarkResults.SuiteInfo(
                SUITE,
                "IoT tumbling",
                List.of("ours", "kstreams", "sql"),
                List.of("our job", "Kafka Streams", "Flink SQL"))),
        runs,
        Map.of(
            SUITE,
            Map.of(
                "ours",
                List.of(
                    new HotMethods.Entry("org.apache.flink.Foo.bar", 30, 0.75),
                    new HotMethods.Entry("java.lang.String.hashCode", 10, 0.25)))),
        Map.of(
            SUITE,
            Map.of(
                "ours",
                List.of(
                    new HotMethods.Entry(CostCentre.AVRO_ENCODE.label(), 12, 0.3),
                    new HotMethods.Entry(CostCentre.LOGGING.label(), 1, 0.004)),
                "kstreams",
                List.of(new HotMethods.Entry(CostCentre.STREAMS_STATE.label(), 8, 0.2)))));
  }

  private static RunRecord run(
      String contender, int pair, double cpu, double elapsed, Map<String, Double> extra) {
    return new RunRecord(
        SUITE, contender, pair, false, 1_000_000, cpu, elapsed, null, null, null, null, extra,
        null);
  }
}
