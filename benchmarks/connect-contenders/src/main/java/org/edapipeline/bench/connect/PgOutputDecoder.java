package org.edapipeline.bench.connect;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Decodes the messages of PostgreSQL's {@code pgoutput} plugin, protocol version 1, as far as an
 * outbox needs: {@code Relation} (remembered per relation id), {@code Insert} into the outbox table
 * (returned as an {@link OutboxInsert}), {@code Commit} (its end LSN is what may be confirmed).
 * Every other message ({@code Begin}, {@code Delete}, {@code Update}, {@code Truncate}, {@code
 * Type}, {@code Origin}, logical messages) is skipped.
 *
 * <p>Protocol v1 sends every column as text, so the {@code bytea} payload arrives in PostgreSQL's
 * hex output format ({@code \x0a1b…}) and is decoded back to the bytes the service wrote.
 */
final class PgOutputDecoder {

  /** What one replication message meant to the reader. */
  sealed interface Decoded permits Skip, Insert, Commit {}

  /** Nothing to publish. */
  record Skip() implements Decoded {}

  /** An outbox row to publish. */
  record Insert(OutboxInsert row) implements Decoded {}

  /** A transaction's end: everything before {@code endLsn} may be confirmed once published. */
  record Commit(long endLsn) implements Decoded {}

  private static final Skip SKIP = new Skip();
  private static final HexFormat HEX = HexFormat.of();

  private final String schema;
  private final String table;
  private final Map<Integer, Columns> relations = new HashMap<>();

  /**
   * @param schema the outbox table's schema, e.g. {@code public}
   * @param table the outbox table's name, e.g. {@code outbox}
   */
  PgOutputDecoder(String schema, String table) {
    this.schema = schema;
    this.table = table;
  }

  Decoded decode(ByteBuffer message) {
    byte type = message.get();
    return switch (type) {
      case 'R' -> relation(message);
      case 'I' -> insert(message);
      case 'C' -> commit(message);
      default -> SKIP; // B(egin), D(elete), U(pdate), T(runcate), Y(type), O(rigin), M(essage)
    };
  }

  private Decoded relation(ByteBuffer message) {
    int relationId = message.getInt();
    String namespace = cString(message);
    String name = cString(message);
    message.get(); // replica identity
    int count = message.getShort();
    String[] names = new String[count];
    for (int i = 0; i < count; i++) {
      message.get(); // flags (part of the key)
      names[i] = cString(message);
      message.getInt(); // type oid
      message.getInt(); // type modifier
    }
    if (schema.equals(namespace) && table.equals(name)) {
      relations.put(relationId, new Columns(names));
    } else {
      relations.remove(relationId);
    }
    return SKIP;
  }

  private Decoded insert(ByteBuffer message) {
    int relationId = message.getInt();
    Columns columns = relations.get(relationId);
    if (columns == null) {
      return SKIP; // another table of the publication
    }
    message.get(); // 'N': a new tuple follows
    int count = message.getShort();
    String id = null;
    String aggregateType = null;
    String aggregateId = null;
    String eventType = null;
    byte[] payload = null;
    String correlationId = null;
    String causationId = null;
    String traceparent = null;
    for (int i = 0; i < count; i++) {
      byte kind = message.get();
      if (kind != 't') {
        continue; // 'n' (NULL) or 'u' (unchanged TOAST, never in an insert)
      }
      int length = message.getInt();
      int start = message.position();
      String column = i < columns.names.length ? columns.names[i] : "";
      switch (column) {
        case "payload" -> payload = hexBytea(message, start, length);
        case "id" -> id = text(message, start, length);
        case "aggregatetype" -> aggregateType = text(message, start, length);
        case "aggregateid" -> aggregateId = text(message, start, length);
        case "type" -> eventType = text(message, start, length);
        case "correlation_id" -> correlationId = text(message, start, length);
        case "causation_id" -> causationId = text(message, start, length);
        case "traceparent" -> traceparent = text(message, start, length);
        default -> {}
      }
      message.position(start + length);
    }
    return new Insert(
        new OutboxInsert(
            id,
            aggregateType,
            aggregateId,
            eventType,
            payload,
            correlationId,
            causationId,
            traceparent));
  }

  private static Decoded commit(ByteBuffer message) {
    message.get(); // flags
    message.getLong(); // commit LSN
    return new Commit(message.getLong()); // end LSN of the transaction
  }

  private static String text(ByteBuffer message, int start, int length) {
    if (message.hasArray()) {
      return new String(
          message.array(), message.arrayOffset() + start, length, StandardCharsets.UTF_8);
    }
    byte[] bytes = new byte[length];
    message.get(start, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** {@code bytea} in hex output format: {@code \x} then two hex digits per byte. */
  private static byte[] hexBytea(ByteBuffer message, int start, int length) {
    if (length < 2 || message.get(start) != '\\' || message.get(start + 1) != 'x') {
      throw new IllegalStateException(
          "the outbox payload is not in bytea hex format (bytea_output=hex)");
    }
    byte[] bytes = new byte[(length - 2) / 2];
    for (int i = 0, at = start + 2; i < bytes.length; i++, at += 2) {
      bytes[i] =
          (byte) ((HEX.fromHexDigit(message.get(at)) << 4) | HEX.fromHexDigit(message.get(at + 1)));
    }
    return bytes;
  }

  private static String cString(ByteBuffer message) {
    int start = message.position();
    int end = start;
    while (message.get(end) != 0) {
      end++;
    }
    String value = text(message, start, end - start);
    message.position(end + 1);
    return value;
  }

  private record Columns(String[] names) {}
}
