package org.edapipeline.schemas.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.apache.avro.AvroRuntimeException;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.serde.CorruptPayloadException;
import org.edapipeline.schemas.serde.SchemaRegistryUnreachableException;
import org.edapipeline.schemas.serde.UnknownSchemaIdException;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {

  static final class Rejected extends RuntimeException implements RecordRejection {
    Rejected() {
      super("rule broken");
    }
  }

  @Test
  void shouldMapTheDocumentedTypes() {
    assertThat(ErrorClassifier.classify(new SchemaRegistryUnreachableException("down", null)))
        .isEqualTo(ErrorCategory.TRANSIENT);
    assertThat(ErrorClassifier.classify(new ConnectException("refused")))
        .isEqualTo(ErrorCategory.TRANSIENT);
    assertThat(ErrorClassifier.classify(new TimeoutException())).isEqualTo(ErrorCategory.TRANSIENT);
    assertThat(ErrorClassifier.classify(new UnknownSchemaIdException("id 9", null)))
        .isEqualTo(ErrorCategory.POISON);
    assertThat(ErrorClassifier.classify(new CorruptPayloadException("eof", null)))
        .isEqualTo(ErrorCategory.POISON);
    assertThat(ErrorClassifier.classify(new AvroRuntimeException("bad")))
        .isEqualTo(ErrorCategory.POISON);
    assertThat(ErrorClassifier.classify(new Rejected())).isEqualTo(ErrorCategory.PERMANENT);
  }

  @Test
  void shouldLookIntoCausesAndFallBackByStage() {
    assertThat(ErrorClassifier.classify(new IllegalStateException("x", new ConnectException())))
        .isEqualTo(ErrorCategory.TRANSIENT);
    assertThat(ErrorClassifier.classify(new IllegalStateException("x")))
        .isEqualTo(ErrorCategory.PERMANENT);
    assertThat(ErrorClassifier.classifyDecoding(new IllegalStateException("x")))
        .isEqualTo(ErrorCategory.POISON);
    assertThat(ErrorClassifier.isTransient(new Rejected())).isFalse();
  }
}
