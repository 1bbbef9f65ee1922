package org.edapipeline.bench.connect;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.converters.ByteArrayConverter;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.apache.kafka.connect.storage.StringConverter;
import org.apache.kafka.connect.transforms.DropHeaders;
import org.apache.kafka.connect.transforms.Filter;
import org.apache.kafka.connect.transforms.predicates.TopicNameMatches;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topics;

/**
 * The worker and connector configuration of {@link ConnectStandaloneContender}: Debezium's
 * PostgreSQL connector configured key by key as our CDC service configures its embedded engine
 * (cdc-outbox-source's {@code EngineDefaults}), in a Kafka Connect standalone worker whose
 * converters pass the EventRouter's output through unchanged.
 */
final class ConnectStandaloneSettings {

  /** The connector's name in the worker. */
  static final String CONNECTOR_NAME = "edapipeline-cdc-outbox";

  private ConnectStandaloneSettings() {}

  /**
   * The standalone worker: offsets in a file of the work directory, committed every second like
   * ours; key as a string, value as the payload's bytes, headers as UTF-8 strings; source producers
   * with our service's settings.
   */
  static Map<String, String> worker(String bootstrapServers, String runId, Path workDir) {
    Map<String, String> worker = new LinkedHashMap<>();
    worker.put("bootstrap.servers", bootstrapServers);
    worker.put("key.converter", StringConverter.class.getName());
    worker.put("value.converter", ByteArrayConverter.class.getName());
    worker.put("header.converter", SimpleHeaderConverter.class.getName());
    worker.put("offset.storage.file.filename", workDir.resolve("connect.offsets").toString());
    worker.put("offset.flush.interval.ms", "1000");
    worker.put("listeners", "http://127.0.0.1:0");
    // Debezium is on the classpath: no plugin.path, no reflective scan of isolated plugins.
    worker.put("plugin.discovery", "only_scan");
    ProducerSettings.of(bootstrapServers, "connect-" + runId)
        .forEach((key, value) -> worker.put("producer." + key, value));
    worker.remove("producer.bootstrap.servers");
    return worker;
  }

  /** The connector: ours, key by key, plus what Connect needs to produce our exact headers. */
  static Map<String, String> connector(
      URI database, String user, String password, String slot, String publication) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("name", CONNECTOR_NAME);
    c.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    c.put("tasks.max", "1");
    c.put("database.hostname", database.getHost());
    c.put("database.port", Integer.toString(database.getPort() < 0 ? 5432 : database.getPort()));
    c.put("database.dbname", database.getPath().replaceFirst("^/", ""));
    c.put("database.user", user);
    if (password != null) {
      c.put("database.password", password);
    }
    c.put("topic.prefix", "edapipeline");
    c.put("plugin.name", "pgoutput");
    c.put("slot.name", slot);
    c.put("publication.name", publication);
    c.put("publication.autocreate.mode", "disabled");
    c.put("table.include.list", PgOutputReader.OUTBOX_SCHEMA + "." + PgOutputReader.OUTBOX_TABLE);
    c.put("snapshot.mode", "no_data");
    c.put("binary.handling.mode", "bytes");
    c.put("message.prefix.exclude.list", ".*");
    c.put("heartbeat.interval.ms", "10000");
    c.put(
        "heartbeat.action.query",
        "SELECT pg_logical_emit_message(true, 'edapipeline.cdc.heartbeat', '')");
    c.put("retriable.restart.connector.wait.ms", "3000");
    c.put("max.batch.size", "4096");
    c.put("max.queue.size", "16384");
    c.put("tombstones.on.delete", "false");
    // Debezium's own context headers (__debezium.context.*): ours does not publish them either.
    c.put("extended.headers.enabled", "false");
    // Ours acknowledges Debezium's heartbeats without a send; here a Filter drops them before the
    // converter (their STRUCT value has no bytes), and Connect commits their offsets as it does
    // for every filtered record.
    c.put("transforms", "dropHeartbeats,outbox,dropRouterId");
    c.put("transforms.dropHeartbeats.type", Filter.class.getName());
    c.put("transforms.dropHeartbeats.predicate", "isHeartbeat");
    c.put("predicates", "isHeartbeat");
    c.put("predicates.isHeartbeat.type", TopicNameMatches.class.getName());
    c.put("predicates.isHeartbeat.pattern", "__debezium-heartbeat\\..*");
    String router = "transforms.outbox.";
    c.put(router + "type", "io.debezium.transforms.outbox.EventRouter");
    c.put(router + "route.by.field", "aggregatetype");
    c.put(router + "route.topic.replacement", Topics.OUTBOX_ROUTE_TOPIC_REPLACEMENT);
    c.put(router + "table.field.event.id", "id");
    c.put(router + "table.field.event.key", "aggregateid");
    c.put(router + "table.field.event.payload", "payload");
    // Ours reads the router's "id" header into "eventId"; in Connect the column is placed as
    // "eventId" directly and the router's own "id" header dropped, so the headers are the same.
    c.put(
        router + "table.fields.additional.placement",
        String.join(
            ",",
            "id:header:" + EventHeaders.EVENT_ID,
            "type:header:" + EventHeaders.EVENT_TYPE,
            "aggregatetype:header:" + EventHeaders.AGGREGATE_TYPE,
            "correlation_id:header:" + EventHeaders.CORRELATION_ID,
            "causation_id:header:" + EventHeaders.CAUSATION_ID,
            "traceparent:header:" + EventHeaders.TRACEPARENT));
    c.put(router + "route.tombstone.on.empty.payload", "false");
    c.put("transforms.dropRouterId.type", DropHeaders.class.getName());
    c.put("transforms.dropRouterId.headers", "id");
    return c;
  }

  /** {@code jdbc:postgresql://host:port/db} as a URI whose host, port and path can be read. */
  static URI database(String jdbcUrl) {
    String prefix = "jdbc:";
    if (!jdbcUrl.startsWith(prefix)) {
      throw new IllegalArgumentException("pg.url must be a JDBC URL, got " + jdbcUrl);
    }
    URI uri = URI.create(jdbcUrl.substring(prefix.length()));
    if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
      throw new IllegalArgumentException(
          "pg.url must be jdbc:postgresql://host:port/database, got " + jdbcUrl);
    }
    return uri;
  }
}
