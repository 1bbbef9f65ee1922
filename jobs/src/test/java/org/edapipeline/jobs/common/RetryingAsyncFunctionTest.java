package org.edapipeline.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.edapipeline.outputs.ErrorCategory;
import org.junit.jupiter.api.Test;

/**
 * {@link RetryingAsyncFunction} on a local Flink job: transient failures are retried with growing
 * delays, a success after two failures gives the normal output only, an exhausted record gives
 * exactly one failure output after 3 attempts, and a permanent failure is not retried.
 */
class RetryingAsyncFunctionTest {

  private static final RetrySettings SETTINGS =
      new RetrySettings(
          3, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(5), 10);

  /** Attempt times (epoch millis) per input, written by the call on the function's threads. */
  private static final Map<String, List<Long>> ATTEMPTS = new ConcurrentHashMap<>();

  /** Fails transiently for inputs "flaky-*" twice, always for "down-*", at once for "bad-*". */
  private static final class Lookup implements RetryableCall<String, String> {
    @Override
    public String call(String input) throws Exception {
      List<Long> times = ATTEMPTS.computeIfAbsent(input, k -> new CopyOnWriteArrayList<>());
      times.add(System.currentTimeMillis());
      if (input.startsWith("down-") || (input.startsWith("flaky-") && times.size() <= 2)) {
        throw new ConnectException("registry refused the connection");
      }
      if (input.startsWith("bad-")) {
        throw new IllegalArgumentException("not a valid input");
      }
      return input.toUpperCase();
    }
  }

  /** Outputs "ok:<result>" or "dlq:<category>:<attempts>:<first>:<last>". */
  private static final class Lookups extends RetryingAsyncFunction<String, String, String> {
    Lookups() {
      super(new Lookup(), SETTINGS, 2);
    }

    @Override
    protected String onSuccess(String input, String result) {
      return "ok:" + result;
    }

    @Override
    protected boolean isRetryPending(String output) {
      String[] parts = output.split(":");
      return parts[0].equals("dlq")
          && parts[2].equals("TRANSIENT")
          && Integer.parseInt(parts[3]) < SETTINGS.maxAttempts();
    }

    @Override
    protected String onGiveUp(
        String input, Throwable error, ErrorCategory category, Attempts attempts) {
      return "dlq:"
          + input
          + ":"
          + category
          + ":"
          + attempts.count()
          + ":"
          + attempts.firstFailureAt().toEpochMilli()
          + ":"
          + attempts.lastFailureAt().toEpochMilli();
    }
  }

  /**
   * Runs {@code inputs} through the function, followed by fillers so that the input never ends
   * (Flink stops retrying when it does), and returns the outputs of the inputs.
   */
  private static List<String> run(String... inputs) throws Exception {
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    String[] items = inputs.clone();
    DataGeneratorSource<String> source =
        new DataGeneratorSource<>(
            index -> index < items.length ? items[(int) (long) index] : FILLER + index,
            Long.MAX_VALUE,
            RateLimiterStrategy.perSecond(20),
            Types.STRING);
    List<String> out = new ArrayList<>();
    try (CloseableIterator<String> results =
        RetryingAsyncFunction.apply(
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "inputs"),
                new Lookups(),
                Types.STRING,
                new NamedOperator("lookups", "Lookups"))
            .filter(result -> !result.startsWith("ok:" + FILLER.toUpperCase()))
            .executeAndCollect()) {
      while (out.size() < inputs.length && results.hasNext()) {
        out.add(results.next());
      }
    }
    return out;
  }

  private static final String FILLER = "filler-";

  @Test
  void shouldGiveTheNormalOutputAndNoFailureWhenTheThirdAttemptSucceeds() throws Exception {
    List<String> out = run("flaky-1", "fine-1");

    assertThat(out).containsExactlyInAnyOrder("ok:FLAKY-1", "ok:FINE-1");
    assertThat(ATTEMPTS.get("flaky-1")).hasSize(3);
    assertThat(ATTEMPTS.get("fine-1")).hasSize(1);
  }

  @Test
  void shouldGiveUpAfterThreeAttemptsWithGrowingDelays() throws Exception {
    List<String> out = run("down-1", "fine-2");

    assertThat(out).hasSize(2).contains("ok:FINE-2");
    List<Long> times = ATTEMPTS.get("down-1");
    assertThat(times).hasSize(3);
    long firstDelay = times.get(1) - times.get(0);
    long secondDelay = times.get(2) - times.get(1);
    // jittered in [3/4, 1] of 200 ms, then of 400 ms
    assertThat(firstDelay).isGreaterThanOrEqualTo(150);
    assertThat(secondDelay).isGreaterThanOrEqualTo(300).isGreaterThan(firstDelay);
    String failure = out.stream().filter(s -> s.startsWith("dlq:")).findFirst().orElseThrow();
    String[] parts = failure.split(":");
    assertThat(parts[1]).isEqualTo("down-1");
    assertThat(parts[2]).isEqualTo("TRANSIENT");
    assertThat(parts[3]).isEqualTo("3");
    assertThat(Long.parseLong(parts[4])).isBetween(times.get(0), times.get(1));
    assertThat(Long.parseLong(parts[5])).isGreaterThanOrEqualTo(times.get(2));
  }

  @Test
  void shouldNotRetryAPermanentFailure() throws Exception {
    List<String> out = run("bad-1");

    assertThat(out).singleElement().asString().startsWith("dlq:bad-1:PERMANENT:1:");
    assertThat(ATTEMPTS.get("bad-1")).hasSize(1);
  }
}
