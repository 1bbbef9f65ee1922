package org.edapipeline.cdc.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health} and {@code GET /metrics} on the JDK's HTTP server, one thread: the answers
 * are computed by the suppliers on each request.
 */
public final class StatusServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);

  /** The health of the service at one moment. */
  public record Health(boolean engineRunning, boolean kafkaReachable) {
    public boolean up() {
      return engineRunning && kafkaReachable;
    }

    String json() {
      return "{\"status\":\""
          + (up() ? "UP" : "DOWN")
          + "\",\"engine\":\""
          + (engineRunning ? "RUNNING" : "STOPPED")
          + "\",\"kafka\":\""
          + (kafkaReachable ? "REACHABLE" : "UNREACHABLE")
          + "\"}\n";
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private StatusServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts serving on {@code host:port} (port 0: a free one). */
  public static StatusServer start(
      String host, int port, Supplier<Health> health, Supplier<String> metrics) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
      server.createContext(
          "/health",
          exchange -> {
            Health now = health.get();
            respond(exchange, now.up() ? 200 : 503, "application/json", now.json());
          });
      server.createContext(
          "/metrics",
          exchange ->
              respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
      ExecutorService executor =
          Executors.newSingleThreadExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "cdc-status-http");
                thread.setDaemon(true);
                return thread;
              });
      server.setExecutor(executor);
      server.start();
      LOG.info("Serving /health and /metrics on {}", server.getAddress());
      return new StatusServer(server, executor);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot serve /health and /metrics on " + host + ":" + port, e);
    }
  }

  /** The port actually bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (RuntimeException e) {
      LOG.warn("Status request failed", e);
      throw e;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
