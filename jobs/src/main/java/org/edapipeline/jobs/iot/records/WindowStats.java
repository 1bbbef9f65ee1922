package org.edapipeline.jobs.iot.records;

import com.tdunning.math.stats.MergingDigest;
import java.nio.ByteBuffer;

/**
 * Running statistics of one sensor's readings: count, min, max, sum and a t-digest for the
 * percentiles, kept as bytes so that Flink stores it as a plain POJO (no Kryo). Also the
 * accumulator of the tumbling windows, and what a window's slice carries to the sliding windows,
 * which merge slices instead of re-reading events.
 */
public class WindowStats {
  /** t-digest compression: about 100 centroids, p95 within a fraction of a percent. */
  static final double COMPRESSION = 100;

  public long count;
  public double min = Double.POSITIVE_INFINITY;
  public double max = Double.NEGATIVE_INFINITY;
  public double sum;

  /** The t-digest in its small byte form; null while empty. */
  public byte[] digest;

  /** For Flink's POJO serializer, and an empty accumulator. */
  public WindowStats() {}

  /** Adds one value. */
  public void add(double value) {
    MergingDigest sketch = sketch();
    sketch.add(value);
    store(sketch);
    count++;
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
  }

  /** Adds everything {@code other} holds. */
  public void merge(WindowStats other) {
    if (other.count == 0) {
      return;
    }
    MergingDigest sketch = sketch();
    sketch.add(java.util.List.of(other.sketch()));
    store(sketch);
    count += other.count;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    sum += other.sum;
  }

  public double mean() {
    return count == 0 ? Double.NaN : sum / count;
  }

  /** The estimated quantile {@code q} (0..1) of the values. */
  public double quantile(double q) {
    return count == 0 ? Double.NaN : sketch().quantile(q);
  }

  private MergingDigest sketch() {
    return digest == null
        ? new MergingDigest(COMPRESSION)
        : MergingDigest.fromBytes(ByteBuffer.wrap(digest));
  }

  private void store(MergingDigest sketch) {
    sketch.compress();
    ByteBuffer buffer = ByteBuffer.allocate(sketch.smallByteSize());
    sketch.asSmallBytes(buffer);
    digest = buffer.array();
  }
}
