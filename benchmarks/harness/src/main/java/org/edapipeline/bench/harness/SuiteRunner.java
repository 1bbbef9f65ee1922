package org.edapipeline.bench.harness;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a suite: {@link Suite#prepare} once, then (full form) one warm-up run per contender that is
 * not counted, then {@link BenchContext#pairs()} rounds in {@link Interleaving} order. A run that
 * fails is recorded with its error (which carries the contender's log tail) and the suite goes on;
 * a suite whose preparation fails records that as one failed run. Under {@code --profile}, each
 * counted run's JFR recording is folded into the contender's {@link HotMethods}.
 */
public final class SuiteRunner {

  private static final Logger LOG = LoggerFactory.getLogger(SuiteRunner.class);

  /** Contender id under which a failed {@link Suite#prepare} is recorded. */
  public static final String PREPARE = "(prepare)";

  private final BenchContext context;
  private final boolean warmup;
  private final PrintStream progress;

  public SuiteRunner(BenchContext context, boolean warmup, PrintStream progress) {
    this.context = context;
    this.warmup = warmup;
    this.progress = progress;
  }

  /** What a suite produced: every run, and per contender its hot methods (under profile). */
  public record SuiteOutcome(List<RunRecord> runs, Map<String, HotMethods> profiles) {}

  /** Runs the suite to the end; never throws for a failing run or preparation. */
  public SuiteOutcome run(Suite suite) throws InterruptedException {
    List<RunRecord> runs = new ArrayList<>();
    Map<String, HotMethods> profiles = new LinkedHashMap<>();
    progress.printf("[%s] preparing%n", suite.id());
    try {
      suite.prepare(context);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      LOG.warn("{}: prepare failed", suite.id(), e);
      progress.printf("[%s] prepare FAILED: %s%n", suite.id(), e);
      runs.add(RunRecord.failed(suite.id(), PREPARE, 0, false, describe(e)));
      return new SuiteOutcome(runs, profiles);
    }
    if (warmup) {
      for (String contender : suite.contenders()) {
        runs.add(runOne(suite, contender, -1, true));
      }
    }
    for (int pair = 0; pair < context.pairs(); pair++) {
      for (String contender : Interleaving.round(suite.contenders(), pair)) {
        RunRecord run = runOne(suite, contender, pair, false);
        runs.add(run);
        if (context.profile()) {
          Path jfr = context.runDir(suite.id(), contender, pair).resolve(JvmOptions.PROFILE_FILE);
          if (Files.isRegularFile(jfr)) {
            profiles.computeIfAbsent(contender, c -> new HotMethods()).add(jfr);
          }
        }
      }
    }
    return new SuiteOutcome(runs, profiles);
  }

  private RunRecord runOne(Suite suite, String contender, int pair, boolean warm)
      throws InterruptedException {
    String label = warm ? "warm-up" : "pair " + (pair + 1) + "/" + context.pairs();
    progress.printf("[%s] %s %s … ", suite.id(), contender, label);
    progress.flush();
    try {
      RunResult result = suite.run(context, contender, pair);
      RunRecord run = RunRecord.of(result, warm);
      progress.printf(
          "%,.0f events/s, %.2f CPU-s/M events (%.1f s)%n",
          run.eventsPerSecond(), run.cpuSecondsPerMillion(), run.elapsedSeconds());
      return run;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      LOG.warn("{} {} {} failed", suite.id(), contender, label, e);
      progress.printf("FAILED: %s%n", firstLine(e));
      return RunRecord.failed(suite.id(), contender, pair, warm, describe(e));
    }
  }

  private static String describe(Exception e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static String firstLine(Exception e) {
    String text = describe(e);
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
