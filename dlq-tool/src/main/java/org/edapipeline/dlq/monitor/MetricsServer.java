package org.edapipeline.dlq.monitor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A {@code /metrics} endpoint for a Prometheus scrape, on the JDK's own HTTP server (one daemon
 * thread). {@code GET /metrics} answers the supplier's text; anything else is 404.
 */
public final class MetricsServer implements AutoCloseable {

  /** The path Prometheus scrapes by default. */
  public static final String PATH = "/metrics";

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving.
   *
   * @param address where to listen; port 0 picks a free port
   * @param metrics the exposition text, rendered per request
   * @throws IOException if the address cannot be bound
   */
  public static MetricsServer start(InetSocketAddress address, Supplier<String> metrics)
      throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "dlq-metrics-http");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext(PATH, exchange -> answer(exchange, metrics));
    server.start();
    return new MetricsServer(server, executor);
  }

  private static void answer(HttpExchange exchange, Supplier<String> metrics) throws IOException {
    try (exchange) {
      if (!PATH.equals(exchange.getRequestURI().getPath())
          || !"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", PrometheusFormat.CONTENT_TYPE);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
