package org.edapipeline.bench.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import org.edapipeline.bench.contract.ContenderLifecycle;
import org.edapipeline.bench.contract.ContenderSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A contender of this module: started once, stopped once (by SIGTERM through {@link #main}'s
 * shutdown hook, or by a test). It calls the ready callback it was built with when boot is over.
 */
public interface Contender extends AutoCloseable {

  /** Starts processing in background threads. */
  void start();

  /** Figures only the contender knows, for the report; read after {@link #close()}. */
  Map<String, ? extends Number> metrics();

  /** Stops processing and releases everything; never throws. */
  @Override
  void close();

  /**
   * The process protocol: reads the spec file named by {@code args[0]}, builds the contender
   * (failing fast on a bad spec), starts it, and blocks until the JVM is shut down; the shutdown
   * hook closes it and leaves its metrics in the work directory.
   */
  static void main(String[] args, BiFunction<ContenderSpec, Runnable, Contender> factory) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: <main class> <contender spec file>");
    }
    Logger log = LoggerFactory.getLogger(Contender.class);
    ContenderSpec spec = ContenderSpec.load(Path.of(args[0]));
    Contender contender = factory.apply(spec, ContenderLifecycle::ready);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  contender.close();
                  ContenderLifecycle.writeMetrics(spec, contender.metrics());
                  log.info("stopped; metrics {}", contender.metrics());
                },
                "contender-shutdown"));
    log.info("starting {}", spec.asMap());
    contender.start();
    ContenderLifecycle.awaitTermination();
  }
}
