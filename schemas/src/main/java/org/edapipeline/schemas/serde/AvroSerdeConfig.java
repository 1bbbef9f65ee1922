package org.edapipeline.schemas.serde;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration keys of {@link AvroWireSerializer} and {@link AvroWireDeserializer} when Kafka
 * creates them from class names. They are Confluent's keys, so existing configurations carry over;
 * the registry client's keys are in {@link
 * org.edapipeline.schemas.registry.SchemaRegistryClientConfig}.
 */
public final class AvroSerdeConfig {
  /** Serializer: register unknown schemas ({@code true}, default) or only look them up. */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

  /** Serializer: subject strategy for keys; default {@link TopicNameStrategy}. */
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";

  /** Serializer: subject strategy for values; default {@link TopicNameStrategy}. */
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

  /**
   * Deserializer: {@code true} reads into the generated class named like the writer schema; {@code
   * false} (default) reads {@link org.apache.avro.generic.GenericRecord}s.
   */
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

  /** Deserializer: the generated class to read keys as, whatever the writer's name. */
  public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";

  /** Deserializer: the generated class to read values as, whatever the writer's name. */
  public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";

  private AvroSerdeConfig() {}

  static boolean bool(Map<String, ?> config, String key, boolean fallback) {
    Object value = config.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String text = value.toString().trim();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new ConfigException(key, value, "must be true or false");
  }

  static SubjectNameStrategy strategy(Map<String, ?> config, boolean isKey) {
    String key = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
    Object value = config.get(key);
    if (value == null) {
      return new TopicNameStrategy();
    }
    if (value instanceof SubjectNameStrategy s) {
      return s;
    }
    if (value instanceof Class<?> c) {
      value = c.getName();
    }
    try {
      return SubjectNameStrategy.forName(value.toString());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          key, value, "expected TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
    }
  }

  static Class<?> specificType(Map<String, ?> config, boolean isKey) {
    String key = isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE;
    Object value = config.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Class<?> c) {
      return c;
    }
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      return Class.forName(value.toString().trim(), true, loader);
    } catch (ClassNotFoundException e) {
      throw new ConfigException(key, value, "class not found");
    }
  }
}
