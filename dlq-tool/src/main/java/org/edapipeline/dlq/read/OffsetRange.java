package org.edapipeline.dlq.read;

/**
 * The offsets of one partition: records {@code [start, end)} are there to read.
 *
 * @param start the log start offset (records before it were purged or expired)
 * @param end the last stable offset: the end of what a {@code read_committed} consumer sees
 */
public record OffsetRange(long start, long end) {

  public OffsetRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad offset range [" + start + ", " + end + ")");
    }
  }

  /** Records in the range. */
  public long size() {
    return end - start;
  }

  /** {@code offset} moved into the range: a position to read from. */
  public long clamp(long offset) {
    return Math.max(start, Math.min(end, offset));
  }
}
