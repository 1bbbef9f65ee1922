package org.edapipeline.dlq.replay;

import java.util.Map;

/**
 * What one replay run did.
 *
 * @param scanned DLQ records read
 * @param matched records that passed the filter
 * @param replayed records published (acknowledged), or that would have been in a dry run
 * @param refused matching records not published: replay count at its maximum, or unreadable
 * @param skipped records that cannot be replayed: not a dead letter, or from another source topic
 * @param dryRun whether nothing was published or committed
 * @param complete whether the run reached the end of the queue (false: stopped or at its limit)
 * @param progress the committed position of the replay job per DLQ partition after the run (the
 *     next offset it will read); in a dry run, where it would be
 */
public record ReplayReport(
    long scanned,
    long matched,
    long replayed,
    long refused,
    long skipped,
    boolean dryRun,
    boolean complete,
    Map<Integer, Long> progress) {

  public ReplayReport {
    progress = Map.copyOf(progress);
  }
}
