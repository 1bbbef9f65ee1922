package org.edapipeline.dlq.read;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.edapipeline.outputs.ErrorCategory;

/**
 * Which dead letters a command works on. Every criterion is optional; the set ones must all hold. A
 * DLQ record that does not decode matches only the filter that sets nothing.
 *
 * @param errorClass the exception's fully qualified or simple class name
 * @param categories accepted categories; empty for all
 * @param failedFrom first instant of the last failure, inclusive
 * @param failedUntil last instant of the last failure, exclusive
 * @param key the original key, as UTF-8
 * @param sourcePartition the partition of the source topic the record was read from
 */
public record DeadLetterFilter(
    Optional<String> errorClass,
    Set<ErrorCategory> categories,
    Optional<Instant> failedFrom,
    Optional<Instant> failedUntil,
    Optional<String> key,
    Optional<Integer> sourcePartition)
    implements Predicate<DeadLetterEntry> {

  /** Matches everything. */
  public static final DeadLetterFilter ALL =
      new DeadLetterFilter(
          Optional.empty(),
          Set.of(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public DeadLetterFilter {
    Objects.requireNonNull(errorClass, "errorClass");
    categories = Set.copyOf(categories);
    Objects.requireNonNull(failedFrom, "failedFrom");
    Objects.requireNonNull(failedUntil, "failedUntil");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(sourcePartition, "sourcePartition");
    if (failedFrom.isPresent()
        && failedUntil.isPresent()
        && !failedFrom.get().isBefore(failedUntil.get())) {
      throw new IllegalArgumentException(
          "empty time range: " + failedFrom.get() + " is not before " + failedUntil.get());
    }
  }

  /** Whether nothing is filtered out. */
  public boolean matchesAll() {
    return errorClass.isEmpty()
        && categories.isEmpty()
        && failedFrom.isEmpty()
        && failedUntil.isEmpty()
        && key.isEmpty()
        && sourcePartition.isEmpty();
  }

  @Override
  public boolean test(DeadLetterEntry entry) {
    if (!entry.decoded()) {
      return matchesAll();
    }
    var letter = entry.deadLetter();
    if (errorClass.isPresent() && !sameClass(letter.getErrorClass(), errorClass.get())) {
      return false;
    }
    if (!categories.isEmpty() && !categories.contains(letter.getErrorCategory())) {
      return false;
    }
    Instant failedAt = letter.getLastFailureAt();
    if (failedFrom.isPresent() && failedAt.isBefore(failedFrom.get())) {
      return false;
    }
    if (failedUntil.isPresent() && !failedAt.isBefore(failedUntil.get())) {
      return false;
    }
    if (key.isPresent() && !key.equals(entry.originalKey())) {
      return false;
    }
    return sourcePartition.isEmpty() || sourcePartition.get() == letter.getSourcePartition();
  }

  private static boolean sameClass(String actual, String wanted) {
    return actual.equals(wanted) || actual.endsWith("." + wanted) || actual.endsWith("$" + wanted);
  }
}
