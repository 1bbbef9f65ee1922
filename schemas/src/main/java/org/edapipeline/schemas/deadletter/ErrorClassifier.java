package org.edapipeline.schemas.deadletter;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.common.errors.RetriableException;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.registry.RegistryUnavailableException;
import org.edapipeline.schemas.serde.FailureCategory;
import org.edapipeline.schemas.serde.WireFormatException;

/**
 * The one mapping from exception types to dead-letter categories, used by the Flink jobs (and
 * documented in {@code jobs/README.md}). The exception and its causes are examined, outermost
 * first; the first rule that matches wins:
 *
 * <table>
 *   <caption>Exception types and their category</caption>
 *   <tr><th>exception (or a cause)</th><th>category</th><th>why</th></tr>
 *   <tr><td>{@link WireFormatException} whose {@code category()} is transient
 *       ({@code SchemaRegistryUnreachableException}), {@link RegistryUnavailableException},
 *       {@link ConnectException}, {@link NoRouteToHostException}, {@link SocketTimeoutException},
 *       {@link HttpTimeoutException}, {@link InterruptedIOException}, {@link TimeoutException},
 *       Kafka's {@link RetriableException}</td>
 *       <td>TRANSIENT</td><td>a dependency is away or slow: retrying later may succeed</td></tr>
 *   <tr><td>a {@link RecordRejection} (the jobs' {@code RecordRejectedException}, the saga's
 *       failures)</td><td>PERMANENT</td><td>the record decoded but broke a rule</td></tr>
 *   <tr><td>any other {@link WireFormatException} (bad magic byte, unknown schema id, corrupt or
 *       truncated Avro, schema mismatch, missing payload), {@link AvroRuntimeException}</td>
 *       <td>POISON</td><td>the bytes do not decode</td></tr>
 *   <tr><td>anything else</td><td>the caller's fallback: POISON while decoding ({@link
 *       #classifyDecoding}), PERMANENT while processing ({@link #classify})</td>
 *       <td>an unexpected failure is not retried blindly</td></tr>
 * </table>
 */
public final class ErrorClassifier {

  /** Causes examined at most, so a cyclic cause chain cannot loop. */
  private static final int MAX_DEPTH = 16;

  private ErrorClassifier() {}

  /** The category of a failure while processing a decoded record; unknown ones are PERMANENT. */
  public static ErrorCategory classify(Throwable error) {
    return classify(error, ErrorCategory.PERMANENT);
  }

  /** The category of a failure while decoding a record's bytes; unknown ones are POISON. */
  public static ErrorCategory classifyDecoding(Throwable error) {
    return classify(error, ErrorCategory.POISON);
  }

  /** Whether retrying {@code error} later may help. */
  public static boolean isTransient(Throwable error) {
    return classify(error) == ErrorCategory.TRANSIENT;
  }

  /** The category of {@code error}, or {@code fallback} when no rule of the table matches. */
  public static ErrorCategory classify(Throwable error, ErrorCategory fallback) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
      ErrorCategory category = categoryOf(t);
      if (category != null) {
        return category;
      }
    }
    return fallback;
  }

  private static ErrorCategory categoryOf(Throwable t) {
    if (t instanceof WireFormatException wire) {
      return wire.category() == FailureCategory.TRANSIENT
          ? ErrorCategory.TRANSIENT
          : ErrorCategory.POISON;
    }
    if (t instanceof RegistryUnavailableException
        || t instanceof ConnectException
        || t instanceof NoRouteToHostException
        || t instanceof SocketTimeoutException
        || t instanceof HttpTimeoutException
        || t instanceof InterruptedIOException
        || t instanceof TimeoutException
        || t instanceof RetriableException) {
      return ErrorCategory.TRANSIENT;
    }
    if (t instanceof RecordRejection) {
      return ErrorCategory.PERMANENT;
    }
    if (t instanceof AvroRuntimeException) {
      return ErrorCategory.POISON;
    }
    return null;
  }
}
