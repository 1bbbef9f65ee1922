package org.edapipeline.localstack.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutageScheduleTest {

  private static final OutageSchedule SCHEDULE =
      new OutageSchedule(
          Duration.ofSeconds(20),
          Duration.ofSeconds(40),
          Duration.ofSeconds(15),
          List.of("payment", "inventory", "shipment"));

  @Test
  void shouldTakeTheServicesDownInTurnForTheOutageDuration() {
    assertThat(SCHEDULE.at(Duration.ofSeconds(19))).isEmpty();
    assertThat(SCHEDULE.at(Duration.ofSeconds(20)).orElseThrow().service()).isEqualTo("payment");
    assertThat(SCHEDULE.at(Duration.ofMillis(34_999)).orElseThrow().service()).isEqualTo("payment");
    assertThat(SCHEDULE.at(Duration.ofSeconds(35))).isEmpty();
    assertThat(SCHEDULE.at(Duration.ofSeconds(60)).orElseThrow().service()).isEqualTo("inventory");
    assertThat(SCHEDULE.at(Duration.ofSeconds(100)).orElseThrow().service()).isEqualTo("shipment");
    OutageSchedule.Outage fourth = SCHEDULE.at(Duration.ofSeconds(141)).orElseThrow();
    assertThat(fourth.service()).isEqualTo("payment");
    assertThat(fourth.startsAt()).isEqualTo(Duration.ofSeconds(140));
    assertThat(fourth.endsAt()).isEqualTo(Duration.ofSeconds(155));
  }

  @Test
  void shouldHaveNoOutagesWhenDisabled() {
    assertThat(OutageSchedule.none().enabled()).isFalse();
    assertThat(OutageSchedule.none().at(Duration.ofHours(1))).isEmpty();
  }

  @Test
  void shouldRefuseAnOutageAsLongAsThePeriod() {
    assertThatThrownBy(
            () ->
                new OutageSchedule(
                    Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(10), List.of("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shorter");
  }
}
