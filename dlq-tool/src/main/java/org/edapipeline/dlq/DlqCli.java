package org.edapipeline.dlq;

import java.time.Clock;
import org.apache.kafka.common.config.ConfigException;
import org.edapipeline.dlq.cli.DlqCommands;
import picocli.CommandLine;

/**
 * The {@code dlq} command line: {@code list}, {@code show}, {@code replay}, {@code purge} and
 * {@code depth} over the pipeline's dead-letter queues. {@code java -jar dlq.jar --help}.
 *
 * <p>Exit codes: 0 done; 1 failed (Kafka, registry); 2 bad usage or configuration; 3 {@code depth}
 * found a queue at or above its threshold; 4 {@code purge} printed its plan without {@code --yes}.
 */
public final class DlqCli {

  /** Exit code of a failure. */
  public static final int FAILED = 1;

  /** Exit code of a bad option or setting. */
  public static final int USAGE = 2;

  private DlqCli() {}

  public static void main(String[] args) {
    System.exit(commandLine(Clock.systemUTC()).execute(args));
  }

  /** The command line, for {@link CommandLine#execute} (tests set out and err). */
  public static CommandLine commandLine(Clock clock) {
    CommandLine commandLine = new CommandLine(new DlqCommands(), new DlqCommands.Factory(clock));
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          boolean usage = e instanceof IllegalArgumentException || e instanceof ConfigException;
          cmd.getErr().println("dlq " + cmd.getCommandName() + ": " + message(e));
          cmd.getErr().flush();
          return usage ? USAGE : FAILED;
        });
    return commandLine;
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
