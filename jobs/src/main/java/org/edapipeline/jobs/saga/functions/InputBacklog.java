package org.edapipeline.jobs.saga.functions;

/**
 * How far one subtask of the saga operator is behind its input, seen from the events it processes,
 * and whether a deadline coming due now should wait for that backlog to be read. Transient: one per
 * subtask, empty after every start and restore; never in state.
 *
 * <p><b>Lag</b> of an event = processing time when it is processed − its {@code occurredAt}. The
 * producing service sets {@code occurredAt} in the transaction that writes the event's outbox row,
 * so it is the commit time to within that transaction, and the lag covers the whole way (outbox,
 * CDC, Kafka, this job). The Kafka record's timestamp (the CDC service's publish time) would miss a
 * backlog in front of the CDC service, and the outbox row's own time is not carried to Kafka. The
 * subtask's lag is that of the freshest event (smallest lag) seen in the current sample of at least
 * {@value #SAMPLE_MILLIS} ms: the inputs are several partitions and topics, and the freshest of
 * them says how far behind the subtask is at least. Clock skew between a service and the job shows
 * up as lag (or, negative, as none); the tolerance must exceed it.
 *
 * <p><b>Rule</b> ({@link #postponeMillis}): a deadline is postponed when the subtask is
 * <i>behind</i>: it received an event in the last {@value #ACTIVE_MILLIS} ms and its lag exceeds
 * the tolerance. It is postponed by one tolerance, then checked again: the lag decides whether, and
 * re-checking every tolerance keeps a deadline at most one tolerance late once the backlog is read.
 * An idle subtask (nothing received lately) or a caught-up one applies the deadline, so a silent
 * service is still detected, late by at most the backlog plus one tolerance.
 *
 * <p><b>After a start or restore</b> the backlog is unknown until the first event: a deadline due
 * in the first tolerance after the start waits until start + tolerance, so a restored job reads its
 * input before it judges the restored deadlines; if nothing arrives by then, they fire.
 *
 * <p><b>Caveat</b>: the lag is only as honest as {@code occurredAt}. A producer that backdates it
 * (a business time, a replay with old times, a clock behind by more than the tolerance) makes the
 * subtask look behind while events flow, and its deadlines then wait until the input pauses for
 * {@value #ACTIVE_MILLIS} ms.
 */
final class InputBacklog {

  /**
   * Shortest time a lag sample (the freshest event's lag) is kept before a newer one replaces it.
   */
  static final long SAMPLE_MILLIS = 1_000;

  /** A subtask that received no event for longer is idle: its deadlines fire. */
  static final long ACTIVE_MILLIS = 2_000;

  private static final long NONE = Long.MIN_VALUE;

  private final long toleranceMillis;
  private final long startedAt;
  private long lastEventAt = NONE;
  private long lagMillis;
  private long sampledAt = NONE;

  /**
   * @param toleranceMillis lag up to which the subtask counts as caught up; positive
   * @param startedAt processing time the subtask started (or was restored) at
   */
  InputBacklog(long toleranceMillis, long startedAt) {
    if (toleranceMillis <= 0) {
      throw new IllegalArgumentException("tolerance must be positive: " + toleranceMillis);
    }
    this.toleranceMillis = toleranceMillis;
    this.startedAt = startedAt;
  }

  /** Records that an event written at {@code occurredAt} was processed at {@code now}. */
  void onEvent(long now, long occurredAt) {
    long lag = Math.max(0, now - occurredAt);
    if (sampledAt == NONE || lag <= lagMillis || now - sampledAt >= SAMPLE_MILLIS) {
      lagMillis = lag;
      sampledAt = now;
    }
    lastEventAt = now;
  }

  /** The current lag estimate in milliseconds; 0 before the first event. */
  long lagMillis() {
    return sampledAt == NONE ? 0 : lagMillis;
  }

  /**
   * How long a deadline coming due at {@code now} should wait for the backlog, or 0 to apply it
   * now.
   */
  long postponeMillis(long now) {
    if (lastEventAt == NONE) {
      long graceEnd = startedAt + toleranceMillis;
      return now < graceEnd ? graceEnd - now : 0;
    }
    if (now - lastEventAt > ACTIVE_MILLIS || lagMillis <= toleranceMillis) {
      return 0;
    }
    return toleranceMillis;
  }
}
