package org.edapipeline.embedded.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

/** A raw HTTP caller for the registry's REST contract (the typed client lives in schemas). */
final class RegistryHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** A response: status, content type and parsed body. */
  record Answer(int status, String contentType, JsonNode body) {
    int errorCode() {
      return body.path("error_code").asInt(-1);
    }
  }

  private final String url;
  private final String authorization;

  RegistryHttp(String url) {
    this(url, null);
  }

  private RegistryHttp(String url, String authorization) {
    this.url = url;
    this.authorization = authorization;
  }

  RegistryHttp withBasicAuth(String user, String password) {
    return new RegistryHttp(
        url, "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes()));
  }

  Answer get(String path) {
    return send("GET", path, null);
  }

  Answer delete(String path) {
    return send("DELETE", path, null);
  }

  Answer post(String path, String json) {
    return send("POST", path, json);
  }

  Answer put(String path, String json) {
    return send("PUT", path, json);
  }

  /** A {@code {"schema": "..."}} body for this schema text. */
  static String schemaBody(String schema) {
    return JSON.createObjectNode().put("schema", schema).toString();
  }

  private Answer send(String method, String path, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/vnd.schemaregistry.v1+json");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          JSON.readTree(response.body()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
