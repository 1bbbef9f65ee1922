package org.edapipeline.sagaquery.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.edapipeline.sagaquery.SagaQueryCli;
import org.edapipeline.sagaquery.view.SagaDocument;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sagas show <orderId>}: one saga's status and history. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description =
        "Show one saga: its status, reason, and every status it went through with the time spent"
            + " in each. Exit code 3 if the service does not know the order.")
public final class ShowCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ServiceUrl service;

  @Parameters(index = "0", paramLabel = "ORDER_ID", description = "The order id.")
  String orderId;

  @Option(names = "--json", description = "Print the service's JSON answer.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    SagaQueryClient client = service.client();
    var saga = client.saga(orderId);
    if (saga.isEmpty()) {
      spec.commandLine().getErr().println("No saga for order " + orderId);
      return SagaQueryCli.NOT_FOUND;
    }
    if (json) {
      out.println(
          client.raw(
              "sagas/" + URLEncoder.encode(orderId, StandardCharsets.UTF_8).replace("+", "%20")));
    } else {
      print(out, saga.get());
    }
    out.flush();
    return 0;
  }

  static void print(PrintWriter out, SagaDocument saga) {
    out.printf(
        "%s  %s%s%n",
        saga.orderId(), saga.status(), saga.reason() == null ? "" : " (" + saga.reason() + ")");
    out.printf(
        "started %s, updated %s, elapsed %d ms%n",
        saga.startedAt(), saga.updatedAt(), saga.elapsedMillis());
    for (SagaDocument.Step step : saga.history()) {
      out.printf(
          "  %-20s %-26s %s%n",
          step.status(),
          step.enteredAt(),
          step.durationMillis() == null ? "(current)" : step.durationMillis() + " ms");
    }
    out.printf("last change %s%n", saga.lastEventId());
  }
}
