package org.edapipeline.bench.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CheckpointFiguresTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void shouldTakeTheFiguresFromTheRestAnswer() throws Exception {
    String answer =
        """
        {"counts":{"restored":0,"total":7,"in_progress":1,"completed":6,"failed":0},
         "summary":{"end_to_end_duration":{"min":40,"max":310,"avg":90,"p50":71.5,"p99":310},
                    "state_size":{"min":1,"max":9}},
         "latest":{"completed":{"id":6,"state_size":52100,"checkpointed_size":2048,
                                "end_to_end_duration":60},
                   "failed":null,"savepoint":null,"restored":null},
         "history":[]}
        """;
    assertThat(CheckpointFigures.parse(json.readTree(answer)))
        .containsEntry("checkpoint.count", 6L)
        .containsEntry("checkpoint.duration.p50.ms", 72L)
        .containsEntry("checkpoint.duration.max.ms", 310L)
        .containsEntry("checkpoint.size.bytes", 52100L)
        .containsEntry("checkpoint.incremental.size.bytes", 2048L)
        .containsEntry("state.size.bytes", 52100L);
  }

  @Test
  void shouldReportOnlyTheCountBeforeTheFirstCheckpoint() throws Exception {
    String answer =
        """
        {"counts":{"completed":0},"summary":{},"latest":{"completed":null}}
        """;
    assertThat(CheckpointFigures.parse(json.readTree(answer)))
        .containsExactlyEntriesOf(java.util.Map.of("checkpoint.count", 0L));
  }
}
