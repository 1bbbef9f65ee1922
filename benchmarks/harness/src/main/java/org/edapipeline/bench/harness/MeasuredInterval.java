package org.edapipeline.bench.harness;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The measured interval of a run (ready → last expected output), kept in its work directory as
 * {@value #FILE} so a profile can be cut to it: boot and shutdown are not what a ratio is about.
 *
 * @param from when the contender said it was ready
 * @param to when the last expected output was seen
 */
public record MeasuredInterval(Instant from, Instant to) {

  /** File name in a run's work directory. */
  public static final String FILE = "measured-interval.properties";

  /** Writes the interval into {@code workDir}. */
  public static void write(Path workDir, Instant from, Instant to) {
    Properties properties = new Properties();
    properties.setProperty("from", from.toString());
    properties.setProperty("to", to.toString());
    try (Writer writer = Files.newBufferedWriter(workDir.resolve(FILE))) {
      properties.store(writer, "ready -> completion, for cutting the profile");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The interval of a run, if it got that far. */
  public static Optional<MeasuredInterval> read(Path workDir) {
    Path file = workDir.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.of(
        new MeasuredInterval(
            Instant.parse(properties.getProperty("from")),
            Instant.parse(properties.getProperty("to"))));
  }

  /** Whether {@code t} lies in the interval. */
  public boolean contains(Instant t) {
    return !t.isBefore(from) && !t.isAfter(to);
  }
}
