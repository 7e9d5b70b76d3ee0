package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
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
  void primaryAndReplica() {
    assertThat(render(new PgStatWalReceiverCollector(null), PG1, "primary", PG2, "replica")).isEqualTo("""
        # HELP pgha_postgres_wal_receiver_last_message_age_seconds On a replica: seconds since the WAL receiver last got a message from the upstream (now() - last_msg_receipt_time). While the primary is idle only keepalives arrive, so it can reach about wal_sender_timeout / 2 (30 s by default) without anything being wrong.
        # TYPE pgha_postgres_wal_receiver_last_message_age_seconds gauge
        pgha_postgres_wal_receiver_last_message_age_seconds{member="pg-2",scope="pgha"} 0.01301
        # HELP pgha_postgres_wal_receiver_streaming On a replica: 1 if its WAL receiver is streaming from the upstream (pg_stat_wal_receiver.status), 0 if it is not (no receiver, starting, waiting, stopping). Absent on a primary.
        # TYPE pgha_postgres_wal_receiver_streaming gauge
        pgha_postgres_wal_receiver_streaming{member="pg-2",scope="pgha"} 1.0
        """);
  }

  @Test
  void aReplicaWithoutAStreamingReceiverIsNotStreaming() {
    String text = render(new PgStatWalReceiverCollector(null).snapshots(Map.of(
        PG2, List.of(new WalReceiverRow(true, null, null)),
        PG3, List.of(new WalReceiverRow(true, "waiting", 31.5)))));
    assertThat(text).isEqualTo("""
        # HELP pgha_postgres_wal_receiver_last_message_age_seconds On a replica: seconds since the WAL receiver last got a message from the upstream (now() - last_msg_receipt_time). While the primary is idle only keepalives arrive, so it can reach about wal_sender_timeout / 2 (30 s by default) without anything being wrong.
        # TYPE pgha_postgres_wal_receiver_last_message_age_seconds gauge
        pgha_postgres_wal_receiver_last_message_age_seconds{member="pg-3",scope="pgha"} 31.5
        # HELP pgha_postgres_wal_receiver_streaming On a replica: 1 if its WAL receiver is streaming from the upstream (pg_stat_wal_receiver.status), 0 if it is not (no receiver, starting, waiting, stopping). Absent on a primary.
        # TYPE pgha_postgres_wal_receiver_streaming gauge
        pgha_postgres_wal_receiver_streaming{member="pg-2",scope="pgha"} 0.0
        pgha_postgres_wal_receiver_streaming{member="pg-3",scope="pgha"} 0.0
        """);
  }
}
