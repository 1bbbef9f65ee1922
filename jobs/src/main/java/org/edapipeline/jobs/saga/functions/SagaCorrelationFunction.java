package org.edapipeline.jobs.saga.functions;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.edapipeline.jobs.common.TracingFactory;
import org.edapipeline.jobs.common.TracingOptions;
import org.edapipeline.jobs.saga.SagaOptions;
import org.edapipeline.jobs.saga.records.SagaCommand;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.edapipeline.jobs.saga.state.SagaSettings;
import org.edapipeline.jobs.saga.state.SagaState;
import org.edapipeline.jobs.saga.state.SagaStateMachine;
import org.edapipeline.jobs.saga.state.SagaTrace;
import org.edapipeline.jobs.saga.state.SagaTransition;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.schemas.trace.EventLogContext;
import org.edapipeline.schemas.trace.HopSpan;
import org.edapipeline.schemas.trace.TraceContext;
import org.edapipeline.schemas.trace.Tracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Correlates the events of each order saga, keyed by order id, and drives it with {@link
 * SagaStateMachine}: status changes on the main output (to {@code saga.state}), compensation
 * commands on {@link #COMMANDS} (to {@code saga.commands}), unknown sagas and unacknowledged
 * compensations on {@link #DEAD_LETTERS}.
 *
 * <p><b>State</b> (keyed by order id): the saga ({@link SagaState}, a POJO) and the event ids seen
 * (a map with a TTL, the dedupe set). Both are cleared by the retention timer after the saga ended,
 * or once an unknown saga was reported.
 *
 * <p><b>Time domain: processing time.</b> A saga has one pending timer, the deadline its state asks
 * for (step, compensation, unknown saga or retention); a timer that no longer matches the state is
 * ignored, and the state forgets a deadline the moment it fires, so each deadline acts exactly
 * once, also after a restore (timers are part of the keyed state in checkpoints and savepoints).
 * Processing-time timers fire while the inputs are idle, which event-time timers cannot: with every
 * partition idle, no watermark advances. Deadlines count from when the job saw the saga enter a
 * status, so a backlog being replayed does not time sagas out. See the {@code jobs} README, "Saga
 * correlation".
 *
 * <p><b>Deadlines behind a backlog.</b> A deadline detects a silent service, not a busy pipeline:
 * when a deadline comes due while this subtask is receiving events that are more than {@link
 * SagaSettings#backlogTolerance()} old ({@link InputBacklog}), the awaited event is probably still
 * queued, so the deadline is postponed by the backlog (re-registered, and the state's {@code
 * wakeUpAt} moved with it) and counted in {@code deadlinesPostponed}. An idle or caught-up subtask
 * applies it. After a start or restore, deadlines due within the tolerance wait until it has
 * passed.
 *
 * <p><b>Trace context</b>: each output's {@code traceparent} is a child of its cause's span,
 * derived from its id ({@link org.edapipeline.jobs.saga.state.SagaTrace}). Each event processed
 * (and each deadline fired) has the logging context of its ids ({@link EventLogContext}) and, when
 * tracing is on, its spans ({@link SagaSpans}).
 *
 * <p><b>Metrics</b>: see {@link SagaMetrics}; the in-flight count is kept in operator state so the
 * gauge survives restores (its sum over subtasks also survives rescaling).
 */
public class SagaCorrelationFunction
    extends KeyedProcessFunction<String, SagaEvent, SagaStateChanged>
    implements CheckpointedFunction {

  private static final long serialVersionUID = 1L;

  private static final Logger LOG = LoggerFactory.getLogger(SagaCorrelationFunction.class);

  /** Postponements are logged at most this often per subtask (and counted in the metric). */
  private static final long POSTPONED_LOG_INTERVAL_MILLIS = 60_000;

  /** Stable uid of the operator running this function: savepoint state maps to it. */
  public static final String UID = "saga-correlation";

  /** Name of the operator in the web UI. */
  public static final String NAME = "Saga correlation";

  /** Compensation commands, for {@code saga.commands}. */
  public static final OutputTag<SagaCommand> COMMANDS =
      new OutputTag<>("saga-commands", TypeInformation.of(SagaCommand.class));

  /** Unknown sagas and unacknowledged compensations, for the dead-letter queues. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("saga-dead-letters", new AvroTypeInfo<>(DeadLetter.class));

  private final SagaSettings settings;
  private final Duration dedupeTtl;
  private final String jobName;
  private final TracingFactory tracingFactory;

  private transient Tracing tracing;
  private transient SagaSpans spans;
  private transient SagaStateMachine machine;
  private transient ValueState<SagaState> sagaState;
  private transient MapState<String, Boolean> seenEventIds;
  private transient ListState<Long> inFlightState;
  private transient long inFlightRestored;

  private transient SagaMetrics metrics;
  private transient InputBacklog backlog;
  private transient long postponedSinceLog;
  private transient long postponedLoggedAt;

  /**
   * Creates the function.
   *
   * @param settings deadlines and retry budget
   * @param dedupeTtl how long event ids are remembered at most (the retention timer clears them
   *     sooner); at least {@link SagaSettings#retention()}
   * @param jobName job name written into dead letters
   */
  public SagaCorrelationFunction(SagaSettings settings, Duration dedupeTtl, String jobName) {
    this(settings, dedupeTtl, jobName, TracingFactory.disabled());
  }

  /**
   * Creates the function with tracing.
   *
   * @param tracing gives each subtask its {@link Tracing} in {@link #open}: the spans of the saga
   *     steps and of the outputs they write
   * @see #SagaCorrelationFunction(SagaSettings, Duration, String)
   */
  public SagaCorrelationFunction(
      SagaSettings settings, Duration dedupeTtl, String jobName, TracingFactory tracing) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.dedupeTtl = Objects.requireNonNull(dedupeTtl, "dedupeTtl");
    this.jobName = Objects.requireNonNull(jobName, "jobName");
    this.tracingFactory = Objects.requireNonNull(tracing, "tracing");
    if (dedupeTtl.compareTo(settings.retention()) < 0) {
      throw new IllegalArgumentException(
          "dedupeTtl " + dedupeTtl + " is shorter than the retention " + settings.retention());
    }
  }

  /** The function configured by {@link SagaOptions}. */
  public static SagaCorrelationFunction fromConfig(ReadableConfig config, String jobName) {
    return new SagaCorrelationFunction(
        SagaOptions.settings(config),
        SagaOptions.dedupeTtl(config),
        jobName,
        TracingOptions.factory(config, jobName));
  }

  @Override
  public void open(OpenContext openContext) {
    // One memo of the sagas' trace roots for the step spans and the outputs' traceparents.
    SagaTrace.Parents traces = new SagaTrace.Parents();
    machine = new SagaStateMachine(settings, jobName, UID, traces);
    sagaState =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("saga", TypeInformation.of(SagaState.class)));
    MapStateDescriptor<String, Boolean> seen =
        new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.BOOLEAN);
    seen.enableTimeToLive(StateTtlConfig.newBuilder(dedupeTtl).build());
    seenEventIds = getRuntimeContext().getMapState(seen);

    metrics = new SagaMetrics(getRuntimeContext().getMetricGroup(), inFlightRestored);
    backlog = new InputBacklog(settings.backlogTolerance().toMillis(), startTime());
    // Per TaskManager JVM, created here from the job's options, never serialized.
    tracing = tracingFactory.open();
    spans = new SagaSpans(tracing, traces);
  }

  /** The processing time now, by the operator's clock (the test harness's in tests). */
  private long startTime() {
    if (getRuntimeContext() instanceof StreamingRuntimeContext streaming) {
      return streaming.getProcessingTimeService().getCurrentProcessingTime();
    }
    return System.currentTimeMillis();
  }

  @Override
  public void close() throws Exception {
    if (tracing != null) {
      tracing.close();
    }
    super.close();
  }

  @Override
  public void processElement(SagaEvent event, Context ctx, Collector<SagaStateChanged> out)
      throws Exception {
    // Every event read, duplicates included, says how far behind the input this subtask is.
    backlog.onEvent(ctx.timerService().currentProcessingTime(), event.occurredAt);
    TraceContext step = spans.stepOf(event);
    // Every log line while the event is processed carries its ids (logging context).
    try (EventLogContext log = EventLogContext.open(event.eventId, event.orderId, step);
        HopSpan span = spans.startStep(event, step)) {
      if (seenEventIds.contains(event.eventId)) {
        metrics.duplicate();
        span.attribute("edapipeline.saga.outcome", "duplicate");
        return;
      }
      long now = ctx.timerService().currentProcessingTime();
      SagaState before = sagaState.value();
      long pendingTimer = before == null ? 0 : before.wakeUpAt;
      SagaTransition transition = machine.onEvent(before, event, now);
      if (transition.state() != null) {
        // Late events are remembered too: a redelivery of one is a duplicate, not a second late
        // one.
        seenEventIds.put(event.eventId, Boolean.TRUE);
      }
      apply(transition, pendingTimer, ctx.timerService(), ctx::output, out, step);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<SagaStateChanged> out)
      throws Exception {
    SagaState state = sagaState.value();
    if (postponed(state, timestamp, ctx.timerService())) {
      return;
    }
    String orderId = ctx.getCurrentKey();
    String placed = state == null || state.placed == null ? null : state.placed.traceparent;
    TraceContext step = spans.deadlineOf(placed, orderId, timestamp);
    try (EventLogContext log = EventLogContext.open(null, orderId, step);
        HopSpan span = spans.startDeadline(orderId, step, placed, state)) {
      SagaTransition transition = machine.onTimer(state, timestamp);
      // The timer that fired is gone: nothing to delete.
      apply(transition, 0, ctx.timerService(), ctx::output, out, step);
    }
  }

  /**
   * Postpones the deadline that fired at {@code timestamp} if this subtask is behind its input:
   * moves the state's wake-up and registers its timer. Returns whether it did.
   */
  private boolean postponed(SagaState state, long timestamp, TimerService timers) throws Exception {
    long now = timers.currentProcessingTime();
    long delay = backlog.postponeMillis(now);
    if (delay <= 0 || !machine.postponeDeadline(state, timestamp, now + delay)) {
      return false;
    }
    sagaState.update(state);
    timers.registerProcessingTimeTimer(state.wakeUpAt);
    metrics.deadlinePostponed();
    logPostponed(now);
    return true;
  }

  private void logPostponed(long now) {
    postponedSinceLog++;
    if (postponedLoggedAt != 0 && now - postponedLoggedAt < POSTPONED_LOG_INTERVAL_MILLIS) {
      return;
    }
    LOG.info(
        "Postponed {} saga deadline(s) since the last report: this subtask is {} ms behind its"
            + " input (tolerance {})",
        postponedSinceLog,
        backlog.lagMillis(),
        settings.backlogTolerance());
    postponedSinceLog = 0;
    postponedLoggedAt = now;
  }

  /** Deadlines this subtask postponed since it started (the {@code deadlinesPostponed} metric). */
  long deadlinesPostponed() {
    return metrics.deadlinesPostponed();
  }

  private interface SideOutput {
    <X> void output(OutputTag<X> tag, X value);
  }

  private void apply(
      SagaTransition transition,
      long pendingTimer,
      TimerService timers,
      SideOutput side,
      Collector<SagaStateChanged> out,
      TraceContext step)
      throws Exception {
    metrics.record(transition);
    for (SagaStateChanged change : transition.changes()) {
      spans.output(change.getMetadata(), step);
      out.collect(change);
    }
    for (SagaCommand command : transition.commands()) {
      spans.output(command.metadata(), step);
      side.output(COMMANDS, command);
    }
    for (DeadLetter deadLetter : transition.deadLetters()) {
      side.output(DEAD_LETTERS, deadLetter);
    }
    switch (transition.outcome()) {
      case CLEARED -> {
        // The saga is over (retention passed) or was reported (unknown): forget all of it.
        sagaState.clear();
        seenEventIds.clear();
        deleteTimer(timers, pendingTimer);
      }
      case APPLIED -> {
        SagaState state = transition.state();
        sagaState.update(state);
        if (state.wakeUpAt != pendingTimer) {
          deleteTimer(timers, pendingTimer);
          if (state.wakeUpAt != 0) {
            timers.registerProcessingTimeTimer(state.wakeUpAt);
          }
        }
      }
      default -> {}
    }
  }

  private static void deleteTimer(TimerService timers, long timestamp) {
    if (timestamp != 0) {
      timers.deleteProcessingTimeTimer(timestamp);
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    inFlightState.update(List.of(metrics == null ? inFlightRestored : metrics.inFlight()));
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    // Operator (not keyed) state: on rescaling the entries are spread over the new subtasks, so
    // the gauge keeps its sum across subtasks even though each subtask's share is approximate.
    inFlightState =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("sagas-in-flight", Types.LONG));
    inFlightRestored = 0;
    for (Long count : inFlightState.get()) {
      inFlightRestored += count;
    }
  }
}
