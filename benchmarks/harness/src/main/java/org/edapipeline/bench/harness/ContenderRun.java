package org.edapipeline.bench.harness;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.edapipeline.bench.contract.ContenderSpec;

/**
 * Runs one contender once and measures it, the same way for every suite: open the {@link
 * OutputCounter} on the (fresh) output topics, start the contender, wait for its ready line, count
 * committed outputs until the {@link Completion} is complete, sample the process's CPU time and the
 * wall time since ready at that moment, then stop it (SIGTERM) and collect its metrics.
 *
 * <p>Whatever happens, the process is stopped before this returns or throws; a failure's message
 * carries the tail of the contender's log.
 *
 * @param readyTimeout how long boot may take
 * @param runTimeout how long processing may take after ready
 */
public record ContenderRun(Duration readyTimeout, Duration runTimeout) {

  /** Time a contender gets after SIGTERM to write its metrics and exit. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(60);

  /**
   * Starts {@code mainClass} of {@code module} with {@code spec} and measures it.
   *
   * @param events input events of the run (the pre-loaded input's size)
   */
  public RunResult measure(
      BenchContext context,
      String suite,
      int pair,
      String module,
      String mainClass,
      List<String> jvmOptions,
      ContenderSpec spec,
      Completion completion,
      long events)
      throws Exception {
    String contender = spec.get(ContenderSpec.CONTENDER);
    try (OutputCounter counter =
        new OutputCounter(context.bootstrapServers(), spec.getList(ContenderSpec.OUTPUT_TOPICS))) {
      ContenderProcess process =
          ContenderProcess.start(
              contender, context.classpathOf(module), mainClass, jvmOptions, spec);
      return measure(process, counter, suite, pair, completion, events);
    }
  }

  /** Measures an already started process (e.g. a jar that knows nothing of the contract). */
  public RunResult measure(
      ContenderProcess process,
      OutputCounter counter,
      String suite,
      int pair,
      Completion completion,
      long events)
      throws Exception {
    String contender = process.name();
    try {
      process.awaitReady(readyTimeout);
      Instant done;
      try {
        done =
            counter.awaitCompletion(completion, Instant.now().plus(runTimeout), process::isAlive);
      } catch (IllegalStateException e) {
        throw new IllegalStateException(
            contender + ": " + e.getMessage() + "\n" + process.logTail(), e);
      }
      Duration cpu = process.cpuSinceReady();
      Duration elapsed = Duration.between(process.readyAt(), done);
      Map<String, Double> metrics = process.stop(STOP_GRACE);
      return new RunResult(suite, contender, pair, events, cpu, elapsed, null, metrics);
    } finally {
      process.close();
    }
  }
}
