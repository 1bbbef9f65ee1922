package org.edapipeline.embedded.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent Schema Registry REST subset, on the JDK's HTTP server. Routes, parses JSON bodies,
 * checks basic auth, and turns {@link RegistryError}s into Confluent's error bodies ({@code
 * {"error_code":40401,"message":"…"}}); the rules live in {@link SchemaStore}.
 */
final class RegistryHttpHandler implements HttpHandler {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Schemas are small; anything larger is a client bug or abuse. */
  private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

  private final SchemaStore store;

  /** The expected {@code Authorization} header, or null when auth is off. */
  private final byte[] expectedAuthorization;

  RegistryHttpHandler(SchemaStore store, String user, String password) {
    this.store = store;
    this.expectedAuthorization =
        user == null
            ? null
            : ("Basic "
                    + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
  }

  /** A response: status and JSON body. */
  private record Response(int status, JsonNode body) {
    static Response ok(JsonNode body) {
      return new Response(200, body);
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      Response response;
      try {
        authenticate(exchange);
        response = route(exchange);
      } catch (RegistryError e) {
        response = error(e.status(), e.errorCode(), e.getMessage());
        if (e.status() == 401) {
          exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"SchemaRegistry\"");
        }
        if (e.status() >= 500) {
          LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), path(exchange), e.getMessage());
        }
      } catch (RuntimeException e) {
        LOG.error("{} {} failed", exchange.getRequestMethod(), path(exchange), e);
        response = error(500, 50001, "Error in the backend data store: " + e.getMessage());
      }
      send(exchange, response);
    } finally {
      exchange.close();
    }
  }

  private void authenticate(HttpExchange exchange) {
    if (expectedAuthorization == null) {
      return;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expectedAuthorization, given)) {
      throw RegistryError.unauthorized();
    }
  }

  private Response route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    List<String> p = segments(exchange);
    Map<String, String> query = query(exchange);
    int n = p.size();
    if (n == 0) {
      return get(method, () -> JSON.createObjectNode());
    }
    switch (p.get(0)) {
      case "schemas":
        if (n == 2 && p.get(1).equals("types")) {
          return get(method, () -> JSON.createArrayNode().add("AVRO"));
        }
        if (n >= 3 && n <= 4 && p.get(1).equals("ids") && (n == 3 || p.get(3).equals("schema"))) {
          int id = parseId(p.get(2));
          if (n == 4) {
            return get(method, () -> rawSchema(store.schemaById(id).canonical()));
          }
          return get(
              method,
              () -> JSON.createObjectNode().put("schema", store.schemaById(id).canonical()));
        }
        break;
      case "subjects":
        return subjects(exchange, method, p, query);
      case "compatibility":
        if ((n == 4 || n == 5) && p.get(1).equals("subjects") && p.get(3).equals("versions")) {
          requireMethod(method, "POST");
          String schema = schemaOf(exchange);
          List<String> messages =
              store.testCompatibility(p.get(2), schema, n == 5 ? p.get(4) : null);
          ObjectNode body = JSON.createObjectNode().put("is_compatible", messages.isEmpty());
          if (Boolean.parseBoolean(query.get("verbose"))) {
            ArrayNode array = body.putArray("messages");
            messages.forEach(array::add);
          }
          return Response.ok(body);
        }
        break;
      case "config":
        return config(exchange, method, p, query);
      default:
        break;
    }
    throw RegistryError.notFound(path(exchange));
  }

  private Response subjects(
      HttpExchange exchange, String method, List<String> p, Map<String, String> query)
      throws IOException {
    int n = p.size();
    if (n == 1) {
      return get(
          method,
          () -> {
            ArrayNode array = JSON.createArrayNode();
            store.subjects().forEach(array::add);
            return array;
          });
    }
    String subject = p.get(1);
    if (n == 2) {
      switch (method) {
        case "POST":
          SchemaStore.Version found = store.lookup(subject, schemaOf(exchange));
          return Response.ok(versionBody(found));
        case "DELETE":
          ArrayNode deleted = JSON.createArrayNode();
          store
              .deleteSubject(subject, Boolean.parseBoolean(query.get("permanent")))
              .forEach(deleted::add);
          return Response.ok(deleted);
        default:
          throw RegistryError.methodNotAllowed(method);
      }
    }
    if (!p.get(2).equals("versions")) {
      throw RegistryError.notFound(path(exchange));
    }
    if (n == 3) {
      switch (method) {
        case "GET":
          ArrayNode versions = JSON.createArrayNode();
          store.versions(subject).forEach(versions::add);
          return Response.ok(versions);
        case "POST":
          int id = store.register(subject, schemaOf(exchange));
          return Response.ok(JSON.createObjectNode().put("id", id));
        default:
          throw RegistryError.methodNotAllowed(method);
      }
    }
    if (n == 4) {
      return get(method, () -> versionBody(store.version(subject, p.get(3))));
    }
    if (n == 5 && p.get(4).equals("schema")) {
      return get(method, () -> rawSchema(store.version(subject, p.get(3)).schema().canonical()));
    }
    throw RegistryError.notFound(path(exchange));
  }

  private Response config(
      HttpExchange exchange, String method, List<String> p, Map<String, String> query)
      throws IOException {
    if (p.size() == 1) {
      switch (method) {
        case "GET":
          return Response.ok(level("compatibilityLevel", store.globalLevel()));
        case "PUT":
          CompatibilityLevel level = levelOf(exchange);
          store.setGlobalLevel(level);
          return Response.ok(level("compatibility", level));
        default:
          throw RegistryError.methodNotAllowed(method);
      }
    }
    if (p.size() != 2) {
      throw RegistryError.notFound(path(exchange));
    }
    String subject = p.get(1);
    switch (method) {
      case "GET":
        CompatibilityLevel configured = store.subjectLevel(subject).orElse(null);
        if (configured == null) {
          if (!Boolean.parseBoolean(query.get("defaultToGlobal"))) {
            throw RegistryError.subjectLevelCompatibilityNotConfigured(subject);
          }
          configured = store.globalLevel();
        }
        return Response.ok(level("compatibilityLevel", configured));
      case "PUT":
        CompatibilityLevel level = levelOf(exchange);
        store.setSubjectLevel(subject, level);
        return Response.ok(level("compatibility", level));
      case "DELETE":
        return Response.ok(level("compatibilityLevel", store.deleteSubjectLevel(subject)));
      default:
        throw RegistryError.methodNotAllowed(method);
    }
  }

  private interface Body {
    JsonNode get();
  }

  private static Response get(String method, Body body) {
    requireMethod(method, "GET");
    return Response.ok(body.get());
  }

  private static void requireMethod(String method, String expected) {
    if (!expected.equals(method)) {
      throw RegistryError.methodNotAllowed(method);
    }
  }

  private static ObjectNode versionBody(SchemaStore.Version version) {
    return JSON.createObjectNode()
        .put("subject", version.subject())
        .put("version", version.version())
        .put("id", version.schema().id())
        .put("schema", version.schema().canonical());
  }

  private static JsonNode rawSchema(String canonical) {
    try {
      return JSON.readTree(canonical);
    } catch (IOException e) {
      throw new IllegalStateException("Stored schema is not JSON", e);
    }
  }

  private static ObjectNode level(String field, CompatibilityLevel level) {
    return JSON.createObjectNode().put(field, level.name());
  }

  private static int parseId(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw RegistryError.schemaNotFound("Schema " + text + " not found");
    }
  }

  /** The {@code schema} field of a request body; rejects other schema types and references. */
  private static String schemaOf(HttpExchange exchange) throws IOException {
    JsonNode body = body(exchange);
    String type = body.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw RegistryError.unprocessable("Invalid schema type " + type + "; only AVRO is supported");
    }
    if (body.path("references").size() > 0) {
      throw RegistryError.invalidSchema("schema references are not supported");
    }
    JsonNode schema = body.get("schema");
    if (schema == null || !schema.isTextual()) {
      throw RegistryError.invalidSchema("the request has no \"schema\" string");
    }
    return schema.asText();
  }

  private static CompatibilityLevel levelOf(HttpExchange exchange) throws IOException {
    String text = body(exchange).path("compatibility").asText(null);
    try {
      return CompatibilityLevel.parse(text);
    } catch (IllegalArgumentException e) {
      throw RegistryError.invalidCompatibilityLevel(String.valueOf(text));
    }
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw RegistryError.badRequest("Request body larger than " + MAX_BODY_BYTES + " bytes");
      }
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw RegistryError.badRequest("The request body must be a JSON object");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw RegistryError.badRequest("Malformed JSON: " + e.getOriginalMessage());
    }
  }

  private static Response error(int status, int code, String message) {
    return new Response(
        status, JSON.createObjectNode().put("error_code", code).put("message", message));
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(response.body());
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.sendResponseHeaders(response.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String path(HttpExchange exchange) {
    return exchange.getRequestURI().getRawPath();
  }

  /** Path segments, each percent-decoded (a subject may contain an encoded {@code /}). */
  private static List<String> segments(HttpExchange exchange) {
    List<String> segments = new ArrayList<>();
    for (String raw : path(exchange).split("/")) {
      if (!raw.isEmpty()) {
        segments.add(decode(raw));
      }
    }
    return segments;
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> params = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        } else if (!pair.isEmpty()) {
          params.put(decode(pair), "");
        }
      }
    }
    return params;
  }

  private static String decode(String text) {
    // URLDecoder turns '+' into a space; in a path '+' is literal, so protect it first.
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
