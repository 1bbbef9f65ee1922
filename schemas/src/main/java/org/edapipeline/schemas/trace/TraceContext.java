package org.edapipeline.schemas.trace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A W3C trace context (<a href="https://www.w3.org/TR/trace-context/#traceparent-header">{@code
 * traceparent}</a>): trace id, span id and the sampled flag, parsed and formatted without any
 * tracing library, and the one rule every hop of the pipeline follows to derive its own span.
 *
 * <p><b>One rule for every hop</b> (the CDC publish, each job output, each dead letter): the output
 * keeps the input's trace id and gets a new span id whose parent is the input's span, {@link
 * #childOf(String, String) childOf(inputTraceparent, outputId)}. The new span id is <em>derived
 * </em>, not random: the first 8 bytes of SHA-256 over the parent's span id and a seed that
 * identifies the output (its event id, or what makes it unique). So a replay, a restored Flink job
 * or a CDC batch sent again writes byte-identical headers, and the spans a hop exports (see {@link
 * Tracing}) have exactly the ids written into the headers.
 *
 * <p>An input without a valid {@code traceparent} (absent, malformed, all-zero ids, version {@code
 * ff}) starts a new trace whose ids are derived from the seed alone ({@link #root(String)}), so
 * that case is deterministic too. Nothing here throws on bad input.
 *
 * <p>Instances are immutable. Formatting always writes version {@code 00}; only the sampled flag is
 * kept from the parent (the other bits are undefined in version {@code 00}).
 */
public final class TraceContext {

  /** The only version this class writes. */
  public static final String VERSION = "00";

  private static final int TRACEPARENT_LENGTH = 55; // 2 + 1 + 32 + 1 + 16 + 1 + 2
  private static final String INVALID_TRACE_ID = "0".repeat(32);
  private static final String INVALID_SPAN_ID = "0".repeat(16);
  private static final HexFormat HEX = HexFormat.of();

  private final String traceId;
  private final String spanId;
  private final boolean sampled;

  private TraceContext(String traceId, String spanId, boolean sampled) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.sampled = sampled;
  }

  /**
   * Parses a {@code traceparent} header value, as W3C Trace Context Level 1 says a receiver must:
   * lowercase hex, version {@code 00} exactly 55 characters, a higher version at least 55 with
   * {@code -} after the flags if longer, version {@code ff}, an all-zero trace id or span id
   * invalid. Surrounding whitespace is ignored.
   *
   * @return the context, or null if {@code traceparent} is null or invalid (never throws)
   */
  public static TraceContext parse(String traceparent) {
    if (traceparent == null) {
      return null;
    }
    String value = traceparent.strip();
    if (value.length() < TRACEPARENT_LENGTH
        || value.charAt(2) != '-'
        || value.charAt(35) != '-'
        || value.charAt(52) != '-') {
      return null;
    }
    String version = value.substring(0, 2);
    if (!isLowerHex(version) || version.equals("ff")) {
      return null;
    }
    if (version.equals(VERSION)
        ? value.length() != TRACEPARENT_LENGTH
        : value.length() > TRACEPARENT_LENGTH && value.charAt(TRACEPARENT_LENGTH) != '-') {
      return null;
    }
    String traceId = value.substring(3, 35);
    String spanId = value.substring(36, 52);
    String flags = value.substring(53, 55);
    if (!isLowerHex(traceId)
        || !isLowerHex(spanId)
        || !isLowerHex(flags)
        || traceId.equals(INVALID_TRACE_ID)
        || spanId.equals(INVALID_SPAN_ID)) {
      return null;
    }
    return new TraceContext(traceId, spanId, (Integer.parseInt(flags, 16) & 0x01) != 0);
  }

  /**
   * The span of an output of a hop: a child of {@code parentTraceparent}'s span, or, if that is
   * null or invalid, the root of a new trace ({@link #root(String)}).
   *
   * @param parentTraceparent the input's {@code traceparent}; may be null or malformed
   * @param seed what identifies the output (its event id): equal seeds and parents give equal spans
   */
  public static TraceContext childOf(String parentTraceparent, String seed) {
    TraceContext parent = parse(parentTraceparent);
    return parent == null ? root(seed) : parent.child(seed);
  }

  /**
   * The root span of a new, sampled trace, with trace id and span id derived from {@code seed}: the
   * same seed always gives the same trace.
   */
  public static TraceContext root(String seed) {
    byte[] hash = sha256("root", String.valueOf(seed));
    String traceId = nonZero(HEX.formatHex(hash, 0, 16), INVALID_TRACE_ID);
    String spanId = nonZero(HEX.formatHex(hash, 16, 24), INVALID_SPAN_ID);
    return new TraceContext(traceId, spanId, true);
  }

  /**
   * A child span: this trace id and sampled flag, a span id derived from this span id and {@code
   * seed}.
   */
  public TraceContext child(String seed) {
    byte[] hash = sha256(spanId, String.valueOf(seed));
    return new TraceContext(traceId, nonZero(HEX.formatHex(hash, 0, 8), INVALID_SPAN_ID), sampled);
  }

  /** The 32 lowercase hex digits of the trace id. */
  public String traceId() {
    return traceId;
  }

  /** The 16 lowercase hex digits of the span id. */
  public String spanId() {
    return spanId;
  }

  /** Whether the sampled flag is set. */
  public boolean sampled() {
    return sampled;
  }

  /** The {@code traceparent} header value, version {@code 00}. */
  public String traceparent() {
    return VERSION + '-' + traceId + '-' + spanId + '-' + (sampled ? "01" : "00");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceContext other
        && sampled == other.sampled
        && traceId.equals(other.traceId)
        && spanId.equals(other.spanId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(traceId, spanId, sampled);
  }

  @Override
  public String toString() {
    return traceparent();
  }

  private static boolean isLowerHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** An all-zero id is invalid: replace it by a fixed valid one (probability 2^-64). */
  private static String nonZero(String id, String zero) {
    return id.equals(zero) ? zero.substring(1) + '1' : id;
  }

  private static byte[] sha256(String first, String second) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
    digest.update(first.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0x1f); // unit separator: "ab"+"c" and "a"+"bc" differ
    return digest.digest(second.getBytes(StandardCharsets.UTF_8));
  }
}
