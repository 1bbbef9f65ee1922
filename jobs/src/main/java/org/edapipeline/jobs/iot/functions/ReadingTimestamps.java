package org.edapipeline.jobs.iot.functions;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.jobs.common.Sourced;

/**
 * Event time of the readings: {@code measuredAt}. A record that did not decode, or a reading
 * measured implausibly far in the future, gets {@link Long#MIN_VALUE}: it is dead-lettered later
 * and must not drag the watermark ahead (one clock set to 2100 would make every other reading
 * late).
 */
public final class ReadingTimestamps
    implements SerializableTimestampAssigner<Sourced<SensorReadingRecorded>> {
  private static final long serialVersionUID = 1L;

  private final long maxFutureSkewMillis;

  public ReadingTimestamps(Duration maxFutureSkew) {
    this.maxFutureSkewMillis = maxFutureSkew.toMillis();
  }

  /**
   * Watermarks with bounded out-of-orderness, generated per Kafka partition, and idleness so that a
   * silent partition does not hold the others back.
   */
  public static WatermarkStrategy<Sourced<SensorReadingRecorded>> watermarks(
      Duration outOfOrderness, Duration idleness, Duration maxFutureSkew) {
    return WatermarkStrategy.<Sourced<SensorReadingRecorded>>forBoundedOutOfOrderness(
            outOfOrderness)
        .withTimestampAssigner(new ReadingTimestamps(maxFutureSkew))
        .withIdleness(idleness);
  }

  /**
   * Whether a reading was measured more than {@code maxFutureSkewMillis} after it was sent (its
   * Kafka timestamp); a record without a Kafka timestamp is never judged so.
   */
  public static boolean tooFarInFuture(
      SensorReadingRecorded reading, long kafkaTimestamp, long maxFutureSkewMillis) {
    return kafkaTimestamp >= 0
        && reading.getMeasuredAt().toEpochMilli() > kafkaTimestamp + maxFutureSkewMillis;
  }

  @Override
  public long extractTimestamp(Sourced<SensorReadingRecorded> record, long kafkaTimestamp) {
    if (!record.decoded()
        || tooFarInFuture(record.event, record.origin.timestamp, maxFutureSkewMillis)) {
      return Long.MIN_VALUE;
    }
    return record.event.getMeasuredAt().toEpochMilli();
  }
}
