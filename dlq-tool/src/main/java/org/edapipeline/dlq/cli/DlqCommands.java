package org.edapipeline.dlq.cli;

import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code dlq} command: only its subcommands do something. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    version = "dlq 0.1.0",
    description =
        "Triage, replay and purge the pipeline's dead-letter queues (<source-topic>.dlq),"
            + " and watch their depth. Every subcommand has --help.",
    subcommands = {
      ListCommand.class,
      ShowCommand.class,
      ReplayCommand.class,
      PurgeCommand.class,
      DepthCommand.class
    })
public final class DlqCommands implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand");
  }

  /** Creates the commands with the clock their time options are relative to. */
  public static final class Factory implements CommandLine.IFactory {
    private final Clock clock;

    public Factory(Clock clock) {
      this.clock = clock;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == ListCommand.class) {
        return type.cast(new ListCommand(clock));
      }
      if (type == ReplayCommand.class) {
        return type.cast(new ReplayCommand(clock));
      }
      if (type == DepthCommand.class) {
        return type.cast(new DepthCommand(clock));
      }
      return CommandLine.defaultFactory().create(type);
    }
  }
}
