package org.edapipeline.dlq.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.edapipeline.dlq.kafka.DlqTopic;
import org.edapipeline.dlq.purge.PurgePlan;
import org.edapipeline.dlq.purge.PurgeTarget;
import org.edapipeline.dlq.purge.Purger;
import org.edapipeline.dlq.replay.ReplayOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlq purge}: delete the oldest records of a queue (Kafka's DeleteRecords). */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description =
        "Delete records of a dead-letter queue up to an offset with Kafka's "
            + "DeleteRecords: a log only loses a prefix, so filters do not apply. Without "
            + "--yes, only prints what would be deleted.")
public final class PurgeCommand implements Callable<Integer> {

  /** Exit code when the plan was printed but not carried out. */
  static final int NOT_CONFIRMED = 4;

  @Mixin ConnectionOptions connection;

  @ArgGroup(exclusive = true, multiplicity = "1")
  QueueOptions queue;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(
        names = "--before-offset",
        paramLabel = "OFFSET",
        description = "Delete the records before OFFSET (in --partition, or in every partition).")
    Long beforeOffset;

    @Option(
        names = "--replayed",
        description =
            "Delete what the replay job (--job) has passed: replayed, refused or filtered out.")
    boolean replayed;

    @Option(names = "--all", description = "Delete every committed record.")
    boolean all;
  }

  @Option(
      names = "--partition",
      paramLabel = "N",
      description = "With --before-offset: only this partition of the queue.")
  Integer partition;

  @Option(
      names = "--job",
      paramLabel = "NAME",
      defaultValue = ReplayOptions.DEFAULT_JOB,
      description = "With --replayed: the replay job (default ${DEFAULT-VALUE}).")
  String job;

  @Option(names = "--yes", description = "Really delete. Without it: a dry run.")
  boolean yes;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    DlqTopic dlq = queue.dlq();
    if (partition != null && target.beforeOffset == null) {
      throw new IllegalArgumentException("--partition goes with --before-offset");
    }
    PurgeTarget purgeTarget =
        target.all
            ? new PurgeTarget.All()
            : target.replayed
                ? new PurgeTarget.Replayed(job)
                : new PurgeTarget.BeforeOffset(Optional.ofNullable(partition), target.beforeOffset);
    PrintWriter out = spec.commandLine().getOut();
    try (Admin admin = Admin.create(connection.clientConfig().admin("dlq-purge"))) {
      Purger purger = new Purger(admin);
      PurgePlan plan = purger.plan(dlq, purgeTarget);
      plan.partitions()
          .forEach(
              (p, part) ->
                  out.printf(
                      "%s partition %d: offsets [%d, %d), delete before %d: %d records%n",
                      dlq.name(),
                      p,
                      part.start(),
                      part.end(),
                      part.deleteBefore(),
                      part.deleted()));
      if (!yes) {
        out.printf(
            "dry run: %d records would be deleted; add --yes to delete them%n", plan.deleted());
        out.flush();
        return NOT_CONFIRMED;
      }
      Map<Integer, Long> starts = purger.execute(plan);
      out.printf("deleted %d records; log start offsets now %s%n", plan.deleted(), starts);
      out.flush();
    }
    return 0;
  }
}
