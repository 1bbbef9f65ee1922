package org.edapipeline.sagaquery;

import org.apache.kafka.common.config.ConfigException;
import org.edapipeline.sagaquery.cli.SagaCommands;
import picocli.CommandLine;

/**
 * The {@code sagas} command line: {@code serve} runs the query service, {@code show} and {@code
 * list} call it. {@code java -jar saga-query.jar --help}.
 *
 * <p>Exit codes: 0 done; 1 failed (service or Kafka unreachable, an error answer); 2 bad usage or
 * configuration; 3 {@code show} found no saga for the order.
 */
public final class SagaQueryCli {

  /** Exit code of a failure. */
  public static final int FAILED = 1;

  /** Exit code of a bad option or setting. */
  public static final int USAGE = 2;

  /** Exit code of {@code show} for an order the service does not know. */
  public static final int NOT_FOUND = 3;

  private SagaQueryCli() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, for {@link CommandLine#execute} (tests set out and err). */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new SagaCommands());
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          boolean usage = e instanceof IllegalArgumentException || e instanceof ConfigException;
          cmd.getErr().println("sagas " + cmd.getCommandName() + ": " + message(e));
          cmd.getErr().flush();
          return usage ? USAGE : FAILED;
        });
    return commandLine;
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
