package org.edapipeline.embedded.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The class-scoped lifecycle of the base extension, with a stand-in service. */
class EmbeddedServiceExtensionTest {
  private static final AtomicInteger STARTS = new AtomicInteger();

  @RegisterExtension static final CountingExtension SERVICE = new CountingExtension();

  @Test
  void shouldStartServiceBeforeTheFirstTest() {
    assertThat(SERVICE.service().closed).isFalse();
    assertThat(STARTS).hasValue(1);
  }

  @Test
  void shouldTellHowToRegisterWhenUsedBeforeStart() {
    CountingExtension unregistered = new CountingExtension();

    assertThatThrownBy(unregistered::service)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CountingExtension has not started")
        .hasMessageContaining("@RegisterExtension")
        .hasMessageContaining("@Order");
  }

  @Nested
  class NestedTests {
    @Test
    void shouldShareTheOuterClassService() {
      assertThat(SERVICE.service().closed).isFalse();
      assertThat(STARTS).hasValue(1);
    }
  }

  static final class Service implements AutoCloseable {
    boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  static final class CountingExtension extends EmbeddedServiceExtension<Service> {
    @Override
    protected Service startService() {
      STARTS.incrementAndGet();
      return new Service();
    }
  }
}
