package org.edapipeline.bench.harness.cdc;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.edapipeline.bench.harness.Completion;
import org.edapipeline.schemas.EventHeaders;

/**
 * The latency phase's completion: the broker's append time ({@code LogAppendTime} topics) of every
 * expected row, by its {@code eventId} header; complete when all {@code expected} ids were seen.
 * Records of other rows (the throughput phase's) are ignored.
 */
final class AppendTimes implements Completion {

  private final long namespace;
  private final long expected;
  private final Map<UUID, Long> appended = new HashMap<>();

  /**
   * @param namespace the latency phase's {@link OutboxDataSet} namespace
   * @param expected how many rows it writes
   */
  AppendTimes(long namespace, long expected) {
    this.namespace = namespace;
    this.expected = expected;
  }

  @Override
  public void accept(ConsumerRecord<byte[], byte[]> record) {
    Header header = record.headers().lastHeader(EventHeaders.EVENT_ID);
    if (header == null) {
      return;
    }
    UUID id = UUID.fromString(new String(header.value(), StandardCharsets.UTF_8));
    if (id.getMostSignificantBits() == namespace) {
      appended.putIfAbsent(id, record.timestamp()); // a duplicate keeps the first append
    }
  }

  @Override
  public boolean complete() {
    return appended.size() >= expected;
  }

  @Override
  public String progress() {
    return appended.size() + "/" + expected + " latency rows";
  }

  /** Append time − commit time per row, in microseconds (both clocks are this machine's, in ms). */
  Histogram latencies(Map<UUID, Long> commits) {
    Histogram histogram = new Histogram(3);
    appended.forEach(
        (id, append) -> {
          Long commit = commits.get(id);
          if (commit == null) {
            throw new IllegalStateException("row " + id + " appended but never committed");
          }
          histogram.recordValue(Math.max(0, append - commit) * 1000);
        });
    return histogram;
  }
}
