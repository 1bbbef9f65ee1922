package org.edapipeline.jobs.iot.records;

import com.tdunning.math.stats.MergingDigest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Running statistics of one sensor's readings: count, min, max, sum and a t-digest for the
 * percentiles, kept as bytes so that Flink stores it as a plain POJO (no Kryo). Also the
 * accumulator of the tumbling windows, and what a window's slice carries to the sliding windows,
 * which merge slices instead of re-reading events.
 *
 * <p>Cheap per value: count, min, max and sum are plain fields, and values reach the t-digest in
 * batches of {@value #BATCH} ({@link #pending} until then), so decoding, compressing and encoding
 * the digest costs once per batch instead of once per reading. The result depends only on the
 * values and their order, so a replay after a restore computes the same digest.
 */
public class WindowStats {
  /** t-digest compression: about 100 centroids, p95 within a fraction of a percent. */
  static final double COMPRESSION = 100;

  /** Values collected before they are added to the digest. */
  static final int BATCH = 32;

  public long count;
  public double min = Double.POSITIVE_INFINITY;
  public double max = Double.NEGATIVE_INFINITY;
  public double sum;

  /** The t-digest in its small byte form; null until the first batch. */
  public byte[] digest;

  /** Values not in {@link #digest} yet, fewer than {@value #BATCH}; null for none. */
  public double[] pending;

  /** For Flink's POJO serializer, and an empty accumulator. */
  public WindowStats() {}

  /** Adds one value. */
  public void add(double value) {
    int waiting = pending == null ? 0 : pending.length;
    if (waiting + 1 < BATCH) {
      pending = pending == null ? new double[1] : Arrays.copyOf(pending, waiting + 1);
      pending[waiting] = value;
    } else {
      MergingDigest sketch = sketch();
      sketch.add(value);
      store(sketch);
    }
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
    sketch.add(List.of(other.sketch()));
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

  /** The digest with the pending values in it (this object is left unchanged). */
  private MergingDigest sketch() {
    MergingDigest sketch =
        digest == null
            ? new MergingDigest(COMPRESSION)
            : MergingDigest.fromBytes(ByteBuffer.wrap(digest));
    if (pending != null) {
      for (double value : pending) {
        sketch.add(value);
      }
    }
    return sketch;
  }

  /** Keeps {@code sketch}, which holds every value so far, as the digest. */
  private void store(MergingDigest sketch) {
    sketch.compress();
    ByteBuffer buffer = ByteBuffer.allocate(sketch.smallByteSize());
    sketch.asSmallBytes(buffer);
    digest = buffer.array();
    pending = null;
  }
}
