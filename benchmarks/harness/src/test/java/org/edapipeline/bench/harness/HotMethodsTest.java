package org.edapipeline.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotMethodsTest {

  private static volatile long sink;

  @Test
  void shouldFindTheMethodThatBurnsTheCpuInARealRecording(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("profile.jfr");
    Instant from;
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      recording.start();
      from = Instant.now();
      long deadline = System.nanoTime() + Duration.ofMillis(1500).toNanos();
      while (System.nanoTime() < deadline) {
        sink += burn(sink);
      }
      recording.stop();
      recording.dump(file);
    }

    HotMethods all = new HotMethods();
    all.add(file, Optional.empty());
    HotMethods none = new HotMethods();
    none.add(file, Optional.of(new MeasuredInterval(from.minusSeconds(60), from.minusSeconds(30))));

    assertThat(all.total()).isPositive();
    assertThat(all.top(3))
        .extracting(HotMethods.Entry::method)
        .contains(HotMethodsTest.class.getName() + ".burn");
    assertThat(none.total()).isZero();
    // Nothing of a pipeline ran: no cost centre has samples.
    assertThat(all.centres()).isEmpty();
  }

  @Test
  void shouldRankBySamplesWithTheirShare() {
    HotMethods hot = new HotMethods();
    hot.add("a.B.c", 1);
    hot.add("x.Y.z", 3);

    assertThat(hot.top(1)).containsExactly(new HotMethods.Entry("x.Y.z", 3, 0.75));
  }

  private static long burn(long seed) {
    long x = seed;
    for (int i = 0; i < 100_000; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    return x;
  }
}
