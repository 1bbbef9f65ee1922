package org.edapipeline.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.edapipeline.faults.OutputCollector.RunOutputs;
import org.edapipeline.faults.Workload.PlannedOrder;
import org.edapipeline.faults.Workload.WindowKey;
import org.edapipeline.outputs.SagaStatus;

/**
 * What one run put in and got out, computed from the real outputs against the workload's plan.
 *
 * @param fault the fault injected
 * @param eventsIn events the run wrote (outbox rows, registrations, readings)
 * @param outPerTopic committed records of the run per output topic
 * @param lost what the plan expects and the outputs lack: {@code order:STATUS} for a status never
 *     entered, {@code order:commands n/m}, {@code device@windowStart count n/m} for a window
 *     missing or with the wrong final count
 * @param duplicated what was seen more than once: {@code order:STATUS xn}, {@code command id xn},
 *     {@code device@windowStart#revision xn}
 * @param unexpected statuses the plan does not expect (e.g. a completing order timed out)
 * @param deadLetters records in the dead-letter queues for the run's keys
 * @param restarts job restarts during the run (both jobs)
 * @param lag the end-to-end lag and the recovery time: fault → lag back within its pre-fault band
 *     ({@link EndToEndLag})
 * @param settled fault injected → every expected output committed and the jobs' consumer lag zero
 *     (bounded below by the rest of the run's writes and by the saga deadlines: the correctness
 *     check's wait, not a recovery time)
 * @param offered the input rate the run actually offered ({@link WorkloadDriver.OfferedRate})
 */
record RunFigures(
    String fault,
    long eventsIn,
    Map<String, Long> outPerTopic,
    List<String> lost,
    List<String> duplicated,
    List<String> unexpected,
    long deadLetters,
    long restarts,
    EndToEndLag lag,
    Duration settled,
    WorkloadDriver.OfferedRate offered) {

  /** Compares the plan of {@code workload} with what was read for it, timings aside. */
  static RunFigures of(String fault, Workload workload, RunOutputs out) {
    return of(
        fault,
        workload,
        out,
        0,
        EndToEndLag.NONE,
        Duration.ZERO,
        new WorkloadDriver.OfferedRate(Double.NaN, Double.NaN));
  }

  /** Compares the plan of {@code workload} with what was read for it. */
  static RunFigures of(
      String fault,
      Workload workload,
      RunOutputs out,
      long restarts,
      EndToEndLag lag,
      Duration settled,
      WorkloadDriver.OfferedRate offered) {
    List<String> lost = new ArrayList<>();
    List<String> duplicated = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    for (PlannedOrder order : workload.orders()) {
      List<SagaStatus> seen = out.statuses.getOrDefault(order.orderId(), List.of());
      Map<SagaStatus, Integer> counts = new TreeMap<>();
      seen.forEach(s -> counts.merge(s, 1, Integer::sum));
      for (SagaStatus expected : order.outcome().statuses()) {
        if (!counts.containsKey(expected)) {
          lost.add(order.orderId() + ":" + expected);
        }
      }
      counts.forEach(
          (status, n) -> {
            if (n > 1) {
              duplicated.add(order.orderId() + ":" + status + " x" + n);
            }
            if (!order.outcome().statuses().contains(status)) {
              unexpected.add(order.orderId() + ":" + status + " (" + order.outcome() + ")");
            }
          });
      int commands = out.commandsPerOrder.getOrDefault(order.orderId(), 0);
      if (commands < order.outcome().commands()) {
        lost.add(order.orderId() + ":commands " + commands + "/" + order.outcome().commands());
      }
    }
    out.commandIds.forEach(
        (id, n) -> {
          if (n > 1) {
            duplicated.add("command " + id + " x" + n);
          }
        });
    for (Map.Entry<WindowKey, Long> window : workload.expectedWindows().entrySet()) {
      long[] latest = out.latestWindowCounts.get(window.getKey());
      long count = latest == null ? 0 : latest[1];
      if (count != window.getValue()) {
        lost.add(
            window.getKey().deviceId()
                + "@"
                + window.getKey().windowStart()
                + " count "
                + count
                + "/"
                + window.getValue());
      }
    }
    Set<String> duplicateResults = new TreeSet<>();
    out.tumblingResults.forEach(
        (result, n) -> {
          if (n > 1) {
            duplicateResults.add(result + " x" + n);
          }
        });
    duplicated.addAll(duplicateResults);
    return new RunFigures(
        fault,
        workload.eventsIn(),
        Map.copyOf(out.perTopic),
        lost,
        duplicated,
        unexpected,
        out.deadLetterCount(),
        restarts,
        lag,
        settled,
        offered);
  }

  /** Whether every expected output is there (the run may still be settling). */
  boolean complete() {
    return lost.isEmpty();
  }

  long outTotal() {
    return outPerTopic.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * The offered input rate: {@code n ev/s}, or for a run with a lead at the normal rate {@code lead
   * → main ev/s (factor×)}.
   */
  String offeredRate() {
    if (Double.isNaN(offered.leadPerSecond())) {
      return Double.isNaN(offered.mainPerSecond())
          ? "n/a"
          : String.format("%,.0f ev/s", offered.mainPerSecond());
    }
    return String.format(
        "%,.0f → %,.0f ev/s (%.1f×)",
        offered.leadPerSecond(),
        offered.mainPerSecond(),
        offered.mainPerSecond() / offered.leadPerSecond());
  }

  /** A one-line summary that names the first 20 lost, duplicated and unexpected ids. */
  String describe() {
    return String.format(
        "%s: in %d at %s, out %s, lost %d %s, duplicated %d %s, unexpected %d %s, DLQ %d,"
            + " restarts %d, recovery %s, all outputs and lag zero after %.1f s",
        fault,
        eventsIn,
        offeredRate(),
        new TreeMap<>(outPerTopic),
        lost.size(),
        first20(lost),
        duplicated.size(),
        first20(duplicated),
        unexpected.size(),
        first20(unexpected),
        deadLetters,
        restarts,
        lag.describe(),
        settled.toMillis() / 1000.0);
  }

  private static List<String> first20(List<String> ids) {
    return ids.subList(0, Math.min(20, ids.size()));
  }
}
