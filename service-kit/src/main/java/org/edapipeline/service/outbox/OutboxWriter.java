package org.edapipeline.service.outbox;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireSerializer;

/**
 * Writes events to the transactional outbox (design guide, Step 3) inside the caller's own database
 * transaction, so the event exists if and only if the caller's state change commits.
 *
 * <p>For each event it serializes the record in Confluent's wire format through the schema registry
 * (subject as the topic catalogue names it for {@code <aggregateType>.events}), inserts one {@code
 * outbox} row and deletes it again in the same transaction. The insert stays in the WAL, where the
 * CDC outbox source reads it (the publication publishes inserts only), and the table stays empty:
 * no purge job, no bloat.
 *
 * <p><b>Consequence:</b> the CDC source's replication slot must exist before the first event is
 * written, or those events are never seen (the rows are gone; only a slot created earlier keeps
 * their WAL). The CDC service creates its slot when it first starts: start it once before the
 * services write, and never drop the slot while services run.
 *
 * <p>The writer never commits, rolls back, or opens a transaction, and it refuses a connection in
 * auto-commit mode (where insert and delete would each commit on their own). Instances are
 * immutable and thread-safe; connections are not, as usual in JDBC.
 *
 * <pre>{@code
 * OutboxWriter outbox = OutboxWriter.builder(registryClient).build();
 * try (Connection c = dataSource.getConnection()) {
 *   c.setAutoCommit(false);
 *   updateOrder(c, order);               // the service's own state change
 *   outbox.write(c, orderPlaced);        // the event, same transaction
 *   c.commit();                          // both or neither
 * }
 * }</pre>
 */
public final class OutboxWriter {

  /** The table created by {@code db/edapipeline/V1__outbox.sql}. */
  public static final String DEFAULT_TABLE = "outbox";

  private static final Pattern TABLE_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

  private final AvroWireSerializer<SpecificRecord> serializer;
  private final String insertSql;
  private final String deleteSql;

  private OutboxWriter(Builder builder) {
    this.serializer =
        AvroWireSerializer.builder(builder.client)
            .subjectNameStrategy(new CatalogueSubjectNameStrategy())
            .autoRegister(builder.autoRegister)
            .build();
    this.insertSql =
        "INSERT INTO "
            + builder.table
            + " (id, aggregatetype, aggregateid, type, payload, correlation_id, causation_id,"
            + " traceparent, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    this.deleteSql = "DELETE FROM " + builder.table + " WHERE id = ANY (?)";
  }

  /**
   * A builder writing to {@value #DEFAULT_TABLE} with schema auto-registration on.
   *
   * @param client the registry client; shared, not closed by the writer
   */
  public static Builder builder(SchemaRegistryClient client) {
    return new Builder(client);
  }

  /**
   * Adds one event to the caller's open transaction.
   *
   * @param connection a connection with auto-commit off, inside the caller's transaction
   * @param event a generated event class with {@code metadata} ({@link EventMetadata}), carried by
   *     the outbox topic of {@code metadata.aggregateType}
   * @throws IllegalStateException if the connection is in auto-commit mode
   * @throws IllegalArgumentException if the event has no metadata, or its aggregate type has no
   *     outbox topic, or that topic does not carry the event's type
   * @throws org.edapipeline.schemas.serde.WireFormatException if serialization or the registry
   *     fails ({@code category()} says whether a retry may help)
   * @throws SQLException if the insert or delete fails; the caller rolls back
   */
  public void write(Connection connection, SpecificRecord event) throws SQLException {
    writeAll(connection, List.of(event));
  }

