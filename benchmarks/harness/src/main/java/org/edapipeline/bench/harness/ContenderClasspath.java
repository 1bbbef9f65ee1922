package org.edapipeline.bench.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads a contender module's classpath as Maven wrote it at package time. */
final class ContenderClasspath {

  private ContenderClasspath() {}

  static List<String> of(Path module) {
    Path classes = module.resolve("target/classes");
    Path file = module.resolve("target/classpath.txt");
    if (!Files.isDirectory(classes) || !Files.isRegularFile(file)) {
      throw new IllegalStateException(
          module + " is not built: run benchmarks/run.sh (or mvn -Pbenchmarks package) first");
    }
    try {
      List<String> classpath = new ArrayList<>();
      classpath.add(classes.toString());
      classpath.addAll(
          Arrays.stream(Files.readString(file).trim().split(File.pathSeparator))
              .filter(s -> !s.isBlank())
              .toList());
      return classpath;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
