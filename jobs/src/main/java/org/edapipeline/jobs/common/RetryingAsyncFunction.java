package org.edapipeline.jobs.common;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.deadletter.ErrorClassifier;

/**
 * Retries a {@link RetryableCall} with exponential backoff and jitter on Flink async I/O, without
 * blocking the task thread or other records: each attempt runs on the function's own threads, and
 * Flink's retry support ({@link AsyncDataStream#unorderedWaitWithRetry}) schedules the next one
 * after {@link BackoffRetryStrategy}'s delay, while the attempt's output is a pending failure
 * ({@link #isRetryPending}). A transient failure ({@link ErrorClassifier#isTransient}) is retried
 * until {@link RetrySettings#maxAttempts()} attempts were made; then, or at once for any other
 * failure, {@link #onGiveUp} turns the record into its failure output (a dead letter), with the
 * attempts and the first and last failure times.
 *
 * <p>Attempts of a record in flight are counted in memory. After a restore, Flink invokes the
 * records that were in flight again and their count starts over from {@link #priorAttempts}; a
 * record is therefore tried at most {@code maxAttempts} times per run, never lost.
 *
 * @param <IN> input records
 * @param <R> the call's result
 * @param <OUT> output records: the success or the failure output of each input, exactly one
 */
public abstract class RetryingAsyncFunction<IN, R, OUT> extends RichAsyncFunction<IN, OUT> {
  private static final long serialVersionUID = 1L;

  /** Attempts made for one record, and when the first and last failed. */
  public record Attempts(int count, Instant firstFailureAt, Instant lastFailureAt) {
    /** No attempt made yet. */
    public static final Attempts NONE = new Attempts(0, null, null);

    Attempts failedAt(Instant at) {
      return new Attempts(count + 1, firstFailureAt == null ? at : firstFailureAt, at);
    }
  }

  private final RetryableCall<IN, R> call;
  private final RetrySettings settings;
  private final int threads;

  private transient ScheduledExecutorService executor;
  private transient Map<IN, Attempts> inFlight;
  private transient Clock clock;

  /**
   * @param call the call to retry
   * @param settings attempts, backoff, timeouts and capacity
   * @param threads threads running the calls of one subtask
   */
  protected RetryingAsyncFunction(RetryableCall<IN, R> call, RetrySettings settings, int threads) {
    this.call = call;
    this.settings = settings;
    this.threads = threads;
  }

  /** The output of a successful call. */
  protected abstract OUT onSuccess(IN input, R result);

  /**
   * The failure output of a record (a dead letter): after {@code maxAttempts} transient failures
   * (category TRANSIENT), after one failure of another category, and also after each earlier
   * transient failure, as the output to emit if retrying stops early (Flink disables retries when
   * the input ends); {@link #isRetryPending} must recognise the latter.
   */
  protected abstract OUT onGiveUp(
      IN input, Throwable error, ErrorCategory category, Attempts attempts);

  /**
   * Whether {@code output} is the failure output of a transient failure with fewer than {@code
   * maxAttempts} attempts, i.e. to be retried. A pure function of the output and the settings.
   */
  protected abstract boolean isRetryPending(OUT output);

  /**
   * Attempts made before the record reached this function (e.g. 1 for a record whose decoding
   * already failed once in the source). With prior attempts, the first call here waits for the
   * backoff of the next retry.
   */
  protected Attempts priorAttempts(IN input) {
    return Attempts.NONE;
  }

  /** The category of a failure of the call; TRANSIENT ones are retried. */
  protected ErrorCategory classify(Throwable error) {
    return ErrorClassifier.classify(error);
  }

  /** The settings this function retries with. */
  public RetrySettings settings() {
    return settings;
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    AtomicInteger number = new AtomicInteger();
    String name = getClass().getSimpleName();
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(
            threads,
            task -> {
              Thread thread = new Thread(task, name + "-" + number.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.setRemoveOnCancelPolicy(true);
    executor = pool;
    inFlight = Collections.synchronizedMap(new IdentityHashMap<>());
    clock = Clock.systemUTC();
    call.open();
  }

  @Override
  public void close() throws Exception {
    if (executor != null) {
      executor.shutdownNow();
    }
    call.close();
  }

  @Override
  public void asyncInvoke(IN input, ResultFuture<OUT> resultFuture) {
    // Flink's retry invokes again with the same input object: its attempts are kept by identity.
    Attempts known = inFlight.get(input);
    long delay = 0;
    if (known == null) {
      Attempts prior = priorAttempts(input);
      inFlight.put(input, prior);
      if (prior.count() > 0) {
        delay = BackoffRetryStrategy.jittered(settings.backoffCeilingMillis(prior.count()));
      }
    }
    executor.schedule(() -> attempt(input, resultFuture), delay, TimeUnit.MILLISECONDS);
  }

  private void attempt(IN input, ResultFuture<OUT> resultFuture) {
    CompletableFuture.supplyAsync(() -> callUnchecked(input), executor)
        .orTimeout(settings.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (result, error) -> {
              if (error == null) {
                forget(input);
                resultFuture.complete(List.of(onSuccess(input, result)));
              } else {
                failed(input, unwrap(error), resultFuture);
              }
            });
  }

  private void failed(IN input, Throwable error, ResultFuture<OUT> resultFuture) {
    Attempts attempts = inFlight.getOrDefault(input, Attempts.NONE).failedAt(clock.instant());
    ErrorCategory category = classify(error);
    if (category == ErrorCategory.TRANSIENT && attempts.count() < settings.maxAttempts()) {
      // The failure output so far: the strategy retries while isRetryPending says so; if Flink
      // stops retrying (the input ended: it disables retries then), it is emitted, never lost.
      inFlight.put(input, attempts);
    } else {
      forget(input);
    }
    resultFuture.complete(List.of(onGiveUp(input, error, category, attempts)));
  }

  /** Past the async operator's overall timeout: given up as TRANSIENT, never failing the job. */
  @Override
  public void timeout(IN input, ResultFuture<OUT> resultFuture) {
    Attempts attempts = inFlight.getOrDefault(input, Attempts.NONE).failedAt(clock.instant());
    forget(input);
    resultFuture.complete(
        List.of(
            onGiveUp(
                input,
                new TimeoutException("retries not done within " + settings.totalTimeout()),
                ErrorCategory.TRANSIENT,
                attempts)));
  }

  private void forget(IN input) {
    inFlight.remove(input);
  }

  private R callUnchecked(IN input) {
    try {
      return call.call(input);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Adds {@code function} to the graph as an unordered async stage with retries: a record in retry
   * never holds back records of other keys; Flink's unordered mode still keeps every record before
   * the watermarks that followed it, so a retried record is not made late by its retries.
   */
  public static <IN, OUT> SingleOutputStreamOperator<OUT> apply(
      DataStream<IN> input,
      RetryingAsyncFunction<IN, ?, OUT> function,
      TypeInformation<OUT> outputType,
      NamedOperator operator) {
    RetrySettings settings = function.settings();
    return operator.apply(
        AsyncDataStream.unorderedWaitWithRetry(
                input,
                function,
                settings.totalTimeout().toMillis(),
                TimeUnit.MILLISECONDS,
                settings.capacity(),
                new BackoffRetryStrategy<OUT>(settings, function::isRetryPending))
            .returns(outputType));
  }
}
