package org.edapipeline.sagaquery.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.sagaquery.http.SagaQueryServer;
import org.edapipeline.sagaquery.view.SagaDocument;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sagas list --status …}: the sagas in a status. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List sagas, most recently updated first: order id, status, last update.")
public final class ListCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ServiceUrl service;

  @Option(
      names = {"-s", "--status"},
      paramLabel = "STATUS",
      description = "Only sagas in this status: ${COMPLETION-CANDIDATES}. Default: all.")
  SagaStatus status;

  @Option(
      names = {"-n", "--limit"},
      defaultValue = "" + SagaQueryServer.DEFAULT_LIMIT,
      description =
          "At most this many (1 to " + SagaQueryServer.MAX_LIMIT + "; default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "Print the service's JSON answer.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    SagaQueryClient client = service.client();
    if (json) {
      out.println(
          client.raw("sagas?limit=" + limit + (status == null ? "" : "&status=" + status.name())));
    } else {
      SagaQueryClient.SagaList list = client.sagas(status == null ? null : status.name(), limit);
      out.printf("%-40s %-20s %s%n", "ORDER", "STATUS", "UPDATED");
      for (SagaDocument saga : list.sagas()) {
        out.printf("%-40s %-20s %s%n", saga.orderId(), saga.status(), saga.updatedAt());
      }
      out.printf("%d saga(s)%n", list.count());
    }
    out.flush();
    return 0;
  }
}
