package org.edapipeline.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hand-written explanations of {@code benchmarks/ANALYSIS.md}: under a {@code ## <suite id>}
 * heading, one {@code ### <contender id>} heading per contender followed by the "because" of its
 * ratio (one paragraph, written from the profile after a full run). The report quotes them; a
 * contender without an entry gets "(not analysed yet)".
 */
public final class Analysis {

  /** Text of a placeholder entry, which the report shows as not analysed. */
  public static final String PLACEHOLDER = "to be written from the profile";

  private final Map<String, String> entries;

  private Analysis(Map<String, String> entries) {
    this.entries = entries;
  }

  /** An analysis without entries. */
  public static Analysis empty() {
    return new Analysis(Map.of());
  }

  /** Reads the file; empty when it does not exist. */
  public static Analysis read(Path file) throws IOException {
    return Files.exists(file) ? parse(Files.readAllLines(file)) : empty();
  }

  /** Parses the lines of an ANALYSIS.md. */
  public static Analysis parse(List<String> lines) {
    Map<String, String> entries = new HashMap<>();
    String suite = null;
    String contender = null;
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      if (line.startsWith("## ") || line.startsWith("### ")) {
        put(entries, suite, contender, text);
        text.setLength(0);
        if (line.startsWith("## ")) {
          suite = line.substring(3).trim();
          contender = null;
        } else {
          contender = line.substring(4).trim();
        }
      } else if (contender != null && !line.isBlank()) {
        text.append(text.length() == 0 ? "" : " ").append(line.trim());
      }
    }
    put(entries, suite, contender, text);
    return new Analysis(entries);
  }

  /** The explanation for a contender of a suite, unless missing or still a placeholder. */
  public Optional<String> because(String suite, String contender) {
    String text = entries.get(suite + "/" + contender);
    return text == null || text.isBlank() || text.contains(PLACEHOLDER)
        ? Optional.empty()
        : Optional.of(text);
  }

  private static void put(
      Map<String, String> entries, String suite, String contender, StringBuilder text) {
    if (suite != null && contender != null) {
      entries.put(suite + "/" + contender, text.toString().trim());
    }
  }
}
