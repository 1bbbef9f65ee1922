package org.edapipeline.schemas.serde;

/** How a dead-letter handler should treat a {@link WireFormatException}. */
public enum FailureCategory {
  /** May succeed later (the registry was unreachable): retry with backoff before giving up. */
  TRANSIENT,
  /** Will fail the same way every time: send the record to the dead-letter queue at once. */
  PERMANENT
}
