package org.edapipeline.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one JSON request to the registry with timeouts, retries and failover, and maps error
 * answers to the typed {@link SchemaRegistryException}s.
 *
 * <p>Retried: I/O errors (connection refused, reset, timeouts) and 5xx, with {@link Backoff}; each
 * retry moves to the next URL. Never retried: 4xx, which a retry cannot fix. The last URL that
 * answered is tried first next time.
 */
final class RegistryHttpTransport implements AutoCloseable {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9,"
          + " application/json; q=0.5";
  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpTransport.class);
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final SchemaRegistryClientConfig config;
  private final ObjectMapper json;
  private final Backoff backoff;
  private final ExecutorService executor;
  private final HttpClient http;

  /** Precomputed header value; never logged or put in a message. */
  private final String authorization;

  /** Index of the URL that answered last. */
  private volatile int preferred;

  RegistryHttpTransport(SchemaRegistryClientConfig config, ObjectMapper json) {
    this.config = config;
    this.json = json;
    this.backoff = new Backoff(config.retryBackoff(), config.retryBackoffMax());
    this.authorization =
        config
            .username()
            .map(
                user ->
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (user + ":" + config.password()).getBytes(StandardCharsets.UTF_8)))
            .orElse(null);
    int client = CLIENTS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    // Our own executor, so close() can stop it: HttpClient has no close() before Java 21.
    this.executor =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread =
                  new Thread(
                      runnable,
                      "schema-registry-client-" + client + "-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
  }

  /**
   * Sends a request and returns the parsed JSON answer.
   *
   * @param method GET, POST, PUT or DELETE
   * @param path the already-encoded path and query, starting with {@code /}
   * @param body the JSON body, or null
   */
  JsonNode send(String method, String path, JsonNode body) {
    byte[] payload = body == null ? null : writeJson(body);
    List<URI> urls = config.urls();
    int first = preferred;
    int attempts = config.maxRetries() + 1;
    String lastFailure = null;
    Throwable lastCause = null;
    int lastStatus = SchemaRegistryException.UNKNOWN;
    for (int attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        pause(attempt - 1, method, path);
      }
      int index = (first + attempt) % urls.size();
      URI base = urls.get(index);
      try {
        HttpResponse<byte[]> response =
            http.send(
                request(base, method, path, payload), HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          preferred = index;
          return parse(response.body(), base, method, path);
        }
        ErrorBody error = errorBody(response.body(), status);
        if (status < 500) {
          preferred = index;
          throw clientError(base, method, path, status, error);
        }
        lastStatus = status;
        lastCause = null;
        lastFailure = base + ": HTTP " + status + " " + error.describe();
      } catch (IOException e) {
        lastStatus = SchemaRegistryException.UNKNOWN;
        lastCause = e;
        lastFailure = base + ": " + describe(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException(
            "Interrupted while calling the schema registry at " + base,
            SchemaRegistryException.UNKNOWN,
            e);
      }
      LOG.debug("{} {} attempt {}/{} failed: {}", method, path, attempt + 1, attempts, lastFailure);
    }
    throw new RegistryUnavailableException(
        "Schema registry unreachable at "
            + (urls.size() == 1 ? urls.get(0) : urls)
            + " after "
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + " (connect timeout "
            + config.connectTimeout().toMillis()
            + " ms, request timeout "
            + config.requestTimeout().toMillis()
            + " ms) for "
            + method
            + " "
            + path
            + "; last failure: "
            + lastFailure,
        lastStatus,
        lastCause);
  }

  private HttpRequest request(URI base, String method, String path, byte[] payload) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(config.requestTimeout())
            .header("Accept", ACCEPT)
            .method(
                method,
                payload == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(payload));
    if (payload != null) {
      request.header("Content-Type", CONTENT_TYPE);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request.build();
  }

  private void pause(int retry, String method, String path) {
    long millis = backoff.delayMillis(retry);
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException(
          "Interrupted while waiting to retry " + method + " " + path,
          SchemaRegistryException.UNKNOWN,
          e);
    }
  }

  /** The registry's error answer: {@code {"error_code":…, "message":…}}, or what we could read. */
  private record ErrorBody(int code, String message) {
    String describe() {
      return code == SchemaRegistryException.UNKNOWN ? message : code + " " + message;
    }
  }

  private ErrorBody errorBody(byte[] body, int status) {
    try {
      JsonNode node = json.readTree(body);
      if (node != null && node.isObject()) {
        return new ErrorBody(
            node.path("error_code").asInt(status), node.path("message").asText("HTTP " + status));
      }
    } catch (IOException e) {
      // Not JSON (a proxy's HTML page, say): fall through.
    }
    return new ErrorBody(SchemaRegistryException.UNKNOWN, "(no registry error body)");
  }

  private static SchemaRegistryException clientError(
      URI base, String method, String path, int status, ErrorBody error) {
    String message =
        method + " " + base + path + " failed: HTTP " + status + " " + error.describe();
    int code = error.code();
    if (status == 401 || status == 403) {
      return new RegistryAuthenticationException(
          "Schema registry at " + base + " refused the credentials (HTTP " + status + ")",
          status,
          code);
    }
    if (status == 409) {
      return new IncompatibleSchemaException(message, status, code, List.of(error.message()));
    }
    switch (code) {
      case 40401:
        return new SubjectNotFoundException(message, status, code);
      case 40402:
        return new VersionNotFoundException(message, status, code);
      case 40403:
        return new SchemaNotFoundException(message, status, code);
      case 42201:
        return new InvalidSchemaException(message, status, code);
      default:
        return new SchemaRegistryException(message, status, code, null);
    }
  }

  private JsonNode parse(byte[] body, URI base, String method, String path) {
    try {
      JsonNode node = json.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new IOException("empty body");
      }
      return node;
    } catch (IOException e) {
      throw new SchemaRegistryException(
          method + " " + base + path + " answered with a body that is not JSON: " + e.getMessage(),
          200,
          SchemaRegistryException.UNKNOWN,
          e);
    }
  }

  private byte[] writeJson(JsonNode body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("Could not write JSON", e);
    }
  }

  private static String describe(IOException e) {
    String type = e.getClass().getSimpleName();
    return e.getMessage() == null ? type : type + ": " + e.getMessage();
  }

  /** Stops the HTTP client's threads; on Java 21+ also closes its connections. */
  @Override
  public void close() {
    // HttpClient is AutoCloseable from Java 21 on; on 17 its selector thread ends once the client
    // is unreachable, and our executor is all that is left to stop.
    Object client = http;
    if (client instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debug("Closing the HTTP client failed", e);
      }
    }
    executor.shutdownNow();
  }
}
