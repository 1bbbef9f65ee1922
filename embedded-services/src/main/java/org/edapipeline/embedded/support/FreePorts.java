package org.edapipeline.embedded.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Finds TCP ports that are free on the loopback interface.
 *
 * <p>The port is free when this method returns; another process may still take it before the
 * service binds it. Services that pick ports this way retry their first start on a bind failure.
 */
public final class FreePorts {
  private FreePorts() {}

  /** Returns a port that nothing listens on at the moment of the call. */
  public static int pick() {
    try (ServerSocket socket = bind(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free TCP port on the loopback interface", e);
    }
  }

  /**
   * Whether a server could listen on the port now. Connections of an earlier server that linger in
   * {@code TIME_WAIT} do not count, as servers set {@code SO_REUSEADDR}.
   */
  public static boolean isFree(int port) {
    try {
      bind(port).close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }
}
