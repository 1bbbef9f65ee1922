package org.edapipeline.bench.harness;

import java.util.List;

/**
 * One comparison: several contenders on the same pre-loaded input (e.g. IoT tumbling windows: our
 * DataStream job on RocksDB vs heap vs at-least-once vs Flink SQL vs Kafka Streams vs a plain
 * client loop).
 *
 * <p>The runner calls {@link #prepare} once, then {@link #run} for each contender of each pair,
 * interleaved (A B C, then B C A, …) so drift of the machine is spread over all contenders, and
 * hands every {@link RunResult} to the report.
 */
public interface Suite {

  /** Short id used in file names and the report, e.g. {@code iot-tumbling}. */
  String id();

  /** The report's heading for this comparison. */
  String title();

  /** Contender ids, in report order; the first is ours, the one ratios are computed against. */
  List<String> contenders();

  /** Creates topics/tables and loads the input every run of this suite reads. */
  void prepare(BenchContext context) throws Exception;

  /** Runs one contender once, to completion, and measures it; cleans up everything it started. */
  RunResult run(BenchContext context, String contender, int pair) throws Exception;

  /**
   * One sentence per contender for the report: what it is and how it is configured (versions, state
   * backend, delivery guarantee, commit/checkpoint interval).
   */
  List<String> describe();
}
