package org.edapipeline.faults;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * A pass-through operator that fails its task once, right after a checkpoint completed, when its
 * trigger is armed: the task failure of flink-connector-kafka's {@code
 * testRecoveryWithExactlyOnceGuarantee}. Wired into a job through its topology method, between a
 * source and the rest of the graph.
 *
 * <p>The trigger lives in this JVM (the MiniCluster runs here): {@link #arm(String)} arms it, the
 * first subtask notified of a completed checkpoint disarms it and throws from {@link
 * #notifyCheckpointComplete}, so the job fails exactly once however many subtasks there are, and
 * whether or not records flow at that moment. The records processed since that checkpoint are
 * replayed, and the transactions the sinks opened since are aborted.
 */
final class FailOnceAfterCheckpoint<T> implements MapFunction<T, T>, CheckpointListener {
  private static final long serialVersionUID = 1L;
  private static final Map<String, AtomicBoolean> ARMED = new ConcurrentHashMap<>();
  private static final Map<String, AtomicBoolean> FIRED = new ConcurrentHashMap<>();

  private final String trigger;

  FailOnceAfterCheckpoint(String trigger) {
    this.trigger = trigger;
  }

  /** The next record after a completed checkpoint fails its task, once. */
  static void arm(String trigger) {
    FIRED.computeIfAbsent(trigger, t -> new AtomicBoolean()).set(false);
    ARMED.computeIfAbsent(trigger, t -> new AtomicBoolean()).set(true);
  }

  /** Whether the armed failure was thrown. */
  static boolean fired(String trigger) {
    AtomicBoolean fired = FIRED.get(trigger);
    return fired != null && fired.get();
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    AtomicBoolean armed = ARMED.get(trigger);
    if (armed != null && armed.compareAndSet(true, false)) {
      FIRED.computeIfAbsent(trigger, t -> new AtomicBoolean()).set(true);
      throw new InjectedFailure(trigger, checkpointId);
    }
  }

  @Override
  public T map(T value) {
    return value;
  }

  /** The failure the suite injects; nothing else throws it. */
  static final class InjectedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFailure(String trigger, long checkpointId) {
      super("Injected task failure (" + trigger + ") after checkpoint " + checkpointId);
    }
  }
}
