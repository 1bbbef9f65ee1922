package org.edapipeline.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A contender's hot methods: the top frame of every {@code jdk.ExecutionSample} (Java code running
 * on a CPU when sampled) of its JFR recordings, counted per method. Self time, not inclusive time:
 * it says where the CPU goes, which is what a cost ratio needs explained. Also counts the samples
 * per {@link CostCentre} (any frame of the stack: inclusive). Samples outside the run's {@link
 * MeasuredInterval} (boot, shutdown) are left out.
 */
public final class HotMethods {

  private final Map<String, Long> samples = new HashMap<>();
  private final Map<CostCentre, Long> centres = new EnumMap<>(CostCentre.class);
  private long total;

  /** Adds the samples of one recording taken during {@code interval} (all when empty). */
  public void add(Path recording, Optional<MeasuredInterval> interval) {
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        if (!"jdk.ExecutionSample".equals(event.getEventType().getName())) {
          continue;
        }
        if (interval.isPresent() && !interval.get().contains(event.getStartTime())) {
          continue;
        }
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        add(methodName(stack.getFrames().get(0)), 1);
        for (CostCentre centre : CostCentre.values()) {
          if (inCentre(stack, centre)) {
            centres.merge(centre, 1L, Long::sum);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read JFR recording " + recording, e);
    }
  }

  /** Adds {@code count} samples of {@code method} (also for tests and for reading results back). */
  public void add(String method, long count) {
    samples.merge(method, count, Long::sum);
    total += count;
  }

  /** The {@code n} methods with most samples, most first, with their share of all samples. */
  public List<Entry> top(int n) {
    return samples.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(n)
        .map(
            e ->
                new Entry(e.getKey(), e.getValue(), total == 0 ? 0 : e.getValue() / (double) total))
        .toList();
  }

  /**
   * Every {@link CostCentre} with samples, in declaration order, with its share of all samples
   * (inclusive: shares overlap).
   */
  public List<Entry> centres() {
    return centres.entrySet().stream()
        .map(
            e ->
                new Entry(
                    e.getKey().label(),
                    e.getValue(),
                    total == 0 ? 0 : e.getValue() / (double) total))
        .toList();
  }

  /** All samples counted. */
  public long total() {
    return total;
  }

  private static boolean inCentre(RecordedStackTrace stack, CostCentre centre) {
    for (RecordedFrame frame : stack.getFrames()) {
      RecordedMethod method = frame.getMethod();
      if (method != null && centre.matches(method.getType().getName(), method.getName())) {
        return true;
      }
    }
    return false;
  }

  private static String methodName(RecordedFrame frame) {
    RecordedMethod method = frame.getMethod();
    return method.getType().getName() + "." + method.getName();
  }

  /** One hot method: its samples and their share of the contender's samples. */
  public record Entry(String method, long samples, double share) {}
}
