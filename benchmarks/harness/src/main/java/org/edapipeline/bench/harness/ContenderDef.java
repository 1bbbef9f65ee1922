package org.edapipeline.bench.harness;

import java.util.Map;

/**
 * How a suite starts one of its contenders.
 *
 * @param id the contender's id in the report
 * @param module its module under {@code benchmarks/} (its classpath)
 * @param mainClass its main class (takes the spec file)
 * @param flink whether it runs Flink (gets {@link JvmOptions#flink})
 * @param spec its own spec entries, on top of the suite's common ones
 * @param description the report's sentence on its configuration
 */
public record ContenderDef(
    String id,
    String module,
    String mainClass,
    boolean flink,
    Map<String, String> spec,
    String description) {

  public static final String FLINK_MODULE = "flink-contenders";
  public static final String KAFKA_MODULE = "kafka-contenders";
  public static final String CONNECT_MODULE = "connect-contenders";
}
