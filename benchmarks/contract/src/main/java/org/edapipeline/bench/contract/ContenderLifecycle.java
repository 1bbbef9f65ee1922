package org.edapipeline.bench.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The contender side of the process protocol.
 *
 * <ol>
 *   <li>The contender boots (JVM, MiniCluster, Kafka Streams instance…), then prints {@link
 *       #READY_LINE} on stdout through {@link #ready()} just before it starts consuming. The
 *       harness samples the process's CPU time then, so boot cost is not charged to processing.
 *   <li>It processes until the harness stops it with SIGTERM (it never exits on its own: the
 *       harness decides completion by counting committed outputs).
 *   <li>On SIGTERM (a shutdown hook) it may leave figures only it can know (checkpoint durations
 *       and sizes, state size) with {@link #writeMetrics}; the harness reads {@link #METRICS_FILE}
 *       from the work directory after the process ended.
 * </ol>
 */
public final class ContenderLifecycle {

  /** The line the harness waits for on the contender's stdout. */
  public static final String READY_LINE = "BENCH-CONTENDER-READY";

  /** File name, in the spec's work directory, of the metrics a contender leaves. */
  public static final String METRICS_FILE = "metrics.properties";

  private ContenderLifecycle() {}

  /** Tells the harness that boot is over and processing starts now. */
  public static void ready() {
    System.out.println(READY_LINE);
    System.out.flush();
  }

  /**
   * Writes (atomically) numeric figures for the report, e.g. {@code checkpoint.duration.p50.ms}.
   * Keys are documented in benchmarks/README.md.
   */
  public static void writeMetrics(ContenderSpec spec, Map<String, ? extends Number> metrics) {
    Path dir = spec.workDir();
    Path tmp = dir.resolve(METRICS_FILE + ".tmp");
    try {
      try (Writer writer = Files.newBufferedWriter(tmp)) {
        for (Map.Entry<String, ? extends Number> e : new TreeMap<>(metrics).entrySet()) {
          writer.write(e.getKey() + "=" + e.getValue() + System.lineSeparator());
        }
      }
      Files.move(
          tmp,
          dir.resolve(METRICS_FILE),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write contender metrics to " + dir, e);
    }
  }

  /** Blocks the calling (main) thread until the JVM shuts down, e.g. on SIGTERM. */
  public static void awaitTermination() {
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
