package org.edapipeline.schemas.deadletter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.DeadLetterHeader;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.EventHeaders;

/**
 * The one builder of {@link DeadLetter}s, used by the Flink jobs, the services ({@code
 * service-kit}) and the CDC source, so every dead letter is filled the same way:
 *
 * <ul>
 *   <li>the original key and value bytes and the original headers, copied whole and in order (so
 *       the {@link EventHeaders#REPLAY_COUNT} of a replayed record survives the next failure);
 *   <li>provenance: source topic, partition, offset, Kafka timestamp;
 *   <li>who gave up ({@code jobName}, {@code operatorUid}) and why: category (by default {@link
 *       ErrorClassifier#classify}), error class, message, stack trace cut at {@value
 *       #MAX_STACK_TRACE_CHARS} characters, attempts, first and last failure time;
 *   <li>event id and correlation id: as given (from the decoded record's metadata), otherwise from
 *       the {@link EventHeaders#EVENT_ID} and {@link EventHeaders#CORRELATION_ID} headers.
 * </ul>
 *
 * <pre>{@code
 * DeadLetter letter = DeadLetters.from(consumerRecord)
 *     .failedIn("iot-aggregation", "iot-readings-source")
 *     .error(e)
 *     .attempts(3, firstFailure, lastFailure)
 *     .build();
 * }</pre>
 */
public final class DeadLetters {

  /** Stack traces are cut here, so that a dead letter stays a small record. */
  public static final int MAX_STACK_TRACE_CHARS = 8_000;

  /** Appended to a cut stack trace. */
  static final String TRUNCATED = "\n\t... (truncated)";

  private DeadLetters() {}

  /** An empty builder: set the original record with {@link Builder#original} and the source. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding the key, value, headers and provenance of a consumed record. */
  public static Builder from(ConsumerRecord<byte[], byte[]> record) {
    Builder builder =
        new Builder()
            .original(record.key(), record.value())
            .source(
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp() < 0 ? null : Instant.ofEpochMilli(record.timestamp()));
    for (Header header : record.headers()) {
      builder.header(header.key(), header.value());
    }
    return builder;
  }

  /** The stack trace of {@code error}, cut at {@value #MAX_STACK_TRACE_CHARS} characters. */
  public static String truncatedStackTrace(Throwable error) {
    return truncated(stackTrace(error));
  }

