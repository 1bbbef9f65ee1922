package org.edapipeline.service.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.edapipeline.schemas.serde.CorruptPayloadException;
import org.edapipeline.schemas.serde.SchemaRegistryUnreachableException;
import org.junit.jupiter.api.Test;

class TransientFailuresTest {

  @Test
  void shouldRetryConnectionLossSerializationFailureDeadlockAndTerminatedBackend() {
    for (String state : new String[] {"08006", "08003", "08001", "40001", "40P01", "57P01"}) {
      assertThat(TransientFailures.isTransient(new SQLException("x", state))).as(state).isTrue();
    }
    assertThat(TransientFailures.isTransient(new SQLTransientConnectionException("pool"))).isTrue();
  }

  @Test
  void shouldFindATransientCauseInsideTheHandlersOwnException() {
    RuntimeException wrapped =
        new RuntimeException("repository failed", new SQLException("gone", "08006"));
    assertThat(TransientFailures.isTransient(wrapped)).isTrue();
  }

  @Test
  void shouldNotRetryForeverWhatRetryingCannotCure() {
    assertThat(TransientFailures.isTransient(new SQLException("dup", "23505"))).isFalse();
    assertThat(TransientFailures.isTransient(new SQLException("syntax", "42601"))).isFalse();
    assertThat(TransientFailures.isTransient(new SQLException("no state"))).isFalse();
    assertThat(TransientFailures.isTransient(new IllegalStateException("business rule"))).isFalse();
    assertThat(TransientFailures.isTransient(new CorruptPayloadException("bad", null))).isFalse();
  }

  @Test
  void shouldRetryAnUnreachableRegistry() {
    assertThat(TransientFailures.isTransient(new SchemaRegistryUnreachableException("down", null)))
        .isTrue();
  }
}
