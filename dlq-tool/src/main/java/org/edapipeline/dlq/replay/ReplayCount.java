package org.edapipeline.dlq.replay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.edapipeline.outputs.DeadLetterHeader;
import org.edapipeline.schemas.EventHeaders;

/**
 * Reads and writes the {@link EventHeaders#REPLAY_COUNT} header: how often a record has already
 * been replayed. Absent means never; the last occurrence wins, as with Kafka's {@code lastHeader}.
 */
public final class ReplayCount {

  private ReplayCount() {}

  /**
   * The replay count in {@code headers} (a dead letter's original headers).
   *
   * @return 0 if absent; empty if present but not a non-negative decimal number (the caller refuses
   *     such a record: its history is unknown, so a loop cannot be ruled out)
   */
  public static OptionalInt of(List<DeadLetterHeader> headers) {
    for (int i = headers.size() - 1; i >= 0; i--) {
      DeadLetterHeader header = headers.get(i);
      if (EventHeaders.REPLAY_COUNT.equals(header.getKey())) {
        return parse(header.getValue());
      }
    }
    return OptionalInt.of(0);
  }

  /** The header value for {@code count}. */
  public static byte[] encode(int count) {
    return Integer.toString(count).getBytes(StandardCharsets.UTF_8);
  }

  private static OptionalInt parse(ByteBuffer value) {
    if (value == null) {
      return OptionalInt.empty();
    }
    String text = StandardCharsets.UTF_8.decode(value.duplicate()).toString().trim();
    try {
      int count = Integer.parseInt(text);
      return count < 0 ? OptionalInt.empty() : OptionalInt.of(count);
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
