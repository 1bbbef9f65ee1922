package org.edapipeline.localstack;

import java.time.Duration;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of parsed option values shared by the commands: each failure is a picocli {@link
 * ParameterException} whose message names the option, so picocli prints it with the usage and exits
 * with code 2 before anything starts.
 */
final class OptionChecks {

  private OptionChecks() {}

  static ParameterException invalid(CommandSpec spec, String option, String problem) {
    return new ParameterException(spec.commandLine(), "Invalid " + option + ": " + problem);
  }

  static double rate(CommandSpec spec, String option, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw invalid(spec, option, "must be between 0 and 1, got " + value);
    }
    return value;
  }

  static Duration positive(CommandSpec spec, String option, Duration value) {
    if (value.isZero() || value.isNegative()) {
      throw invalid(spec, option, "must be positive, got " + value);
    }
    return value;
  }

  static int port(CommandSpec spec, String option, int port) {
    if (port < 0 || port > 65_535) {
      throw invalid(spec, option, "must be a port number (0 to 65535), got " + port);
    }
    return port;
  }

  /** Builds settings whose constructor checks several options together, naming them on failure. */
  static <T> T settings(CommandSpec spec, String options, Supplier<T> factory) {
    try {
      return factory.get();
    } catch (IllegalArgumentException e) {
      throw invalid(spec, options, e.getMessage());
    }
  }

  static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