  private static String stackTrace(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static String truncated(String trace) {
    return trace.length() <= MAX_STACK_TRACE_CHARS
        ? trace
        : trace.substring(0, MAX_STACK_TRACE_CHARS) + TRUNCATED;
  }

  /** Collects the fields of one dead letter; {@link #build()} checks the required ones. */
  public static final class Builder {
    private byte[] key;
    private byte[] value;
    private final List<DeadLetterHeader> headers = new ArrayList<>();
    private String topic;
    private int partition = -1;
    private long offset = -1;
    private Instant timestamp;
    private String jobName;
    private String operatorUid;
    private Throwable error;
    private boolean withStackTrace = true;
    private ErrorCategory category;
    private int attempts = 1;
    private Instant firstFailureAt;
    private Instant lastFailureAt;
    private UUID eventId;
    private String correlationId;
    private UnaryOperator<String> masker = UnaryOperator.identity();

    private Builder() {}

    /** The original key and value bytes (either may be null), kept as they are. */
    public Builder original(byte[] key, byte[] value) {
      this.key = key;
      this.value = value;
      return this;
    }

    /** Appends one original header (a key may repeat; a null value stays null). */
    public Builder header(String headerKey, byte[] headerValue) {
      headers.add(
          new DeadLetterHeader(
              Objects.requireNonNull(headerKey, "header key"),
              headerValue == null ? null : ByteBuffer.wrap(headerValue)));
      return this;
    }

    /** Appends one original header as UTF-8 text, if {@code text} is not null. */
    public Builder header(String headerKey, String text) {
      return text == null ? this : header(headerKey, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Where the record came from; {@code partition} and {@code offset} are -1 when there is none
     * (e.g. a command the job produced itself), {@code timestamp} null when unknown.
     */
    public Builder source(String sourceTopic, int sourcePartition, long sourceOffset, Instant ts) {
      this.topic = sourceTopic;
      this.partition = sourcePartition;
      this.offset = sourceOffset;
      this.timestamp = ts;
      return this;
    }

    /** The job (or service) and the operator (or stage) that gave up on the record. */
    public Builder failedIn(String job, String operator) {
      this.jobName = job;
      this.operatorUid = operator;
      return this;
    }

    /** The failure: class, message and stack trace; the category unless set explicitly. */
    public Builder error(Throwable failure) {
      this.error = Objects.requireNonNull(failure, "error");
      return this;
    }

    /** Leaves the stack trace out (a failure decided by a rule, not thrown by code). */
    public Builder withoutStackTrace() {
      this.withStackTrace = false;
      return this;
    }

    /** The category; when not set, {@link ErrorClassifier#classify} of the error. */
    public Builder category(ErrorCategory errorCategory) {
      this.category = errorCategory;
      return this;
    }

    /** Attempts made (at least 1) and when the first and the last one failed. */
    public Builder attempts(int count, Instant first, Instant last) {
      this.attempts = Math.max(1, count);
      this.firstFailureAt = first;
      this.lastFailureAt = last;
      return this;
    }

    /** The event id when known from the decoded record; null to read the header. */
    public Builder eventId(UUID id) {
      this.eventId = id;
      return this;
    }

    /** The correlation id when known from the decoded record; null to read the header. */
    public Builder correlationId(String id) {
      this.correlationId = id;
      return this;
    }

    /** Masks secrets in the error message and the stack trace (before it is cut). */
    public Builder masking(UnaryOperator<String> secretMasker) {
      this.masker = Objects.requireNonNull(secretMasker, "masker");
      return this;
    }

    /**
     * The dead letter; failure times default to now.
     *
     * @throws IllegalStateException if the source topic, job, operator or error is missing
     */
    public DeadLetter build() {
      require(topic, "source topic");
      require(jobName, "job name");
      require(operatorUid, "operator uid");
      require(error, "error");
      Instant now = Instant.now();
      Instant last = lastFailureAt != null ? lastFailureAt : now;
      Instant first = firstFailureAt != null ? firstFailureAt : last;
      return DeadLetter.newBuilder()
          .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
          .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
          .setOriginalHeaders(List.copyOf(headers))
          .setSourceTopic(topic)
          .setSourcePartition(partition)
          .setSourceOffset(offset)
          .setSourceTimestamp(timestamp)
          .setJobName(jobName)
          .setOperatorUid(operatorUid)
          .setErrorCategory(category != null ? category : ErrorClassifier.classify(error))
          .setErrorClass(error.getClass().getName())
          .setErrorMessage(mask(error.getMessage()))
          .setStackTrace(hasStackTrace() ? truncated(mask(stackTrace(error))) : null)
          .setAttemptCount(attempts)
          .setFirstFailureAt(first)
          .setLastFailureAt(last)
          .setEventId(eventId != null ? eventId : uuidOrNull(lastHeader(EventHeaders.EVENT_ID)))
          .setCorrelationId(
              correlationId != null ? correlationId : lastHeader(EventHeaders.CORRELATION_ID))
          .build();
    }

    /** A rule's rejection built without a stack trace (and without cause) has none to keep. */
    private boolean hasStackTrace() {
      return withStackTrace && (error.getStackTrace().length > 0 || error.getCause() != null);
    }

    private String mask(String text) {
      return text == null ? null : masker.apply(text);
    }

    private String lastHeader(String name) {
      for (int i = headers.size() - 1; i >= 0; i--) {
        DeadLetterHeader header = headers.get(i);
        if (header.getKey().equals(name)) {
          ByteBuffer bytes = header.getValue();
          if (bytes == null || !bytes.hasRemaining()) {
            return null;
          }
          return StandardCharsets.UTF_8.decode(bytes.duplicate()).toString();
        }
      }
      return null;
    }

    private static void require(Object value, String what) {
      if (value == null) {
        throw new IllegalStateException("A dead letter needs its " + what);
      }
    }

    private static UUID uuidOrNull(String text) {
      if (text == null) {
        return null;
      }
      try {
        return UUID.fromString(text);
      } catch (IllegalArgumentException e) {
        return null; // a malformed header must not keep the record out of the DLQ
      }
    }
  }
}
