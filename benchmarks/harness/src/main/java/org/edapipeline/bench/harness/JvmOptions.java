package org.edapipeline.bench.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options every contender of a suite gets, so no contender is favoured by its JVM: the same
 * heap ({@link #HEAP}, fixed: {@code -Xms} = {@code -Xmx}), G1, and for {@code --profile} a JFR
 * recording with the {@code profile} settings dumped to {@link #PROFILE_FILE} in the run's
 * directory when the contender exits. Flink contenders also get {@link #FLINK_OPENS}, which Flink
 * needs on Java 17 and which changes nothing else.
 */
public final class JvmOptions {

  /** Heap of every contender JVM. */
  public static final String HEAP = "1g";

  /** File name, in a run's work directory, of the JFR recording under {@code --profile}. */
  public static final String PROFILE_FILE = "profile.jfr";

  /**
   * The {@code --add-opens}/{@code --add-exports} list of the root pom's {@code flink.jvm.opens}
   * property (copied: the harness cannot read Maven properties at run time; keep them in step).
   */
  public static final List<String> FLINK_OPENS =
      List.of(
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.management/sun.management=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED");

  /** Frames kept per JFR stack trace. */
  static final int PROFILE_STACK_DEPTH = 256;

  private JvmOptions() {}

  /** Options for a contender that runs no Flink (Kafka Streams, Kafka Connect, plain clients). */
  public static List<String> plain(BenchContext context, Path runDir) {
    List<String> options = new ArrayList<>();
    options.add("-Xms" + HEAP);
    options.add("-Xmx" + HEAP);
    options.add("-XX:+UseG1GC");
    options.add("-XX:+ExitOnOutOfMemoryError");
    options.add("-Dlog.dir=" + runDir);
    if (context.profile()) {
      // Flink's task stacks are deep: keep whole stacks for the cost centres (JFR's default: 64).
      options.add("-XX:FlightRecorderOptions=stackdepth=" + PROFILE_STACK_DEPTH);
      options.add(
          "-XX:StartFlightRecording=filename="
              + runDir.resolve(PROFILE_FILE)
              + ",dumponexit=true,settings=profile");
    }
    return options;
  }

  /** {@link #plain} plus {@link #FLINK_OPENS}, for contenders running a Flink MiniCluster. */
  public static List<String> flink(BenchContext context, Path runDir) {
    List<String> options = plain(context, runDir);
    options.addAll(FLINK_OPENS);
    return options;
  }
}
