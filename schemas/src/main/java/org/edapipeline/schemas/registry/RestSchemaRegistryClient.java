package org.edapipeline.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * {@link SchemaRegistryClient} over HTTP ({@code java.net.http}) with caches.
 *
 * <p>Cached, because they never change: schemas by id, and ids by (subject, schema) after a
 * register or lookup. The caches grow with the number of schemas in use, which is small; versions,
 * subjects and configs are always fetched. Schemas from the cache are the same instances every
 * time, which lets Avro's own per-schema caches work.
 *
 * <pre>{@code
 * try (SchemaRegistryClient client = new RestSchemaRegistryClient(
 *     SchemaRegistryClientConfig.builder("http://registry:8081").build())) {
 *   int id = client.register("orders.events-value", OrderPlaced.getClassSchema());
 * }
 * }</pre>
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaRegistryClientConfig config;
  private final RegistryHttpTransport transport;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

  /** A client for these settings; it owns an HTTP client until {@link #close()}. */
  public RestSchemaRegistryClient(SchemaRegistryClientConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.transport = new RegistryHttpTransport(config, JSON);
  }

  @Override
  public int register(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    if (cached != null) {
      return cached;
    }
    JsonNode answer =
        transport.send("POST", subjectPath(subject) + "/versions", schemaBody(schema));
    int id = requireInt(answer, "id");
    remember(subject, schema, id);
    return id;
  }

  @Override
  public Schema getById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = transport.send("GET", "/schemas/ids/" + id, null);
    Schema schema = parse(answer, "/schemas/ids/" + id);
    Schema previous = schemasById.putIfAbsent(id, schema);
    return previous != null ? previous : schema;
  }

  @Override
  public SchemaMetadata lookup(String subject, Schema schema) {
    JsonNode answer = transport.send("POST", subjectPath(subject), schemaBody(schema));
    SchemaMetadata metadata = metadata(subject, answer);
    remember(subject, schema, metadata.id());
    return metadata;
  }

  @Override
  public SchemaMetadata latest(String subject) {
    return metadata(
        subject, transport.send("GET", subjectPath(subject) + "/versions/latest", null));
  }

  @Override
  public SchemaMetadata version(String subject, int version) {
    if (version < 1) {
      throw new IllegalArgumentException("Versions start at 1: " + version);
    }
    return metadata(
        subject, transport.send("GET", subjectPath(subject) + "/versions/" + version, null));
  }

  @Override
  public List<Integer> versions(String subject) {
    List<Integer> versions = new ArrayList<>();
    transport
        .send("GET", subjectPath(subject) + "/versions", null)
        .forEach(v -> versions.add(v.asInt()));
    return versions;
  }

  @Override
  public List<String> subjects() {
    List<String> subjects = new ArrayList<>();
    transport.send("GET", "/subjects", null).forEach(s -> subjects.add(s.asText()));
    return subjects;
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, Schema schema) {
    JsonNode answer =
        transport.send(
            "POST",
            "/compatibility" + subjectPath(subject) + "/versions/latest?verbose=true",
            schemaBody(schema));
    List<String> messages = new ArrayList<>();
    answer.path("messages").forEach(m -> messages.add(m.asText()));
    return new CompatibilityResult(answer.path("is_compatible").asBoolean(false), messages);
  }

  @Override
  public CompatibilityLevel getCompatibility() {
    return level(transport.send("GET", "/config", null));
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    try {
      return level(
          transport.send("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null));
    } catch (SubjectNotFoundException e) {
      return getCompatibility(); // older registries: no subject-level setting
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == 40408) { // subject-level compatibility not configured
        return getCompatibility();
      }
      throw e;
    }
  }

  @Override
  public void setCompatibility(CompatibilityLevel level) {
    transport.send("PUT", "/config", levelBody(level));
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    transport.send("PUT", "/config/" + encode(subject), levelBody(level));
  }

  @Override
  public List<Integer> deleteSubject(String subject) {
    List<Integer> deleted = new ArrayList<>();
    transport.send("DELETE", subjectPath(subject), null).forEach(v -> deleted.add(v.asInt()));
    idsBySubject.remove(subject);
    return deleted;
  }

  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "RestSchemaRegistryClient" + config;
  }

  private Integer cachedId(String subject, Schema schema) {
    Map<Schema, Integer> ids = idsBySubject.get(subject);
    return ids == null ? null : ids.get(schema);
  }

  private void remember(String subject, Schema schema, int id) {
    idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
    schemasById.putIfAbsent(id, schema);
  }

  private SchemaMetadata metadata(String subject, JsonNode answer) {
    int id = requireInt(answer, "id");
    Schema schema = schemasById.get(id);
    if (schema == null) {
      schema = parse(answer, "subject " + subject);
      Schema previous = schemasById.putIfAbsent(id, schema);
      schema = previous != null ? previous : schema;
    }
    return new SchemaMetadata(
        answer.path("subject").asText(subject), id, requireInt(answer, "version"), schema);
  }

  private static Schema parse(JsonNode answer, String source) {
    String type = answer.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new InvalidSchemaException(
          "Schema of " + source + " is " + type + ", not AVRO",
          200,
          SchemaRegistryException.UNKNOWN);
    }
    JsonNode text = answer.get("schema");
    if (text == null || !text.isTextual()) {
      throw new SchemaRegistryException(
          "Answer for " + source + " has no schema", 200, SchemaRegistryException.UNKNOWN, null);
    }
    try {
      return new Schema.Parser().parse(text.asText());
    } catch (AvroRuntimeException e) {
      throw new InvalidSchemaException(
          "Registry returned an unparsable schema for " + source + ": " + e.getMessage(),
          200,
          SchemaRegistryException.UNKNOWN);
    }
  }

  private static int requireInt(JsonNode answer, String field) {
    JsonNode value = answer.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw new SchemaRegistryException(
          "Registry answer has no integer \"" + field + "\"",
          200,
          SchemaRegistryException.UNKNOWN,
          null);
    }
    return value.asInt();
  }

  private static CompatibilityLevel level(JsonNode answer) {
    // Confluent answers GET with "compatibilityLevel", PUT with "compatibility".
    JsonNode value =
        answer.has("compatibilityLevel")
            ? answer.get("compatibilityLevel")
            : answer.get("compatibility");
    if (value == null) {
      throw new SchemaRegistryException(
          "Registry answer has no compatibility level", 200, SchemaRegistryException.UNKNOWN, null);
    }
    return CompatibilityLevel.valueOf(value.asText().toUpperCase(Locale.ROOT));
  }

  private static ObjectNode schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString());
  }

  private static ObjectNode levelBody(CompatibilityLevel level) {
    return JSON.createObjectNode().put("compatibility", level.name());
  }

  private static String subjectPath(String subject) {
    return "/subjects/" + encode(subject);
  }

  /** Percent-encodes a path segment (URLEncoder is for forms: it turns spaces into '+'). */
  static String encode(String segment) {
    Objects.requireNonNull(segment, "subject");
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
