package org.edapipeline.dlq.replay;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.edapipeline.dlq.kafka.DlqTopic;
import org.edapipeline.dlq.read.DeadLetterFilter;

/**
 * What a replay run does, validated when built: a bad value fails with a message naming its CLI
 * option.
 *
 * @param dlq the dead-letter queue, which must have a source topic
 * @param filter which dead letters to replay
 * @param job the replay job: its progress is the consumer group {@link Replayer#groupId}
 * @param dryRun print, publish nothing, commit nothing
 * @param fromStart ignore the job's progress and start at the beginning of the queue
 * @param ratePerSecond records per second at most; {@link Double#POSITIVE_INFINITY} for no limit
 * @param maxReplays a record already replayed this often is refused
 * @param limit stop after this many records replayed; 0 for no limit
 * @param commitInterval how often progress is committed (after the producer's acknowledgements)
 * @param idleTimeout how long to wait for Kafka without progress before failing
 */
public record ReplayOptions(
    DlqTopic dlq,
    DeadLetterFilter filter,
    String job,
    boolean dryRun,
    boolean fromStart,
    double ratePerSecond,
    int maxReplays,
    long limit,
    Duration commitInterval,
    Duration idleTimeout) {

  /** The job when none is named; {@code DlqMonitor}'s depth counts what this job has passed. */
  public static final String DEFAULT_JOB = "default";

  /** The default maximum replay count. */
  public static final int DEFAULT_MAX_REPLAYS = 3;

  private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9_-]{1,100}");

  public ReplayOptions {
    Objects.requireNonNull(dlq, "dlq");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(commitInterval, "commitInterval");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (dlq.source().isEmpty()) {
      throw new IllegalArgumentException(
          dlq.name() + " holds records that did not come from a topic: they cannot be replayed");
    }
    if (job == null || !JOB_NAME.matcher(job).matches()) {
      throw new IllegalArgumentException("--job must be 1-100 letters, digits, '_' or '-': " + job);
    }
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("--rate must be positive: " + ratePerSecond);
    }
    if (maxReplays < 1) {
      throw new IllegalArgumentException("--max-replays must be at least 1: " + maxReplays);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("--limit must not be negative: " + limit);
    }
  }

  /** Replays everything of {@code dlq} under the default job, unthrottled, up to 3 times each. */
  public static ReplayOptions defaults(DlqTopic dlq) {
    return new ReplayOptions(
        dlq,
        DeadLetterFilter.ALL,
        DEFAULT_JOB,
        false,
        false,
        Double.POSITIVE_INFINITY,
        DEFAULT_MAX_REPLAYS,
        0,
        Duration.ofSeconds(1),
        Duration.ofSeconds(60));
  }

  public ReplayOptions withFilter(DeadLetterFilter filter) {
    return new ReplayOptions(
        dlq,
        filter,
        job,
        dryRun,
        fromStart,
        ratePerSecond,
        maxReplays,
        limit,
        commitInterval,
        idleTimeout);
  }

  public ReplayOptions withJob(String job) {
    return new ReplayOptions(
        dlq,
        filter,
        job,
        dryRun,
        fromStart,
        ratePerSecond,
        maxReplays,
        limit,
        commitInterval,
        idleTimeout);
  }

  public ReplayOptions withDryRun(boolean dryRun) {
    return new ReplayOptions(
        dlq,
        filter,
        job,
        dryRun,
        fromStart,
        ratePerSecond,
        maxReplays,
        limit,
        commitInterval,
        idleTimeout);
  }

  public ReplayOptions withFromStart(boolean fromStart) {
    return new ReplayOptions(
        dlq,
        filter,
        job,
        dryRun,
        fromStart,
        ratePerSecond,
        maxReplays,
        limit,
        commitInterval,
        idleTimeout);
  }

  public ReplayOptions withRate(double ratePerSecond) {
    return new ReplayOptions(
        dlq,
        filter,
        job,
        dryRun,
        fromStart,
        ratePerSecond,
        maxReplays,
        limit,
        commitInterval,
        idleTimeout);
  }

  public ReplayOptions withMaxReplays(int maxReplays) {
    return new ReplayOptions(
        dlq,
        filter,
        job,
        dryRun,
        fromStart,
        ratePerSecond,
        maxReplays,
        limit,
        commitInterval,
        idleTimeout);
  }

  public ReplayOptions withLimit(long limit) {
    return new ReplayOptions(
        dlq,
        filter,
        job,
        dryRun,
        fromStart,
        ratePerSecond,
        maxReplays,
        limit,
        commitInterval,
        idleTimeout);
  }
}
