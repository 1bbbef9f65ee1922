package org.edapipeline.dlq.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.edapipeline.dlq.read.DeadLetterEntry;
import org.edapipeline.dlq.replay.ReplayListener;
import org.edapipeline.dlq.replay.ReplayOptions;
import org.edapipeline.dlq.replay.ReplayReport;
import org.edapipeline.dlq.replay.Replayer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlq replay}: re-publish dead letters to their source topic. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Re-publish the matching dead letters to their source topic: original key, value "
            + "bytes and headers, with the replay-count header incremented, through an "
            + "idempotent producer. Progress is the consumer group dlq-replay.<dlq>.<job>, "
            + "committed only after Kafka acknowledged the records before it: an interrupted "
            + "replay (Ctrl-C, --limit) resumes where it stopped. Replaying twice has no second"
            + " effect: jobs and services dedupe on the event id.")
public final class ReplayCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @ArgGroup(exclusive = true, multiplicity = "1")
  QueueOptions queue;

  @Mixin FilterOptions filters;

  @Option(
      names = "--job",
      paramLabel = "NAME",
      defaultValue = ReplayOptions.DEFAULT_JOB,
      description =
          "Replay job whose progress to use and commit (default ${DEFAULT-VALUE}; depth counts"
              + " what the default job passed). Use one name per filter.")
  String job;

  @Option(
      names = "--dry-run",
      description = "Print what would be replayed; publish and commit nothing.")
  boolean dryRun;

  @Option(
      names = "--from-start",
      description =
          "Ignore the job's progress and start at the beginning of the queue (records already"
              + " replayed are published again, with the same event ids).")
  boolean fromStart;

  @Option(
      names = "--rate",
      paramLabel = "PER_SECOND",
      description = "Records per second at most (default: no limit).")
  Double rate;

  @Option(
      names = "--max-replays",
      paramLabel = "N",
      defaultValue = "" + ReplayOptions.DEFAULT_MAX_REPLAYS,
      description = "Refuse a record replayed N times already (default ${DEFAULT-VALUE}).")
  int maxReplays;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "0",
      description = "Stop after N records replayed; a later run goes on from there (0: no limit).")
  long limit;

  @Spec CommandSpec spec;

  private final Clock clock;

  ReplayCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws InterruptedException {
    ReplayOptions options =
        ReplayOptions.defaults(queue.dlq())
            .withFilter(filters.filter(clock))
            .withJob(job)
            .withDryRun(dryRun)
            .withFromStart(fromStart)
            .withRate(rate == null ? Double.POSITIVE_INFINITY : rate)
            .withMaxReplays(maxReplays)
            .withLimit(limit);
    PrintWriter out = spec.commandLine().getOut();
    Replayer replayer = new Replayer(connection.clientConfig(), options, printer(out, dryRun));
    CountDownLatch finished = new CountDownLatch(1);
    Thread stopOnSignal =
        new Thread(
            () -> {
              replayer.requestStop(); // Ctrl-C: commit what was acknowledged, then exit
              try {
                finished.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "dlq-replay-stop");
    Runtime.getRuntime().addShutdownHook(stopOnSignal);
    ReplayReport report;
    try {
      report = replayer.run();
    } finally {
      finished.countDown();
      removeHook(stopOnSignal);
    }
    out.printf(
        "%s%d replayed, %d refused, %d skipped, %d matched of %d scanned; progress of job '%s': %s%s%n",
        report.dryRun() ? "dry run: " : "",
        report.replayed(),
        report.refused(),
        report.skipped(),
        report.matched(),
        report.scanned(),
        job,
        report.progress(),
        report.complete() ? "" : " (stopped before the end: run again to resume)");
    out.flush();
    return 0;
  }

  private static ReplayListener printer(PrintWriter out, boolean dryRun) {
    return new ReplayListener() {
      @Override
      public void onReplayed(DeadLetterEntry entry, int replayCount) {
        out.printf(
            "%s %s event %s -> %s (replay %d)%n",
            dryRun ? "would replay" : "replayed",
            entry.position(),
            entry.deadLetter().getEventId(),
            entry.deadLetter().getSourceTopic(),
            replayCount);
      }

      @Override
      public void onRefused(DeadLetterEntry entry, String reason) {
        out.printf(
            "refused %s event %s: %s%n", entry.position(), entry.deadLetter().getEventId(), reason);
      }

      @Override
      public void onSkipped(DeadLetterEntry entry, String reason) {
        out.printf("skipped %s: %s%n", entry.position(), reason);
      }
    };
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it waits for us
    }
  }
}
