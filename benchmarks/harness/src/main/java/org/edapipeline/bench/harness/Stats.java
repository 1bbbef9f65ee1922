package org.edapipeline.bench.harness;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** Medians and per-pair ratios over the runs of a suite. */
public final class Stats {

  private Stats() {}

  /** The median (mean of the middle two for an even count); NaN for no values. */
  public static double median(Collection<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * Ratios of a contender's figure to ours, one per pair where both runs succeeded: {@code
   * metric(contender) / metric(ours)}.
   *
   * @param ours our run per pair
   * @param theirs the contender's run per pair
   */
  public static List<Double> pairRatios(
      Map<Integer, RunRecord> ours,
      Map<Integer, RunRecord> theirs,
      ToDoubleFunction<RunRecord> metric) {
    List<Double> ratios = new ArrayList<>();
    for (Map.Entry<Integer, RunRecord> e : theirs.entrySet()) {
      RunRecord mine = ours.get(e.getKey());
      if (mine != null && mine.ok() && e.getValue().ok()) {
        ratios.add(metric.applyAsDouble(e.getValue()) / metric.applyAsDouble(mine));
      }
    }
    return ratios;
  }

  /** Median, min and max of a set of ratios, or empty for none. */
  public static Optional<Spread> spread(List<Double> values) {
    if (values.isEmpty()) {
      return Optional.empty();
    }
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return Optional.of(new Spread(median(values), min, max));
  }

  /** A median with its range. */
  public record Spread(double median, double min, double max) {}
}
