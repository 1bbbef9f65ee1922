package org.edapipeline.sagaquery.cli;

import picocli.CommandLine.Option;

/** Where the query service is, for the commands that call it. */
public final class ServiceUrl {

  /** The default URL: the service's default port on this machine. */
  public static final String DEFAULT = "http://localhost:" + ServeCommand.DEFAULT_PORT;

  @Option(
      names = {"-u", "--url"},
      paramLabel = "URL",
      defaultValue = "${env:SAGAS_URL:-" + DEFAULT + "}",
      description = "The saga query service (default: $SAGAS_URL, else ${DEFAULT-VALUE}).")
  String url;

  SagaQueryClient client() {
    return new SagaQueryClient(url);
  }
}
