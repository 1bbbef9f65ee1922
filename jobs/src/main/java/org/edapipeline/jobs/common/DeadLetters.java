package org.edapipeline.jobs.common;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.DeadLetterHeader;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.serde.FailureCategory;
import org.edapipeline.schemas.serde.WireFormatException;

/**
 * Builds {@link DeadLetter}s: the original bytes, headers and provenance of a {@link RawRecord},
 * the job and operator that gave up, and the error, classified.
 */
public final class DeadLetters {

  /** Stack traces are cut here so that a dead letter stays a small record. */
  static final int MAX_STACK_TRACE_CHARS = 4_000;

  private DeadLetters() {}

  /**
   * The category of a decoding failure, as documented by the serdes: a transient registry failure
   * stays {@link ErrorCategory#TRANSIENT} (the registry client already retried with backoff);
   * anything else means the bytes cannot be decoded: {@link ErrorCategory#POISON}.
   */
  public static ErrorCategory decodingCategory(Throwable error) {
    return error instanceof WireFormatException w && w.category() == FailureCategory.TRANSIENT
        ? ErrorCategory.TRANSIENT
        : ErrorCategory.POISON;
  }

  /**
   * A dead letter for {@code origin}.
   *
   * @param eventId the event's id if known (from its metadata); null to take it from the headers
   * @param correlationId likewise
   * @param attempts attempts made, at least 1
   */
  public static DeadLetter of(
      RawRecord origin,
      String jobName,
      String operatorUid,
      ErrorCategory category,
      Throwable error,
      UUID eventId,
      String correlationId,
      int attempts) {
    Instant now = Instant.now();
    return DeadLetter.newBuilder()
        .setOriginalKey(origin.key == null ? null : ByteBuffer.wrap(origin.key))
        .setOriginalValue(origin.value == null ? null : ByteBuffer.wrap(origin.value))
        .setOriginalHeaders(headers(origin))
        .setSourceTopic(origin.topic)
        .setSourcePartition(origin.partition)
        .setSourceOffset(origin.offset)
        .setSourceTimestamp(origin.timestamp < 0 ? null : Instant.ofEpochMilli(origin.timestamp))
        .setJobName(jobName)
        .setOperatorUid(operatorUid)
        .setErrorCategory(category)
        .setErrorClass(error.getClass().getName())
        .setErrorMessage(error.getMessage())
        .setStackTrace(stackTrace(error))
        .setAttemptCount(Math.max(1, attempts))
        .setFirstFailureAt(now)
        .setLastFailureAt(now)
        .setEventId(eventId != null ? eventId : uuidOrNull(origin.header(EventHeaders.EVENT_ID)))
        .setCorrelationId(
            correlationId != null ? correlationId : origin.header(EventHeaders.CORRELATION_ID))
        .build();
  }

  /** A dead letter for a record that decoded but was rejected by a rule of the job. */
  public static DeadLetter rejected(
      RawRecord origin,
      String jobName,
      String operatorUid,
      RecordRejectedException rejection,
      UUID eventId,
      String correlationId) {
    return of(
        origin,
        jobName,
        operatorUid,
        ErrorCategory.PERMANENT,
        rejection,
        eventId,
        correlationId,
        1);
  }

  private static List<DeadLetterHeader> headers(RawRecord origin) {
    List<DeadLetterHeader> headers = new ArrayList<>(origin.headerKeys.length);
    for (int i = 0; i < origin.headerKeys.length; i++) {
      byte[] value = origin.headerValues[i];
      headers.add(
          new DeadLetterHeader(
              origin.headerKeys[i], value == null ? null : ByteBuffer.wrap(value)));
    }
    return headers;
  }

  private static String stackTrace(Throwable error) {
    if (error.getStackTrace().length == 0 && error.getCause() == null) {
      return null;
    }
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    String trace = out.toString();
    return trace.length() <= MAX_STACK_TRACE_CHARS
        ? trace
        : trace.substring(0, MAX_STACK_TRACE_CHARS) + "\n\t... (truncated)";
  }

  private static UUID uuidOrNull(String text) {
    if (text == null) {
      return null;
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null; // a malformed header must not stop the dead-lettering
    }
  }
}
