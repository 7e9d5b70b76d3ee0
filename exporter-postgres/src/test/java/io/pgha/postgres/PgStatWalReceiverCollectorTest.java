package io.pgha.postgres;

import static io.pgha.common.Golden.golden;
import static io.pgha.postgres.Fixtures.PG2;
import static io.pgha.postgres.Fixtures.PG3;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.postgres.PgStatWalReceiverCollector.WalReceiverRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgStatWalReceiverCollectorTest {

  @Test
  void aReplicaWithoutAStreamingReceiverIsNotStreaming() {
    String text = render(new PgStatWalReceiverCollector(null).snapshots(Map.of(
        PG2, List.of(new WalReceiverRow(true, null, null)),
        PG3, List.of(new WalReceiverRow(true, "waiting", 31.5)))));
    assertThat(text).isEqualTo(golden("PgStatWalReceiverCollectorTest/aReplicaWithoutAStreamingReceiverIsNotStreaming"));
  }
}
