package org.edapipeline.bench.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pgoutput v1 messages an outbox stream carries, built byte by byte as the protocol says. */
class PgOutputDecoderTest {

  private static final List<String> OUTBOX_COLUMNS =
      List.of(
          "id",
          "aggregatetype",
          "aggregateid",
          "type",
          "payload",
          "correlation_id",
          "causation_id",
          "traceparent",
          "occurred_at");

  private final PgOutputDecoder decoder = new PgOutputDecoder("public", "outbox");

  @Test
  void shouldDecodeAnInsertIntoTheOutboxWithNullsAndTheBinaryPayload() throws IOException {
    decoder.decode(relation(16385, "public", "outbox", OUTBOX_COLUMNS));
    byte[] payload = {0, 0, 0, 0, 7, (byte) 0xff, 0x10};

    PgOutputDecoder.Decoded decoded =
        decoder.decode(
            insert(
                16385,
                "0b7e5d7e-2f4a-4d7a-9d0c-3c1a2b3c4d5e",
                "order",
                "o-1",
                "OrderPlaced",
                "\\x" + HexFormat.of().formatHex(payload),
                "o-1",
                null,
                null,
                "2026-01-01 00:00:00+00"));

    assertThat(decoded).isInstanceOf(PgOutputDecoder.Insert.class);
    OutboxInsert row = ((PgOutputDecoder.Insert) decoded).row();
    assertThat(row.id()).isEqualTo("0b7e5d7e-2f4a-4d7a-9d0c-3c1a2b3c4d5e");
    assertThat(row.aggregateType()).isEqualTo("order");
    assertThat(row.aggregateId()).isEqualTo("o-1");
    assertThat(row.eventType()).isEqualTo("OrderPlaced");
    assertThat(row.payload()).isEqualTo(payload);
    assertThat(row.correlationId()).isEqualTo("o-1");
    assertThat(row.causationId()).isNull();
    assertThat(row.traceparent()).isNull();
    assertThat(OutboxProducerRecords.topic(row)).isEqualTo("order.events");
  }

  @Test
  void shouldSkipInsertsIntoOtherTablesAndReturnTheCommitEndLsn() throws IOException {
    decoder.decode(relation(20000, "public", "orders", List.of("id")));
    assertThat(decoder.decode(insert(20000, "x"))).isInstanceOf(PgOutputDecoder.Skip.class);
    assertThat(decoder.decode(begin())).isInstanceOf(PgOutputDecoder.Skip.class);

    PgOutputDecoder.Decoded commit = decoder.decode(commit(0x1000, 0x1040));

    assertThat(commit).isEqualTo(new PgOutputDecoder.Commit(0x1040));
  }

  private static ByteBuffer relation(int id, String schema, String table, List<String> columns)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte('R');
    out.writeInt(id);
    cString(out, schema);
    cString(out, table);
    out.writeByte('d');
    out.writeShort(columns.size());
    for (String column : columns) {
      out.writeByte(0);
      cString(out, column);
      out.writeInt(25); // text
      out.writeInt(-1);
    }
    return ByteBuffer.wrap(bytes.toByteArray());
  }

  private static ByteBuffer insert(int relation, String... values) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte('I');
    out.writeInt(relation);
    out.writeByte('N');
    out.writeShort(values.length);
    for (String value : values) {
      if (value == null) {
        out.writeByte('n');
      } else {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        out.writeByte('t');
        out.writeInt(text.length);
        out.write(text);
      }
    }
    return ByteBuffer.wrap(bytes.toByteArray());
  }

  private static ByteBuffer begin() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte('B');
    out.writeLong(0x1040);
    out.writeLong(0);
    out.writeInt(42);
    return ByteBuffer.wrap(bytes.toByteArray());
  }

  private static ByteBuffer commit(long commitLsn, long endLsn) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte('C');
    out.writeByte(0);
    out.writeLong(commitLsn);
    out.writeLong(endLsn);
    out.writeLong(0);
    return ByteBuffer.wrap(bytes.toByteArray());
  }

  private static void cString(DataOutputStream out, String value) throws IOException {
    out.write(value.getBytes(StandardCharsets.UTF_8));
    out.writeByte(0);
  }
}
