package org.edapipeline.sagaquery.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code sagas} command: only its subcommands do something. */
@Command(
    name = "sagas",
    mixinStandardHelpOptions = true,
    version = "sagas 0.1.0",
    description =
        "Query the order sagas' current state (serve, show, list). Every subcommand has --help.",
    subcommands = {ServeCommand.class, ShowCommand.class, ListCommand.class})
public final class SagaCommands implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand");
  }
}
