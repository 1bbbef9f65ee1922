package org.edapipeline.sagaquery.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.sagaquery.kafka.SagaStateMaterializer;
import org.edapipeline.sagaquery.view.SagaDocument;
import org.edapipeline.sagaquery.view.SagaView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query API over the JDK's own HTTP server ({@code com.sun.net.httpserver}: no dependency, and
 * three read-only JSON endpoints need no framework):
 *
 * <ul>
 *   <li>{@code GET /sagas/{orderId}}: the saga's {@link SagaDocument}; 404 if unknown.
 *   <li>{@code GET /sagas?status=COMPENSATED&limit=100}: {@code {"count", "sagas": [...]}}, most
 *       recently updated first; 400 for an unknown status or a bad limit.
 *   <li>{@code GET /health}: 200 {@code UP} once the view has caught up with the topic; 503 {@code
 *       STARTING} while it rebuilds, {@code DOWN} if it stopped following the topic.
 * </ul>
 *
 * While the view rebuilds, {@code /sagas} answers 503 (with {@code Retry-After}) rather than a
 * wrong 404. Only GET (and HEAD) are allowed.
 */
public final class SagaQueryServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SagaQueryServer.class);

  /** Default and largest {@code limit} of a list. */
  public static final int DEFAULT_LIMIT = 100;

  public static final int MAX_LIMIT = 10_000;

  private static final String SAGAS = "/sagas";
  private static final String HEALTH = "/health";

  private final SagaView view;
  private final SagaStateMaterializer materializer;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService executor;

  /**
   * Binds the server; {@link #start()} starts answering.
   *
   * @param address host and port to listen on; port 0 picks a free one
   */
  public SagaQueryServer(
      InetSocketAddress address, SagaView view, SagaStateMaterializer materializer)
      throws IOException {
    this.view = view;
    this.materializer = materializer;
    this.server = HttpServer.create(address, 0);
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "saga-query-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(SAGAS, this::sagas);
    server.createContext(HEALTH, this::health);
    server.createContext(
        "/", exchange -> send(exchange, 404, error("Not found: " + path(exchange))));
  }

  /** Starts answering requests. */
  public SagaQueryServer start() {
    server.start();
    LOG.info("Saga query API on http://{}:{}", address().getHostString(), address().getPort());
    return this;
  }

  /** The address the server listens on (with the port it picked). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void sagas(HttpExchange exchange) throws IOException {
    if (!allowed(exchange)) {
      return;
    }
    if (!materializer.ready()) {
      exchange.getResponseHeaders().set("Retry-After", "1");
      send(exchange, 503, error("The saga view is " + healthStatus().toLowerCase()));
      return;
    }
    String path = path(exchange);
    if (path.equals(SAGAS) || path.equals(SAGAS + "/")) {
      list(exchange);
      return;
    }
    String orderId = URLDecoder.decode(path.substring(SAGAS.length() + 1), StandardCharsets.UTF_8);
    view.get(orderId)
        .ifPresentOrElse(
            saga -> send(exchange, 200, saga),
            () -> send(exchange, 404, error("No saga for order " + orderId)));
  }

  private void list(HttpExchange exchange) {
    Map<String, String> query = query(exchange);
    SagaStatus status = null;
    String statusText = query.get("status");
    if (statusText != null && !statusText.isBlank()) {
      try {
        status = SagaStatus.valueOf(statusText.trim().toUpperCase());
      } catch (IllegalArgumentException e) {
        send(
            exchange,
            400,
            error(
                "Unknown status '"
                    + statusText
                    + "'; one of "
                    + Arrays.toString(SagaStatus.values())));
        return;
      }
    }
    int limit;
    try {
      limit = Integer.parseInt(query.getOrDefault("limit", Integer.toString(DEFAULT_LIMIT)));
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      send(exchange, 400, error("limit must be between 1 and " + MAX_LIMIT));
      return;
    }
    List<SagaDocument> sagas = view.list(status, limit);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("count", sagas.size());
    body.put("sagas", sagas);
    send(exchange, 200, body);
  }

  private void health(HttpExchange exchange) {
    if (!allowed(exchange)) {
      return;
    }
    String status = healthStatus();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("sagas", view.size());
    body.put("skippedRecords", materializer.skippedRecords());
    if (materializer.failure() != null) {
      body.put("error", String.valueOf(materializer.failure()));
    }
    send(exchange, status.equals("UP") ? 200 : 503, body);
  }

  private String healthStatus() {
    if (materializer.failure() != null) {
      return "DOWN";
    }
    return materializer.ready() ? "UP" : "STARTING";
  }

  private boolean allowed(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
    send(exchange, 405, error("Method " + method + " not allowed"));
    return false;
  }

  private static String path(HttpExchange exchange) {
    return exchange.getRequestURI().getRawPath();
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> query = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }

  private static Map<String, String> error(String message) {
    return Map.of("error", message);
  }

  private void send(HttpExchange exchange, int status, Object body) {
    try (exchange) {
      byte[] bytes;
      try {
        bytes = json.writeValueAsBytes(body);
      } catch (JsonProcessingException e) {
        status = 500;
        bytes = "{\"error\":\"could not write JSON\"}".getBytes(StandardCharsets.UTF_8);
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    } catch (IOException e) {
      LOG.debug("Client went away before the answer: {}", e.toString());
    }
  }

  /** Stops answering (requests in flight get a second) and releases the port. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
