package org.edapipeline.bench.kafka.saga;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.edapipeline.outputs.SagaStatus;

/**
 * Compact binary serdes for {@link SagaEvent} (the repartition topic) and {@link SagaState} (the
 * state store): fields in a fixed order, nullable strings behind a presence flag. The job-side
 * equivalent is Flink's POJO serializer for the same classes.
 */
final class SagaSerdes {

  private SagaSerdes() {}

  static Serde<SagaEvent> events() {
    return Serdes.serdeFrom(
        (topic, event) -> event == null ? null : write(out -> writeEvent(out, event)),
        (topic, bytes) -> bytes == null ? null : read(bytes, SagaSerdes::readEvent));
  }

  static Serde<SagaState> states() {
    return Serdes.serdeFrom(
        (topic, state) -> state == null ? null : write(out -> writeState(out, state)),
        (topic, bytes) -> bytes == null ? null : read(bytes, SagaSerdes::readState));
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] bytes, Reader<T> reader) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      return reader.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeEvent(DataOutputStream out, SagaEvent e) throws IOException {
    out.writeUTF(e.eventId);
    out.writeByte(e.type.ordinal());
    out.writeUTF(e.orderId);
    out.writeLong(e.occurredAt);
    writeString(out, e.causationId);
    writeString(out, e.traceparent);
    writeString(out, e.reservationId);
    writeString(out, e.paymentId);
    writeString(out, e.shipmentId);
    out.writeLong(e.amountMinor);
    writeString(out, e.currency);
    writeString(out, e.reason);
    out.writeBoolean(e.transientFailure);
    out.writeInt(e.attempt);
  }

  private static SagaEvent readEvent(DataInputStream in) throws IOException {
    SagaEvent e = new SagaEvent();
    e.eventId = in.readUTF();
    e.type = SagaEventType.of(in.readByte());
    e.orderId = in.readUTF();
    e.occurredAt = in.readLong();
    e.causationId = readString(in);
    e.traceparent = readString(in);
    e.reservationId = readString(in);
    e.paymentId = readString(in);
    e.shipmentId = readString(in);
    e.amountMinor = in.readLong();
    e.currency = readString(in);
    e.reason = readString(in);
    e.transientFailure = in.readBoolean();
    e.attempt = in.readInt();
    return e;
  }

  private static void writeState(DataOutputStream out, SagaState s) throws IOException {
    out.writeUTF(s.orderId);
    out.writeByte(s.status == null ? -1 : s.status.ordinal());
    writeString(out, s.reason);
    out.writeShort(s.history.size());
    for (SagaState.Step step : s.history) {
      out.writeByte(step.status().ordinal());
      out.writeLong(step.enteredAt());
      writeString(out, step.triggeringEventId());
      writeString(out, step.reason());
    }
    out.writeLong(s.startedAt);
    out.writeLong(s.firstSeenAt);
    for (SagaEvent slot :
        new SagaEvent[] {
          s.placed,
          s.confirmed,
          s.cancelled,
          s.reserved,
          s.released,
          s.paid,
          s.refunded,
          s.dispatched,
          s.delivered
        }) {
      out.writeBoolean(slot != null);
      if (slot != null) {
        writeEvent(out, slot);
      }
    }
    for (List<SagaEvent> failures :
        List.of(s.inventoryFailures, s.paymentFailures, s.shipmentFailures)) {
      out.writeShort(failures.size());
      for (SagaEvent failure : failures) {
        writeEvent(out, failure);
      }
    }
    writeString(out, s.releaseCommandId);
    writeString(out, s.refundCommandId);
    writeString(out, s.cancelCommandId);
    out.writeLong(s.wakeUpAt);
    out.writeByte(s.wakeUpPurpose == null ? -1 : s.wakeUpPurpose.ordinal());
    writeString(out, s.wakeUpArmedBy);
  }

  private static SagaState readState(DataInputStream in) throws IOException {
    SagaStatus[] statuses = SagaStatus.values();
    SagaState s = new SagaState();
    s.orderId = in.readUTF();
    byte status = in.readByte();
    s.status = status < 0 ? null : statuses[status];
    s.reason = readString(in);
    int steps = in.readShort();
    s.history = new ArrayList<>(steps + 2);
    for (int i = 0; i < steps; i++) {
      s.history.add(
          new SagaState.Step(
              statuses[in.readByte()], in.readLong(), readString(in), readString(in)));
    }
    s.startedAt = in.readLong();
    s.firstSeenAt = in.readLong();
    s.placed = readSlot(in);
    s.confirmed = readSlot(in);
    s.cancelled = readSlot(in);
    s.reserved = readSlot(in);
    s.released = readSlot(in);
    s.paid = readSlot(in);
    s.refunded = readSlot(in);
    s.dispatched = readSlot(in);
    s.delivered = readSlot(in);
    s.inventoryFailures = readEvents(in);
    s.paymentFailures = readEvents(in);
    s.shipmentFailures = readEvents(in);
    s.releaseCommandId = readString(in);
    s.refundCommandId = readString(in);
    s.cancelCommandId = readString(in);
    s.wakeUpAt = in.readLong();
    byte purpose = in.readByte();
    s.wakeUpPurpose = purpose < 0 ? null : SagaState.WakeUp.values()[purpose];
    s.wakeUpArmedBy = readString(in);
    return s;
  }

  private static SagaEvent readSlot(DataInputStream in) throws IOException {
    return in.readBoolean() ? readEvent(in) : null;
  }

  private static List<SagaEvent> readEvents(DataInputStream in) throws IOException {
    int n = in.readShort();
    List<SagaEvent> events = new ArrayList<>(n + 1);
    for (int i = 0; i < n; i++) {
      events.add(readEvent(in));
    }
    return events;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static String readString(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
