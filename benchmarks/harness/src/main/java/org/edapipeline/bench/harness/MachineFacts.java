package org.edapipeline.bench.harness;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The machine and software versions a result was measured on, for the report's header. */
public final class MachineFacts {

  private MachineFacts() {}

  /** Cores, CPU model ({@code /proc/cpuinfo}), RAM ({@code /proc/meminfo}), OS and JVM. */
  public static Map<String, String> machine() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    facts.put(
        "cpu", firstMatch(Path.of("/proc/cpuinfo"), "^model name\\s*:\\s*(.+)$").orElse("unknown"));
    facts.put(
        "ram",
        firstMatch(Path.of("/proc/meminfo"), "^MemTotal:\\s*(\\d+) kB")
            .map(kb -> String.format("%.1f GiB", Long.parseLong(kb) / 1024.0 / 1024.0))
            .orElse("unknown"));
    facts.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    facts.put(
        "jvm",
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " (contenders: -Xmx"
            + JvmOptions.HEAP
            + ", G1)");
    return facts;
  }

  /**
   * Versions of what the contenders run, read from the jar names on their classpaths (what ran, not
   * what a pom says); a module not built yet is left out.
   */
  public static Map<String, String> versions(BenchContext context) {
    Map<String, String> versions = new TreeMap<>();
    Map<String, String> jars =
        Map.of(
            "Flink", "flink-streaming-java",
            "Kafka clients", "kafka-clients",
            "Kafka Streams", "kafka-streams",
            "Kafka Connect", "connect-runtime",
            "Debezium", "debezium-connector-postgres",
            "PgJDBC", "postgresql");
    for (String module : List.of("flink-contenders", "kafka-contenders", "connect-contenders")) {
      List<String> classpath;
      try {
        classpath = context.classpathOf(module);
      } catch (RuntimeException e) {
        continue;
      }
      for (Map.Entry<String, String> jar : jars.entrySet()) {
        Pattern pattern =
            Pattern.compile("^" + Pattern.quote(jar.getValue()) + "-(\\d[^/]*?)\\.jar$");
        for (String entry : classpath) {
          Matcher m = pattern.matcher(new File(entry).getName());
          if (m.matches()) {
            versions.putIfAbsent(jar.getKey(), m.group(1));
          }
        }
      }
    }
    return versions;
  }

  private static Optional<String> firstMatch(Path file, String regex) {
    Pattern pattern = Pattern.compile(regex);
    try {
      for (String line : Files.readAllLines(file)) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return Optional.of(m.group(1).trim());
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
