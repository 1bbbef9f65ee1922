package org.edapipeline.localstack.flink;

/** The Flink web UI's port is taken: the message names the port and the option to change it. */
public final class WebPortInUseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WebPortInUseException(int port, Throwable cause) {
    super(
        "Port "
            + port
            + " for the Flink web UI is already in use (another Flink cluster, or a local stack"
            + " still running?). Stop it, or start with --web-port <port> (0 picks a free port).",
        cause);
  }
}
