package org.edapipeline.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InterleavingTest {

  @Test
  void shouldRotateTheStartingContenderEveryRound() {
    List<String> contenders = List.of("A", "B", "C");

    assertThat(Interleaving.round(contenders, 0)).containsExactly("A", "B", "C");
    assertThat(Interleaving.round(contenders, 1)).containsExactly("B", "C", "A");
    assertThat(Interleaving.round(contenders, 2)).containsExactly("C", "A", "B");
    assertThat(Interleaving.round(contenders, 3)).containsExactly("A", "B", "C");
  }

  @Test
  void shouldPutEveryContenderInEveryPositionOverAFullCycle() {
    List<String> contenders = List.of("A", "B", "C", "D");
    for (int position = 0; position < contenders.size(); position++) {
      int p = position;
      assertThat(
              java.util.stream.IntStream.range(0, contenders.size())
                  .mapToObj(r -> Interleaving.round(contenders, r).get(p))
                  .toList())
          .containsExactlyInAnyOrderElementsOf(contenders);
    }
  }
}
