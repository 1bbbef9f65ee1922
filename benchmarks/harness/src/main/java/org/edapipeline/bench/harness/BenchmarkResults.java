package org.edapipeline.bench.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything one invocation measured, as written to {@code benchmarks/results/<timestamp>.json} and
 * read back to render the report.
 *
 * @param generatedAt when the invocation started (ISO-8601, UTC)
 * @param command the command line that reproduces it
 * @param quick quick form (smaller input, one pair, no warm-up)
 * @param pairs interleaved pairs per suite
 * @param warmup whether each contender had one uncounted warm-up run
 * @param options every option of the invocation, by name
 * @param machine cores, CPU model, RAM, OS, JVM
 * @param versions Flink, Kafka, Kafka Streams, Debezium… as found on the contenders' classpaths
 * @param suites the suites run, with their contenders' descriptions
 * @param runs every run, warm-ups and failures included
 * @param profiles per suite and contender, its top hot methods (under {@code --profile})
 * @param costCentres per suite and contender, its samples per {@link CostCentre} (under {@code
 *     --profile}; null in results written before they existed)
 */
public record BenchmarkResults(
    String generatedAt,
    String command,
    boolean quick,
    int pairs,
    boolean warmup,
    Map<String, String> options,
    Map<String, String> machine,
    Map<String, String> versions,
    List<SuiteInfo> suites,
    List<RunRecord> runs,
    Map<String, Map<String, List<HotMethods.Entry>>> profiles,
    Map<String, Map<String, List<HotMethods.Entry>>> costCentres) {

  /** A suite as the report presents it. */
  public record SuiteInfo(String id, String title, List<String> contenders, List<String> describe) {

    /** The info of a suite object. */
    public static SuiteInfo of(Suite suite) {
      return new SuiteInfo(suite.id(), suite.title(), suite.contenders(), suite.describe());
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Writes the results as indented JSON. */
  public void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    JSON.writeValue(file.toFile(), this);
  }

  /** Reads results written by {@link #write}. */
  public static BenchmarkResults read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), BenchmarkResults.class);
  }

  /** The counted (not warm-up) runs of a suite. */
  public List<RunRecord> countedRuns(String suite) {
    return runs.stream().filter(r -> r.suite().equals(suite) && !r.warmup()).toList();
  }
}
