package org.edapipeline.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How to run an uploaded jar ({@code POST /jars/{id}/run}): its entry class and program arguments,
 * and optionally a parallelism and a savepoint to start from.
 *
 * <pre>{@code
 * rest.run(jarId, JarRun.of(IotAggregationJob.class.getName(), List.of("--bootstrap-servers", kafka)));
 * rest.run(jarId, JarRun.of(entryClass, args).fromSavepoint(savepoint));
 * }</pre>
 *
 * @param entryClass the class whose {@code main} builds and executes the job
 * @param programArgs the arguments of {@code main}, one list element per argument
 * @param parallelism the job's default parallelism; if empty, Flink's REST handler runs the job at
 *     parallelism 1, whatever the cluster's {@code parallelism.default} says
 * @param savepointPath the savepoint or retained checkpoint to restore, or empty
 * @param allowNonRestoredState whether state of removed operators may be dropped on restore
 */
public record JarRun(
    String entryClass,
    List<String> programArgs,
    OptionalInt parallelism,
    Optional<String> savepointPath,
    boolean allowNonRestoredState) {

  /** Canonical constructor; copies the arguments. */
  public JarRun {
    Objects.requireNonNull(entryClass, "entryClass");
    programArgs = List.copyOf(programArgs);
    Objects.requireNonNull(parallelism, "parallelism");
    Objects.requireNonNull(savepointPath, "savepointPath");
  }

  /**
   * A run of {@code entryClass} with these arguments and no savepoint, at parallelism 1 unless
   * {@link #withParallelism} says otherwise.
   */
  public static JarRun of(String entryClass, List<String> programArgs) {
    return new JarRun(entryClass, programArgs, OptionalInt.empty(), Optional.empty(), false);
  }

  /** The same run at this parallelism. */
  public JarRun withParallelism(int newParallelism) {
    return new JarRun(
        entryClass,
        programArgs,
        OptionalInt.of(newParallelism),
        savepointPath,
        allowNonRestoredState);
  }

  /** The same run, restoring this savepoint or retained checkpoint; all state must be restored. */
  public JarRun fromSavepoint(String path) {
    return new JarRun(entryClass, programArgs, parallelism, Optional.of(path), false);
  }
}
