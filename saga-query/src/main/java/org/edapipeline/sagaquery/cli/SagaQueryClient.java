package org.edapipeline.sagaquery.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.edapipeline.sagaquery.view.SagaDocument;

/** Calls the saga query API, for the {@code show} and {@code list} commands. */
public final class SagaQueryClient {

  /** A page of {@code GET /sagas}. */
  public record SagaList(int count, List<SagaDocument> sagas) {}

  /** The service answered with an error; {@link #status()} is its HTTP status. */
  public static final class ServiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ServiceException(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * @param baseUrl the service, e.g. {@code http://localhost:8089}
   * @throws IllegalArgumentException for a URL that is not http(s)
   */
  public SagaQueryClient(String baseUrl) {
    URI uri = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("--url must be an http(s) URL: " + baseUrl);
    }
    this.base = uri;
  }

  /** The saga of {@code orderId}, or empty if the service does not know it. */
  public Optional<SagaDocument> saga(String orderId) throws IOException, InterruptedException {
    HttpResponse<String> response =
        get("sagas/" + URLEncoder.encode(orderId, StandardCharsets.UTF_8).replace("+", "%20"));
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(json.readValue(ok(response), SagaDocument.class));
  }

  /** The sagas in {@code status} (all when null), most recently updated first. */
  public SagaList sagas(String status, int limit) throws IOException, InterruptedException {
    String query = "sagas?limit=" + limit;
    if (status != null) {
      query += "&status=" + URLEncoder.encode(status, StandardCharsets.UTF_8);
    }
    return json.readValue(ok(get(query)), SagaList.class);
  }

  /** The raw JSON of {@code path} (relative to the base URL). */
  public String raw(String path) throws IOException, InterruptedException {
    return ok(get(path));
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(TIMEOUT)
            .header("Accept", "application/json")
            .GET()
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private String ok(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      throw new ServiceException(
          response.statusCode(),
          "The service answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
