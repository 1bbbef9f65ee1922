package org.edapipeline.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds topic names written as string literals in the production code of every module. */
final class TopicNameLiterals {

  /** Directories that hold no modules: build output, sources, and hidden ones (.git, .idea). */
  private static final Set<String> SKIPPED_DIRS = Set.of("target", "node_modules", "src");

  private TopicNameLiterals() {}

  /** The module directories under {@code root}: those with a pom.xml, nested ones included. */
  static List<Path> modules(Path root) throws IOException {
    List<Path> modules = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
            if (!dir.equals(root) && (name.startsWith(".") || SKIPPED_DIRS.contains(name))) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            if (Files.isRegularFile(dir.resolve("pom.xml"))) {
              modules.add(dir);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    modules.sort(null);
    return modules;
  }

  /**
   * Every {@code file:line: "literal"} in {@code src/main/java} of the modules under {@code root}
   * where a literal contains one of {@code topicNames}, except in {@code allowedFile}.
   */
  static List<String> find(Path root, Collection<String> topicNames, Path allowedFile)
      throws IOException {
    List<String> findings = new ArrayList<>();
    for (Path module : modules(root)) {
      Path sources = module.resolve("src/main/java");
      if (!Files.isDirectory(sources)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(sources)) {
        files
            .filter(file -> file.toString().endsWith(".java"))
            .filter(file -> !sameFile(file, allowedFile))
            .sorted()
            .forEach(file -> findings.addAll(findIn(root, file, topicNames)));
      }
    }
    return findings;
  }

  private static List<String> findIn(Path root, Path file, Collection<String> topicNames) {
    List<String> findings = new ArrayList<>();
    for (var literal : JavaStringLiterals.in(read(file))) {
      for (String name : topicNames) {
        if (mentions(literal.value(), name)) {
          findings.add(
              root.relativize(file)
                  + ":"
                  + literal.line()
                  + ": \""
                  + literal.value()
                  + "\" names topic "
                  + name
                  + "; use the constant in Topics");
          break;
        }
      }
    }
    return findings;
  }

  /**
   * Whether {@code text} holds {@code topic} as a name of its own: "iot.readings.dlq" and
   * "order.events-value" mention a topic, "iot.latency" does not mention iot.late.
   */
  static boolean mentions(String text, String topic) {
    return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(topic) + "(?![A-Za-z0-9_])")
        .matcher(text)
        .find();
  }

  private static boolean sameFile(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
