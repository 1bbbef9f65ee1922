package org.edapipeline.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A port the local stack must listen on is taken: the message names the port, what it is for and
 * the option that changes it. The stack checks its fixed ports with {@link #checkFree} before it
 * starts anything, so it fails in a second, not after the services came up.
 */
public final class PortInUseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param port the taken port
   * @param purpose what the port is for, e.g. "the Flink web UI"
   * @param option the option that chooses another port, e.g. "--web-port"
   */
  public PortInUseException(int port, String purpose, String option, Throwable cause) {
    super(
        "Port "
            + port
            + " for "
            + purpose
            + " is already in use (another Flink cluster, or a local stack still running?). Stop"
            + " it, or start with "
            + option
            + " <port> (0 picks a free port).",
        cause);
  }

  /**
   * Fails fast if {@code port} cannot be bound on {@code host} (null: every interface, as
   * Prometheus reporters bind).
   *
   * @throws PortInUseException naming the port, its purpose and the option
   */
  public static void checkFree(String host, int port, String purpose, String option) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(
          host == null
              ? new InetSocketAddress(port)
              : new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw new PortInUseException(port, purpose, option, e);
    }
  }

  /** A port free now on every interface (for options set to 0 where the server cannot pick). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free port: " + e, e);
    }
  }
}
