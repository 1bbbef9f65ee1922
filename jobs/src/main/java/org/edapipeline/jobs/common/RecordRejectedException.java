package org.edapipeline.jobs.common;

import org.edapipeline.schemas.deadletter.RecordRejection;

/**
 * A record decoded fine but breaks a business rule (unknown device, value out of range...). It is
 * not thrown: it is what a function puts in a {@link org.edapipeline.outputs.DeadLetter} as the
 * error, with a stable {@link #reason()} code first in the message. No stack trace is captured: the
 * reason says it all, and rejections may be frequent. Classified PERMANENT ({@link
 * RecordRejection}).
 */
public class RecordRejectedException extends RuntimeException implements RecordRejection {
  private static final long serialVersionUID = 1L;

  private final String reason;

  /**
   * @param reason stable, machine-readable code, e.g. {@code UNKNOWN_DEVICE}
   * @param detail human explanation
   */
  public RecordRejectedException(String reason, String detail) {
    super(reason + ": " + detail, null, false, false);
    this.reason = reason;
  }

  /** The stable code of the rule that was broken. */
  public String reason() {
    return reason;
  }
}