  /**
   * Adds several events to the caller's open transaction, in order, with one batched insert and one
   * delete. Validates and serializes all of them before touching the database, so an invalid event
   * leaves the transaction as it was.
   *
   * @see #write(Connection, SpecificRecord)
   */
  public void writeAll(Connection connection, List<? extends SpecificRecord> events)
      throws SQLException {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(events, "events");
    if (connection.getAutoCommit()) {
      throw new IllegalStateException(
          "OutboxWriter needs the caller's transaction, but the connection is in auto-commit mode:"
              + " call connection.setAutoCommit(false), write state and events, then commit");
    }
    if (events.isEmpty()) {
      return;
    }
    List<Row> rows = new ArrayList<>(events.size());
    for (SpecificRecord event : events) {
      rows.add(toRow(event));
    }
    try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
      for (Row row : rows) {
        bind(insert, row);
        if (rows.size() == 1) {
          insert.executeUpdate();
        } else {
          insert.addBatch();
        }
      }
      if (rows.size() > 1) {
        insert.executeBatch();
      }
    }
    try (PreparedStatement delete = connection.prepareStatement(deleteSql)) {
      Array ids = connection.createArrayOf("uuid", rows.stream().map(Row::id).toArray());
      try {
        delete.setArray(1, ids);
        delete.executeUpdate();
      } finally {
        ids.free();
      }
    }
  }

  private Row toRow(SpecificRecord event) {
    Objects.requireNonNull(event, "event");
    EventMetadata metadata = metadataOf(event);
    Topic<String, SpecificRecord> topic;
    try {
      topic = Topics.forAggregateType(metadata.getAggregateType());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          event.getSchema().getFullName() + " " + metadata.getEventId() + ": " + e.getMessage(), e);
    }
    if (!topic.carries(event.getClass())) {
      throw new IllegalArgumentException(
          topic.name()
              + " does not carry "
              + event.getClass().getName()
              + " (aggregate type '"
              + metadata.getAggregateType()
              + "')");
    }
    byte[] payload = serializer.serialize(topic.name(), event);
    return new Row(metadata, payload);
  }

  private static EventMetadata metadataOf(SpecificRecord event) {
    Schema.Field field = event.getSchema().getField("metadata");
    Object metadata = field == null ? null : event.get(field.pos());
    if (!(metadata instanceof EventMetadata eventMetadata)) {
      throw new IllegalArgumentException(
          event.getSchema().getFullName() + " has no metadata: only events can be written");
    }
    return eventMetadata;
  }

  private static void bind(PreparedStatement insert, Row row) throws SQLException {
    EventMetadata metadata = row.metadata();
    insert.setObject(1, row.id());
    insert.setString(2, metadata.getAggregateType());
    insert.setString(3, metadata.getAggregateId());
    insert.setString(4, metadata.getEventType());
    insert.setBytes(5, row.payload());
    insert.setString(6, metadata.getCorrelationId());
    insert.setString(7, metadata.getCausationId());
    insert.setString(8, metadata.getTraceparent());
    insert.setTimestamp(9, Timestamp.from(metadata.getOccurredAt()));
  }

  private record Row(EventMetadata metadata, byte[] payload) {
    UUID id() {
      return metadata.getEventId();
    }
  }

  /** Builds an {@link OutboxWriter}. */
  public static final class Builder {
    private final SchemaRegistryClient client;
    private String table = DEFAULT_TABLE;
    private boolean autoRegister = true;

    private Builder(SchemaRegistryClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * The outbox table, optionally schema-qualified ({@code shop.outbox}); default {@value
     * #DEFAULT_TABLE}.
     */
    public Builder table(String table) {
      if (table == null || !TABLE_NAME.matcher(table).matches()) {
        throw new IllegalArgumentException("Not a plain [schema.]table name: " + table);
      }
      this.table = table;
      return this;
    }

    /**
     * Whether unknown schemas are registered (default) or must already be registered. Turn it off
     * in production, where schemas are registered by the build, not by services.
     */
    public Builder autoRegister(boolean autoRegister) {
      this.autoRegister = autoRegister;
      return this;
    }

    public OutboxWriter build() {
      return new OutboxWriter(this);
    }
  }
}
