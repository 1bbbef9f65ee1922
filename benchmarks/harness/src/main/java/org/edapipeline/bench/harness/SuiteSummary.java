package org.edapipeline.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The figures of one suite's counted runs, per contender: medians, per-pair ratios to ours (the
 * suite's first contender), and the Flink contenders' checkpoint and state figures.
 */
public final class SuiteSummary {

  private final BenchmarkResults.SuiteInfo suite;
  private final Map<String, Map<Integer, RunRecord>> byContender = new LinkedHashMap<>();

  public SuiteSummary(BenchmarkResults.SuiteInfo suite, List<RunRecord> counted) {
    this.suite = suite;
    suite.contenders().forEach(c -> byContender.put(c, new TreeMap<>()));
    for (RunRecord run : counted) {
      if (byContender.containsKey(run.contender())) {
        byContender.get(run.contender()).put(run.pair(), run);
      }
    }
  }

  public BenchmarkResults.SuiteInfo suite() {
    return suite;
  }

  /** Our contender: the suite's first. */
  public String ours() {
    return suite.contenders().get(0);
  }

  /** A contender's successful runs, by pair. */
  public List<RunRecord> ok(String contender) {
    return byContender.get(contender).values().stream().filter(RunRecord::ok).toList();
  }

  /** A contender's failed runs. */
  public List<RunRecord> failed(String contender) {
    return byContender.get(contender).values().stream().filter(r -> !r.ok()).toList();
  }

  /** Median of a figure over a contender's successful runs (NaN for none). */
  public double median(String contender, ToDoubleFunction<RunRecord> metric) {
    return Stats.median(
        ok(contender).stream()
            .map(r -> metric.applyAsDouble(r))
            .filter(v -> !Double.isNaN(v))
            .collect(Collectors.toList()));
  }

  /** Median of an extra figure (e.g. {@code checkpoint.size.bytes}) where the runs have it. */
  public Optional<Double> medianExtra(String contender, String key) {
    List<Double> values = new ArrayList<>();
    for (RunRecord run : ok(contender)) {
      Double value = run.extra().get(key);
      if (value != null) {
        values.add(value);
      }
    }
    return values.isEmpty() ? Optional.empty() : Optional.of(Stats.median(values));
  }

  /** Per-pair ratios of a figure, contender over ours, as median with min and max. */
  public Optional<Stats.Spread> ratio(String contender, ToDoubleFunction<RunRecord> metric) {
    return Stats.spread(
        Stats.pairRatios(byContender.get(ours()), byContender.get(contender), metric));
  }

  /** Whether any run measured latency. */
  public boolean hasLatency() {
    return byContender.values().stream()
        .flatMap(m -> m.values().stream())
        .anyMatch(r -> r.ok() && r.latencyP50Micros() != null);
  }
}
