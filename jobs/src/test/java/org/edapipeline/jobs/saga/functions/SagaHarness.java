package org.edapipeline.jobs.saga.functions;

import static org.edapipeline.jobs.saga.SagaTestEvents.JOB;
import static org.edapipeline.jobs.saga.SagaTestEvents.SETTINGS;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.edapipeline.jobs.common.TracingFactory;
import org.edapipeline.jobs.saga.records.SagaCommand;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStatus;

/**
 * A {@link SagaCorrelationFunction} in Flink's keyed operator test harness, with generic types
 * disabled ({@code pipeline.generic-types: false}) so any Kryo fallback fails the test.
 */
final class SagaHarness implements AutoCloseable {

  /** Dedupe TTL of the function under test: longer than the test retention. */
  static final Duration DEDUPE_TTL = Duration.ofDays(1);

  final KeyedOneInputStreamOperatorTestHarness<String, SagaEvent, SagaStateChanged> harness;

  private final SagaCorrelationFunction function;

  private SagaHarness(OperatorSubtaskState restoreFrom) throws Exception {
    this(restoreFrom, TracingFactory.disabled());
  }

  private SagaHarness(OperatorSubtaskState restoreFrom, TracingFactory tracing) throws Exception {
    this(restoreFrom, tracing, 0);
  }

  private SagaHarness(OperatorSubtaskState restoreFrom, TracingFactory tracing, long startAt)
      throws Exception {
    function = new SagaCorrelationFunction(SETTINGS, DEDUPE_TTL, JOB, tracing);
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(function), (SagaEvent e) -> e.orderId, Types.STRING);
    Configuration noGenericTypes = new Configuration();
    noGenericTypes.set(PipelineOptions.GENERIC_TYPES, false);
    harness
        .getExecutionConfig()
        .getSerializerConfig()
        .configure(noGenericTypes, SagaHarness.class.getClassLoader());
    // Before any timer exists: the subtask starts at this processing time.
    harness.setProcessingTime(startAt);
    if (restoreFrom != null) {
      harness.initializeState(restoreFrom);
    }
    harness.open();
  }

  /** A fresh operator. */
  static SagaHarness open() throws Exception {
    return new SagaHarness(null);
  }

  /** A fresh operator whose subtask traces with {@code tracing}. */
  static SagaHarness open(TracingFactory tracing) throws Exception {
    return new SagaHarness(null, tracing);
  }

  /** An operator restored from a snapshot (a checkpoint or savepoint of another one). */
  static SagaHarness restore(OperatorSubtaskState snapshot) throws Exception {
    return new SagaHarness(snapshot);
  }

  /**
   * An operator restored from a snapshot whose subtask starts at {@code processingTime} (a job
   * restored some time after its savepoint).
   */
  static SagaHarness restoreAt(OperatorSubtaskState snapshot, long processingTime)
      throws Exception {
    return new SagaHarness(snapshot, TracingFactory.disabled(), processingTime);
  }

  /** The operator's {@code deadlinesPostponed} metric. */
  long deadlinesPostponed() {
    return function.deadlinesPostponed();
  }

  SagaHarness send(SagaEvent... events) throws Exception {
    for (SagaEvent event : events) {
      harness.processElement(new StreamRecord<>(event));
    }
    return this;
  }

  SagaHarness send(List<SagaEvent> events) throws Exception {
    return send(events.toArray(SagaEvent[]::new));
  }

  SagaHarness at(long processingTime) throws Exception {
    harness.setProcessingTime(processingTime);
    return this;
  }

  List<SagaStateChanged> changes() {
    return harness.extractOutputValues();
  }

  List<SagaStatus> statuses() {
    return changes().stream().map(SagaStateChanged::getStatus).toList();
  }

  List<SagaStatus> statusesOf(String orderId) {
    return changes().stream()
        .filter(c -> c.getOrderId().equals(orderId))
        .map(SagaStateChanged::getStatus)
        .toList();
  }

  List<SagaCommand> commands() {
    return values(SagaCorrelationFunction.COMMANDS);
  }

  List<DeadLetter> deadLetters() {
    return values(SagaCorrelationFunction.DEAD_LETTERS);
  }

  int stateEntries() {
    return harness.numKeyedStateEntries();
  }

  int timers() {
    return harness.numProcessingTimeTimers();
  }

  OperatorSubtaskState snapshot(long checkpointId) throws Exception {
    return harness.snapshot(checkpointId, checkpointId);
  }

  private <X> List<X> values(OutputTag<X> tag) {
    Queue<StreamRecord<X>> records = harness.getSideOutput(tag);
    List<X> values = new ArrayList<>();
    if (records != null) {
      records.forEach(r -> values.add(r.getValue()));
    }
    return values;
  }

  @Override
  public void close() {
    try {
      harness.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("Closing the harness failed", e);
    }
  }
}
