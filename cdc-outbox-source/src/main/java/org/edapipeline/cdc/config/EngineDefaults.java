package org.edapipeline.cdc.config;

import static org.edapipeline.cdc.config.CdcConfig.PRODUCER_PREFIX;
import static org.edapipeline.cdc.config.CdcConfig.SOURCE_PREFIX;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnector;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.transforms.outbox.EventRouter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.edapipeline.cdc.engine.ClosingKafkaOffsetBackingStore;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topics;

/**
 * The engine, connector and producer settings the service runs with: defaults a user may change,
 * and fixed settings the guarantees depend on, which a user may not.
 */
final class EngineDefaults {

  /** Offsets go to a Kafka topic unless {@code offset.storage=file}. */
  static final String OFFSET_STORAGE_KAFKA = "kafka";

  static final String OFFSET_STORAGE_FILE = "file";

  /** Default offsets topic: internal to the CDC service, like Connect's own offsets topics. */
  static final String DEFAULT_OFFSET_TOPIC = "_edapipeline-cdc-offsets";

  /** Prefix of the logical decoding message each heartbeat writes. */
  static final String HEARTBEAT_MESSAGE_PREFIX = "edapipeline.cdc.heartbeat";

  /** Producer settings shared by the offset store (it opens its own Kafka clients). */
  private static final String[] CONNECTION_PREFIXES = {
    "bootstrap.servers", "security.", "sasl.", "ssl.", "client.dns.lookup"
  };

  private EngineDefaults() {}

