package org.edapipeline.dlq.cli;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edapipeline.dlq.read.DeadLetterFilter;
import org.edapipeline.outputs.ErrorCategory;
import picocli.CommandLine.Option;

/** Which dead letters a command works on; every option narrows the selection. */
public final class FilterOptions {

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  @Option(
      names = "--error-class",
      paramLabel = "CLASS",
      description = "Exception class, fully qualified or simple name.")
  String errorClass;

  @Option(
      names = "--category",
      paramLabel = "CATEGORY",
      split = ",",
      description = "Error categories: ${COMPLETION-CANDIDATES}; repeatable or comma-separated.")
  List<ErrorCategory> categories = List.of();

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "Last failure at or after TIME: an ISO-8601 instant (2026-03-01T10:00:00Z) or a"
              + " duration ago (90m, 2h, 7d, PT2H).")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "Last failure before TIME (same forms as --since).")
  String until;

  @Option(names = "--key", paramLabel = "KEY", description = "Original record key (UTF-8).")
  String key;

  @Option(
      names = "--source-partition",
      paramLabel = "N",
      description = "Partition of the source topic the record was read from.")
  Integer sourcePartition;

  /** The filter, with times relative to {@code clock}'s now. */
  public DeadLetterFilter filter(Clock clock) {
    return new DeadLetterFilter(
        Optional.ofNullable(errorClass),
        categories.isEmpty() ? EnumSet.noneOf(ErrorCategory.class) : EnumSet.copyOf(categories),
        Optional.ofNullable(since).map(t -> time("--since", t, clock)),
        Optional.ofNullable(until).map(t -> time("--until", t, clock)),
        Optional.ofNullable(key),
        Optional.ofNullable(sourcePartition));
  }

  /** An instant, or a duration back from now. */
  static Instant time(String option, String text, Clock clock) {
    try {
      return Instant.parse(text);
    } catch (DateTimeException notAnInstant) {
      try {
        return clock.instant().minus(duration(option, text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            option
                + ": '"
                + text
                + "' is neither an ISO-8601 instant (2026-03-01T10:00:00Z) nor a duration ago"
                + " (90m, 2h, 7d, PT2H)");
      }
    }
  }

  /** {@code 250ms}, {@code 10s}, {@code 90m}, {@code 2h}, {@code 7d} or ISO-8601 ({@code PT2H}). */
  static Duration duration(String option, String text) {
    Matcher matcher = SHORT_DURATION.matcher(text.trim());
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          option + ": '" + text + "' is not a duration (250ms, 10s, 90m, 2h, 7d, PT2H)");
    }
  }
}
