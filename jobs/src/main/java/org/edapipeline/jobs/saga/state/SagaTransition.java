package org.edapipeline.jobs.saga.state;

import java.util.ArrayList;
import java.util.List;
import org.edapipeline.jobs.saga.records.SagaCommand;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.SagaStateChanged;

/**
 * What one step of the {@link SagaStateMachine} produced: the saga's new state (or none, when it
 * must be cleared) and the records to emit, in order.
 */
public final class SagaTransition {

  /** How the input was handled. */
  public enum Outcome {
    /** The input was recorded; the state changed (outputs may be empty). */
    APPLIED,
    /** The event was seen before: nothing changed. */
    DUPLICATE,
    /** The event arrived after the saga ended: ignored, nothing changed. */
    LATE,
    /** The timer is not the saga's pending one: nothing changed. */
    STALE_TIMER,
    /** The saga's state must be removed (retention passed, or an unknown saga was reported). */
    CLEARED
  }

  private final Outcome outcome;
  private final SagaState state;
  private final List<SagaStateChanged> changes = new ArrayList<>(2);
  private final List<SagaCommand> commands = new ArrayList<>(0);
  private final List<DeadLetter> deadLetters = new ArrayList<>(0);

  SagaTransition(Outcome outcome, SagaState state) {
    this.outcome = outcome;
    this.state = state;
  }

  /** How the input was handled. */
  public Outcome outcome() {
    return outcome;
  }

  /** The saga's state after the input; null when {@link Outcome#CLEARED} or never created. */
  public SagaState state() {
    return state;
  }

  /** Whether the state changed and must be stored. */
  public boolean stateChanged() {
    return outcome == Outcome.APPLIED;
  }

  /** The status changes, oldest first: one per status entered. */
  public List<SagaStateChanged> changes() {
    return changes;
  }

  /** The commands to send. */
  public List<SagaCommand> commands() {
    return commands;
  }

  /** The dead letters to write. */
  public List<DeadLetter> deadLetters() {
    return deadLetters;
  }

  @Override
  public String toString() {
    return outcome
        + " "
        + state
        + " changes="
        + changes.size()
        + " commands="
        + commands.size()
        + " deadLetters="
        + deadLetters.size();
  }
}
