package org.edapipeline.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.edapipeline.schemas.testing.TestSchemas.ORDER_V1;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.edapipeline.embedded.registry.EmbeddedSchemaRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Auth, unreachable registries and retries, over real HTTP: the embedded registry, a closed port,
 * and a tiny scripted HTTP server for faults the registry does not produce.
 */
class RegistryFailureTest {
  private static final String PASSWORD = "s3cr3t-Pa55";
  private static final Duration FAST_BACKOFF = Duration.ofMillis(5);

  private HttpServer faulty;

  @AfterEach
  void stopFaultyServer() {
    if (faulty != null) {
      faulty.stop(0);
    }
  }

  @Test
  void shouldAuthenticateWithTheRightPassword() {
    try (EmbeddedSchemaRegistry registry = securedRegistry();
        SchemaRegistryClient client = client(registry.url(), "alice", PASSWORD)) {
      assertThat(client.register("orders-value", ORDER_V1)).isPositive();
    }
  }

  @Test
  void shouldRejectAWrongPasswordWithoutRevealingIt() {
    try (EmbeddedSchemaRegistry registry = securedRegistry();
        SchemaRegistryClient client = client(registry.url(), "alice", "wrong-" + PASSWORD)) {
      assertThatThrownBy(() -> client.register("orders-value", ORDER_V1))
          .isInstanceOfSatisfying(
              RegistryAuthenticationException.class,
              e -> {
                assertThat(e.httpStatus()).isEqualTo(401);
                assertThat(e.getMessage()).contains(registry.url()).doesNotContain(PASSWORD);
              });
      assertThat(client.toString()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void shouldRejectMissingCredentials() {
    try (EmbeddedSchemaRegistry registry = securedRegistry();
        SchemaRegistryClient client =
            new RestSchemaRegistryClient(
                SchemaRegistryClientConfig.builder(registry.url()).build())) {
      assertThatThrownBy(client::subjects).isInstanceOf(RegistryAuthenticationException.class);
    }
  }

  @Test
  void shouldSendCredentialsToARegistryWithoutAuthHarmlessly() {
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().start();
        SchemaRegistryClient client = client(registry.url(), "alice", PASSWORD)) {
      assertThat(client.subjects()).isEmpty();
    }
  }

  @Test
  void shouldReportAnUnreachableRegistryByUrlAndTimeoutWithoutHanging() {
    String url = "http://127.0.0.1:" + ClosedPort.find();
    SchemaRegistryClientConfig config =
        SchemaRegistryClientConfig.builder(url)
            .connectTimeout(Duration.ofMillis(500))
            .requestTimeout(Duration.ofSeconds(1))
            .maxRetries(2)
            .retryBackoff(FAST_BACKOFF, FAST_BACKOFF)
            .build();

    try (SchemaRegistryClient client = new RestSchemaRegistryClient(config)) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () ->
              assertThatThrownBy(() -> client.getById(1))
                  .isInstanceOfSatisfying(
                      RegistryUnavailableException.class,
                      e ->
                          assertThat(e.getMessage())
                              .contains(url, "3 attempts", "connect timeout 500 ms")));
    }
  }

  @Test
  void shouldTimeOutOnARegistryThatNeverAnswers() {
    AtomicInteger calls = new AtomicInteger();
    faulty = scriptedServer(exchange -> calls.incrementAndGet()); // accepts, never answers
    SchemaRegistryClientConfig config =
        SchemaRegistryClientConfig.builder(url(faulty))
            .requestTimeout(Duration.ofMillis(300))
            .maxRetries(1)
            .retryBackoff(FAST_BACKOFF, FAST_BACKOFF)
            .build();

    try (SchemaRegistryClient client = new RestSchemaRegistryClient(config)) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () ->
              assertThatThrownBy(client::subjects)
                  .isInstanceOf(RegistryUnavailableException.class)
                  .hasMessageContaining("request timeout 300 ms"));
    }
    assertThat(calls).hasValue(2);
  }

  @Test
  void shouldRetryServerErrorsUntilTheRegistryRecovers() {
    AtomicInteger calls = new AtomicInteger();
    faulty =
        scriptedServer(
            exchange -> {
              if (calls.incrementAndGet() <= 2) {
                respond(exchange, 503, "{\"error_code\":50301,\"message\":\"warming up\"}");
              } else {
                respond(exchange, 200, "{\"schema\":" + quoted(ORDER_V1.toString()) + "}");
              }
            });

    try (SchemaRegistryClient client = retryingClient(url(faulty), 3)) {
      assertThat(client.getById(1)).isEqualTo(ORDER_V1);
    }
    assertThat(calls).hasValue(3);
  }

  @Test
  void shouldGiveUpOnServerErrorsAfterTheConfiguredRetries() {
    AtomicInteger calls = new AtomicInteger();
    faulty =
        scriptedServer(
            exchange -> {
              calls.incrementAndGet();
              respond(exchange, 500, "<html>proxy error</html>");
            });

    try (SchemaRegistryClient client = retryingClient(url(faulty), 2)) {
      assertThatThrownBy(() -> client.getById(1))
          .isInstanceOfSatisfying(
              RegistryUnavailableException.class,
              e -> {
                assertThat(e.httpStatus()).isEqualTo(500);
                assertThat(e.getMessage()).contains("HTTP 500");
              });
    }
    assertThat(calls).hasValue(3);
  }

  @Test
  void shouldNotRetryClientErrors() {
    AtomicInteger calls = new AtomicInteger();
    faulty =
        scriptedServer(
            exchange -> {
              calls.incrementAndGet();
              respond(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema 1 not found\"}");
            });

    try (SchemaRegistryClient client = retryingClient(url(faulty), 3)) {
      assertThatThrownBy(() -> client.getById(1)).isInstanceOf(SchemaNotFoundException.class);
    }
    assertThat(calls).hasValue(1);
  }

  @Test
  void shouldStopItsThreadsOnClose() {
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().start()) {
      SchemaRegistryClient client =
          new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(registry.url()).build());
      client.subjects();
      client.close();
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(Thread.getAllStackTraces().keySet())
                    .noneMatch(t -> t.getName().startsWith("schema-registry-client-")));
  }

  private static EmbeddedSchemaRegistry securedRegistry() {
    return EmbeddedSchemaRegistry.builder().basicAuth("alice", PASSWORD).start();
  }

  private static SchemaRegistryClient client(String url, String user, String password) {
    return new RestSchemaRegistryClient(
        SchemaRegistryClientConfig.builder(url).basicAuth(user, password).build());
  }

  private static SchemaRegistryClient retryingClient(String url, int retries) {
    return new RestSchemaRegistryClient(
        SchemaRegistryClientConfig.builder(url)
            .maxRetries(retries)
            .retryBackoff(FAST_BACKOFF, FAST_BACKOFF)
            .build());
  }

  private interface Script {
    void handle(HttpExchange exchange) throws IOException;
  }

  private static HttpServer scriptedServer(Script script) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", script::handle);
      server.start();
      return server;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String url(HttpServer server) {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
