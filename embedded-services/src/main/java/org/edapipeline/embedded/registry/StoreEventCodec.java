package org.edapipeline.embedded.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Encodes {@link StoreEvent}s as the JSON key/value pairs Confluent's registry writes to its {@code
 * _schemas} topic: keys {@code {"keytype":"SCHEMA","subject":…,"version":…,"magic":1}} and {@code
 * {"keytype":"CONFIG","subject":…,"magic":0}}; a null value is a tombstone.
 */
final class StoreEventCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoreEventCodec() {}

  static String key(StoreEvent event) {
    ObjectNode key = JSON.createObjectNode();
    if (event instanceof StoreEvent.SchemaVersion v) {
      schemaKey(key, v.subject(), v.version());
    } else if (event instanceof StoreEvent.SchemaVersionErased e) {
      schemaKey(key, e.subject(), e.version());
    } else if (event instanceof StoreEvent.CompatibilityConfig c) {
      key.put("keytype", "CONFIG");
      key.put("subject", c.subject());
      key.put("magic", 0);
    }
    return key.toString();
  }

  private static void schemaKey(ObjectNode key, String subject, int version) {
    key.put("keytype", "SCHEMA");
    key.put("subject", subject);
    key.put("version", version);
    key.put("magic", 1);
  }

  /** The record value, or null for a tombstone. */
  static String value(StoreEvent event) {
    if (event instanceof StoreEvent.SchemaVersion v) {
      ObjectNode value = JSON.createObjectNode();
      value.put("subject", v.subject());
      value.put("version", v.version());
      value.put("id", v.id());
      value.put("schema", v.schema());
      value.put("deleted", v.deleted());
      return value.toString();
    }
    if (event instanceof StoreEvent.CompatibilityConfig c && c.level() != null) {
      return JSON.createObjectNode().put("compatibilityLevel", c.level().name()).toString();
    }
    return null;
  }

  /**
   * Decodes a stored record.
   *
   * @return empty for record types this registry does not use (Confluent's {@code NOOP} etc.)
   * @throws IllegalArgumentException if the record is not valid JSON of a known shape
   */
  static Optional<StoreEvent> decode(String key, String value) {
    try {
      JsonNode k = JSON.readTree(key);
      String keyType = k.path("keytype").asText();
      String subject = k.path("subject").isTextual() ? k.get("subject").asText() : null;
      switch (keyType) {
        case "SCHEMA":
          int version = k.path("version").asInt();
          if (value == null) {
            return Optional.of(new StoreEvent.SchemaVersionErased(subject, version));
          }
          JsonNode v = JSON.readTree(value);
          return Optional.of(
              new StoreEvent.SchemaVersion(
                  subject,
                  version,
                  v.path("id").asInt(),
                  v.path("schema").asText(),
                  v.path("deleted").asBoolean(false)));
        case "CONFIG":
          CompatibilityLevel level =
              value == null
                  ? null
                  : CompatibilityLevel.parse(
                      JSON.readTree(value).path("compatibilityLevel").asText());
          return Optional.of(new StoreEvent.CompatibilityConfig(subject, level));
        default:
          return Optional.empty();
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Stored record is not valid JSON: " + e.getMessage(), e);
    }
  }
}