  /** Connector defaults the user may override. */
  private static Map<String, String> sourceDefaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("name", "edapipeline-cdc-outbox");
    defaults.put("topic.prefix", "edapipeline");
    defaults.put("database.port", "5432");
    defaults.put("slot.name", "edapipeline_outbox");
    defaults.put("publication.name", "edapipeline_outbox");
    defaults.put("table.include.list", "public.outbox");
    // The outbox is empty (insert-then-delete): there is nothing to snapshot.
    defaults.put("snapshot.mode", "no_data");
    defaults.put("heartbeat.interval.ms", "10000");
    // pgoutput skips transactions that touch no published table, so while only other tables
    // change, the connector receives nothing and its heartbeats carry an old LSN: the slot would
    // hold back all the WAL written meanwhile. A transactional logical message per heartbeat
    // (PostgreSQL 14+, no table needed) is received, moves the LSN on, and is not published.
    defaults.put(
        "heartbeat.action.query",
        "SELECT pg_logical_emit_message(true, '" + HEARTBEAT_MESSAGE_PREFIX + "', '')");
    defaults.put("offset.flush.interval.ms", "1000");
    defaults.put("offset.flush.timeout.ms", "10000");
    defaults.put("offset.storage", OFFSET_STORAGE_KAFKA);
    defaults.put("offset.storage.topic", DEFAULT_OFFSET_TOPIC);
    defaults.put("offset.storage.partitions", "1");
    defaults.put("offset.storage.replication.factor", "-1");
    defaults.put("retriable.restart.connector.wait.ms", "3000");
    defaults.put("max.batch.size", "4096");
    defaults.put("max.queue.size", "16384");
    defaults.put("tombstones.on.delete", "false");
    return defaults;
  }

  /** Connector settings the service depends on. */
  private static Map<String, String> fixedSource() {
    Map<String, String> fixed = new LinkedHashMap<>();
    fixed.put("connector.class", PostgresConnector.class.getName());
    fixed.put("plugin.name", "pgoutput");
    // The publication exists (V1__outbox.sql), created by an admin: the role needs no CREATE.
    fixed.put("publication.autocreate.mode", "disabled");
    // The payload must reach the publisher as the bytes the service wrote.
    fixed.put("binary.handling.mode", "bytes");
    // Logical messages are not outbox events (the heartbeat's own least of all).
    fixed.put("message.prefix.exclude.list", ".*");
    fixed.put("transforms", "outbox");
    String router = "transforms.outbox.";
    fixed.put(router + "type", EventRouter.class.getName());
    fixed.put(router + "route.by.field", "aggregatetype");
    fixed.put(router + "route.topic.replacement", Topics.OUTBOX_ROUTE_TOPIC_REPLACEMENT);
    fixed.put(router + "table.field.event.id", "id");
    fixed.put(router + "table.field.event.key", "aggregateid");
    fixed.put(router + "table.field.event.payload", "payload");
    fixed.put(
        router + "table.fields.additional.placement",
        String.join(
            ",",
            "type:header:" + EventHeaders.EVENT_TYPE,
            "aggregatetype:header:" + EventHeaders.AGGREGATE_TYPE,
            "correlation_id:header:" + EventHeaders.CORRELATION_ID,
            "causation_id:header:" + EventHeaders.CAUSATION_ID,
            "traceparent:header:" + EventHeaders.TRACEPARENT));
    fixed.put(router + "route.tombstone.on.empty.payload", "false");
    return fixed;
  }

  static Map<String, String> source(Map<String, String> user, Map<String, String> producer) {
    Map<String, String> source = new TreeMap<>(sourceDefaults());
    source.putAll(user);
    fixedSource()
        .forEach(
            (key, value) -> {
              String given = user.get(key);
              if (given != null && !given.equalsIgnoreCase(value)) {
                throw new InvalidConfigException(
                    SOURCE_PREFIX + key, "is fixed to " + value + " by this service: " + given);
              }
              source.put(key, value);
            });
    user.keySet().stream()
        .filter(key -> key.startsWith("transforms.") || key.startsWith("predicates"))
        .filter(key -> !fixedSource().containsKey(key))
        .findFirst()
        .ifPresent(
            key -> {
              throw new InvalidConfigException(
                  SOURCE_PREFIX + key, "the transforms are fixed (the outbox EventRouter)");
            });
    String storage = source.get("offset.storage").toLowerCase(Locale.ROOT);
    switch (storage) {
      case OFFSET_STORAGE_KAFKA ->
          source.put("offset.storage", ClosingKafkaOffsetBackingStore.class.getName());
      case OFFSET_STORAGE_FILE ->
          source.put("offset.storage", FileOffsetBackingStore.class.getName());
      default -> {
        if (!storage.contains(".")) {
          throw new InvalidConfigException(
              CdcConfig.OFFSET_STORAGE, "kafka, file or a class name: " + storage);
        }
      }
    }
    producer.forEach(
        (key, value) -> {
          for (String prefix : CONNECTION_PREFIXES) {
            if (key.startsWith(prefix)) {
              source.putIfAbsent(key, value);
            }
          }
        });
    return Collections.unmodifiableMap(source);
  }

  static void validateSource(Map<String, String> source) {
    for (String key : new String[] {"database.hostname", "database.dbname", "database.user"}) {
      if (source.getOrDefault(key, "").isBlank()) {
        throw new InvalidConfigException(SOURCE_PREFIX + key, "required");
      }
    }
    if (source.get("offset.storage").equals(FileOffsetBackingStore.class.getName())
        && source.getOrDefault("offset.storage.file.filename", "").isBlank()) {
      throw new InvalidConfigException(CdcConfig.OFFSET_FILE, "required with offset.storage=file");
    }
    if (source.get("offset.storage").equals(ClosingKafkaOffsetBackingStore.class.getName())
        && source.getOrDefault("offset.storage.topic", "").isBlank()) {
      throw new InvalidConfigException(
          CdcConfig.OFFSET_TOPIC, "required with offset.storage=kafka");
    }
    // Debezium's own rules for its fields; none of them connects to the database.
    Configuration.from(source)
        .validate(
            PostgresConnectorConfig.ALL_FIELDS,
            (field, value, problem) -> {
              throw new InvalidConfigException(
                  SOURCE_PREFIX + field.name(),
                  problem
                      + (SecretMasker.isSecretKey(field.name()) ? "" : " (value: " + value + ")"));
            });
  }

  /** Producer defaults the user may override, tuned for throughput with small Avro payloads. */
  static Map<String, String> producer(Map<String, String> user) {
    Map<String, String> producer = new TreeMap<>();
    producer.put(ProducerConfig.CLIENT_ID_CONFIG, "edapipeline-cdc-outbox");
    producer.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    producer.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    producer.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L * 1024 * 1024));
    producer.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
    producer.putAll(user);
    Map<String, String> fixed =
        Map.of(
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            "true",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class.getName());
    fixed.forEach(
        (key, value) -> {
          String given = user.get(key);
          if (given != null
              && !given.equalsIgnoreCase(value)
              && !(key.equals("acks") && given.equals("-1"))) {
            throw new InvalidConfigException(
                PRODUCER_PREFIX + key,
                "is fixed to " + value + " (no committed row may be lost): " + given);
          }
          producer.put(key, value);
        });
    return Collections.unmodifiableMap(producer);
  }

  static void validateProducer(Map<String, String> producer) {
    if (producer.getOrDefault(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "").isBlank()) {
      throw new InvalidConfigException(CdcConfig.BOOTSTRAP_SERVERS, "required");
    }
    String inFlight = producer.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
    try {
      int value = Integer.parseInt(inFlight);
      if (value < 1 || value > 5) {
        throw new InvalidConfigException(
            PRODUCER_PREFIX + ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
            "must be 1 to 5, or the idempotent producer cannot keep each aggregate's order: "
                + inFlight);
      }
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(
          PRODUCER_PREFIX + ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
          "not an integer: " + inFlight);
    }
  }
}
