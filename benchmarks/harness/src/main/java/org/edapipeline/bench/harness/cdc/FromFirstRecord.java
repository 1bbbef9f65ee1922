package org.edapipeline.bench.harness.cdc;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.edapipeline.bench.harness.Completion;
import org.edapipeline.bench.harness.ContenderProcess;

/**
 * A completion that also notes the contender's CPU time and the wall clock when the first output
 * record arrives, so a run is measured from its first published row to its last: every CDC
 * contender's own start-up (the engine or worker starting its task, the replication connection, the
 * first poll) stays out of the figures, whatever moment its ready line comes at.
 */
final class FromFirstRecord implements Completion {

  private final Completion delegate;
  private final ContenderProcess process;
  private Instant firstAt;
  private Duration cpuAtFirst;

  FromFirstRecord(Completion delegate, ContenderProcess process) {
    this.delegate = delegate;
    this.process = process;
  }

  @Override
  public void accept(ConsumerRecord<byte[], byte[]> record) {
    if (firstAt == null) {
      cpuAtFirst = process.cpuTime();
      firstAt = Instant.now();
    }
    delegate.accept(record);
  }

  @Override
  public boolean complete() {
    return delegate.complete();
  }

  @Override
  public String progress() {
    return delegate.progress();
  }

  /** Wall time from the first record to {@code done}. */
  Duration elapsedUntil(Instant done) {
    return Duration.between(firstAt, done);
  }

  /** The contender's CPU time since the first record. */
  Duration cpuSinceFirst() {
    return process.cpuTime().minus(cpuAtFirst);
  }
}
