package org.edapipeline.jobs.common;

import java.time.Duration;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;

/**
 * Drops redelivered events (a CDC restart, a replay) inside a keyed function: remembers the event
 * ids seen under the current key in keyed {@link MapState}, each entry expiring {@code ttl} after
 * it was written (processing time; cleaned up by RocksDB compaction). Duplicates are counted in the
 * operator's {@value #DUPLICATES_METRIC} metric.
 *
 * <p>Usage: create it in {@code open()} of a keyed function; call {@link #firstSeen} per event.
 * Events of one aggregate share a key, so a redelivery meets its original's entry.
 *
 * <pre>{@code
 * dedupe = EventIdDeduplicator.open(getRuntimeContext(), config.dedupeTtl());
 * ...
 * if (!dedupe.firstSeen(event.getMetadata().getEventId().toString())) return;
 * }</pre>
 */
public final class EventIdDeduplicator {

  /** Name of the counter of dropped duplicates. */
  public static final String DUPLICATES_METRIC = "duplicatesDropped";

  /** Name of the keyed state holding the seen ids. */
  public static final String STATE_NAME = "seen-event-ids";

  private final MapState<String, Boolean> seen;
  private final Counter duplicates;

  private EventIdDeduplicator(MapState<String, Boolean> seen, Counter duplicates) {
    this.seen = seen;
    this.duplicates = duplicates;
  }

  /** The state descriptor, with the TTL set (exposed for tests and state inspection). */
  public static MapStateDescriptor<String, Boolean> descriptor(Duration ttl) {
    MapStateDescriptor<String, Boolean> descriptor =
        new MapStateDescriptor<>(STATE_NAME, Types.STRING, Types.BOOLEAN);
    descriptor.enableTimeToLive(
        StateTtlConfig.newBuilder(ttl)
            .updateTtlOnCreateAndWrite()
            .neverReturnExpired()
            .cleanupInRocksdbCompactFilter(1000)
            .build());
    return descriptor;
  }

  /** Creates the state and the metric; call from {@code open()} of a keyed function. */
  public static EventIdDeduplicator open(RuntimeContext context, Duration ttl) {
    return new EventIdDeduplicator(
        context.getMapState(descriptor(ttl)), context.getMetricGroup().counter(DUPLICATES_METRIC));
  }

  /**
   * Records {@code eventId} under the current key.
   *
   * @return true the first time, false (and counted) for a duplicate
   */
  public boolean firstSeen(String eventId) throws Exception {
    if (seen.contains(eventId)) {
      duplicates.inc();
      return false;
    }
    seen.put(eventId, Boolean.TRUE);
    return true;
  }

  /**
   * Forgets {@code eventId} under the current key: the event was not processed after all (it was
   * dead-lettered), so a replay of it, once its cause is fixed, must not count as a duplicate.
   */
  public void forget(String eventId) throws Exception {
    seen.remove(eventId);
  }

  /** Duplicates dropped by this instance so far. */
  public long duplicatesDropped() {
    return duplicates.getCount();
  }

  /** Forgets every id of the current key (when its entity's life ends). */
  public void clear() {
    seen.clear();
  }
}
