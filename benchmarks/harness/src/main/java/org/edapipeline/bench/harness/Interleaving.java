package org.edapipeline.bench.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * The order contenders run in: round {@code r} starts at contender {@code r mod n} and wraps (A B
 * C, B C A, C A B, A B C …), so each contender takes each position equally often and slow drift of
 * the machine (heat, page cache, a neighbour's build) is spread over all of them.
 */
public final class Interleaving {

  private Interleaving() {}

  /** The contenders of round {@code round} (0-based), in running order. */
  public static List<String> round(List<String> contenders, int round) {
    int n = contenders.size();
    List<String> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(contenders.get((round + i) % n));
    }
    return order;
  }
}
