package org.edapipeline.bench.harness;

import java.nio.file.Path;
import java.util.List;

/**
 * What every suite gets from the runner: the shared services, where contenders live, and the run's
 * size.
 *
 * @param bootstrapServers the embedded Kafka broker (KRaft, transactions on)
 * @param schemaRegistryUrl the embedded schema registry
 * @param postgresJdbcUrl the embedded PostgreSQL (logical decoding on), for the CDC and e2e suites
 * @param postgresUser its user
 * @param postgresPassword its password
 * @param repositoryRoot the checkout's root (contender modules and jars are found from it)
 * @param workRoot a fresh directory for this invocation; each run takes a subdirectory
 * @param quick whether this is the quick form (smaller input, fewer pairs)
 * @param pairs how many interleaved pairs to run
 * @param profile whether contender JVMs record a JFR profile ({@link JvmOptions#PROFILE_FILE})
 */
public record BenchContext(
    String bootstrapServers,
    String schemaRegistryUrl,
    String postgresJdbcUrl,
    String postgresUser,
    String postgresPassword,
    Path repositoryRoot,
    Path workRoot,
    boolean quick,
    int pairs,
    boolean profile) {

  /** A context without profiling (the form suites written before {@code --profile} use). */
  public BenchContext(
      String bootstrapServers,
      String schemaRegistryUrl,
      String postgresJdbcUrl,
      String postgresUser,
      String postgresPassword,
      Path repositoryRoot,
      Path workRoot,
      boolean quick,
      int pairs) {
    this(
        bootstrapServers,
        schemaRegistryUrl,
        postgresJdbcUrl,
        postgresUser,
        postgresPassword,
        repositoryRoot,
        workRoot,
        quick,
        pairs,
        false);
  }

  /**
   * The classpath of a contender module under {@code benchmarks/}: its classes followed by the jars
   * in its {@code target/classpath.txt} (written by {@code mvn package}).
   */
  public List<String> classpathOf(String module) {
    return ContenderClasspath.of(repositoryRoot.resolve("benchmarks").resolve(module));
  }

  /** A fresh work directory for one run. */
  public Path runDir(String suite, String contender, int pair) {
    return workRoot.resolve(suite).resolve(contender + "-" + pair);
  }
}
