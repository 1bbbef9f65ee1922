package org.edapipeline.dlq.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.edapipeline.dlq.kafka.DlqTopic;
import org.edapipeline.dlq.read.DeadLetterEntry;
import org.edapipeline.dlq.read.DeadLetterFilter;
import org.edapipeline.outputs.DeadLetter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlq list}: the dead letters of a queue as a table, oldest first per partition. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "List the dead letters of a queue: position, failure time, source, category, "
            + "error, event. Reads the queue from its start to its current end; changes "
            + "nothing.")
public final class ListCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @ArgGroup(exclusive = true, multiplicity = "1")
  QueueOptions queue;

  @Mixin FilterOptions filters;

  @Option(
      names = "--max-rows",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Rows to print at most (default ${DEFAULT-VALUE}); the rest is counted.")
  int maxRows;

  @Spec CommandSpec spec;

  private final Clock clock;

  ListCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    DlqTopic dlq = queue.dlq();
    DeadLetterFilter filter = filters.filter(clock);
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "POS",
            "FAILED_AT",
            "SOURCE",
            "CATEGORY",
            "ERROR",
            "MESSAGE",
            "EVENT_ID",
            "CORRELATION_ID",
            "ATTEMPTS"));
    long[] counts = new long[2]; // scanned, matched
    try (QueueReader reader = new QueueReader(connection.clientConfig(), "dlq-list")) {
      reader.readAll(
          dlq,
          entry -> {
            counts[0]++;
            if (filter.test(entry)) {
              counts[1]++;
              if (rows.size() <= maxRows) {
                rows.add(row(entry));
              }
            }
            return true;
          });
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(Text.table(rows));
    out.printf(
        "%d of %d records in %s match%s%n",
        counts[1],
        counts[0],
        dlq.name(),
        counts[1] > maxRows ? " (first " + maxRows + " shown)" : "");
    out.flush();
    return 0;
  }

  static List<String> row(DeadLetterEntry entry) {
    if (!entry.decoded()) {
      return List.of(
          entry.position(),
          entry.failedAt().map(Object::toString).orElse("-"),
          "-",
          "-",
          "(not a dead letter)",
          Text.oneLine(entry.decodeError().getMessage(), 60),
          "-",
          "-",
          "-");
    }
    DeadLetter d = entry.deadLetter();
    return List.of(
        entry.position(),
        d.getLastFailureAt().toString(),
        d.getSourceTopic() + "/" + d.getSourcePartition() + "/" + d.getSourceOffset(),
        d.getErrorCategory().name(),
        Text.simpleName(d.getErrorClass()),
        Text.oneLine(d.getErrorMessage(), 60),
        d.getEventId() == null ? "-" : d.getEventId().toString(),
        d.getCorrelationId() == null ? "-" : d.getCorrelationId(),
        Integer.toString(d.getAttemptCount()));
  }
}
