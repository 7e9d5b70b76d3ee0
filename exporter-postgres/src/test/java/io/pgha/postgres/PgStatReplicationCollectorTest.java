package io.pgha.postgres;

import static io.pgha.postgres.Fixtures.PG1;
import static io.pgha.postgres.Fixtures.PG2;
import static io.pgha.postgres.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.postgres.PgStatReplicationCollector.StandbyRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden text from rows recorded on a live PostgreSQL 15 cluster (see fixtures/README.md). */
class PgStatReplicationCollectorTest {

  @Test
  void primaryWithTwoStreamingStandbys() {
    assertThat(render(new PgStatReplicationCollector(null), PG1, "primary", PG2, "replica")).isEqualTo("""
        # HELP pgha_postgres_replication_lag_bytes Bytes of WAL a standby is behind this server at each stage (sent, write, flush, replay), measured against pg_current_wal_lsn() from pg_stat_replication.
        # TYPE pgha_postgres_replication_lag_bytes gauge
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="flush",standby="pg-2"} 0.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="flush",standby="pg-3"} 0.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="replay",standby="pg-2"} 0.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="replay",standby="pg-3"} 0.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="sent",standby="pg-2"} 0.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="sent",standby="pg-3"} 0.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="write",standby="pg-2"} 0.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="write",standby="pg-3"} 0.0
        # HELP pgha_postgres_replication_lag_seconds PostgreSQL's write_lag/flush_lag/replay_lag from pg_stat_replication: how long recent WAL flushed here took to be written, flushed and replayed by the standby. Measured only while WAL is generated and the standby replies: on an idle primary PostgreSQL shows the last value for a moment, then NULL, exported as 0 when the standby has caught up (lag in bytes 0) and left out otherwise; a standby that stopped replying keeps its last value (watch pgha_postgres_replication_reply_age_seconds).
        # TYPE pgha_postgres_replication_lag_seconds gauge
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="flush",standby="pg-2"} 0.0
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="flush",standby="pg-3"} 0.002587
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="replay",standby="pg-2"} 0.0
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="replay",standby="pg-3"} 0.003964
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="write",standby="pg-2"} 0.0
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="write",standby="pg-3"} 0.001702
        # HELP pgha_postgres_replication_reply_age_seconds Seconds since the standby's last status reply (now() - pg_stat_replication.reply_time); standbys reply at least every wal_receiver_status_interval (10 s by default).
        # TYPE pgha_postgres_replication_reply_age_seconds gauge
        pgha_postgres_replication_reply_age_seconds{member="pg-1",scope="pgha",standby="pg-2"} 0.009884
        pgha_postgres_replication_reply_age_seconds{member="pg-1",scope="pgha",standby="pg-3"} 0.010442
        # HELP pgha_postgres_replication_state Replication state of each standby (pg_stat_replication.state), one series per state, 1 for the current one.
        # TYPE pgha_postgres_replication_state gauge
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="backup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="catchup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="other"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="startup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="stopping"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="streaming"} 1.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="backup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="catchup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="other"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="startup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="stopping"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="streaming"} 1.0
        # HELP pgha_postgres_replication_sync_state Synchronous state of each standby (pg_stat_replication.sync_state), one series per state, 1 for the current one.
        # TYPE pgha_postgres_replication_sync_state gauge
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-2",sync_state="async"} 1.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-2",sync_state="other"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-2",sync_state="potential"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-2",sync_state="quorum"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-2",sync_state="sync"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-3",sync_state="async"} 1.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-3",sync_state="other"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-3",sync_state="potential"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-3",sync_state="quorum"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-3",sync_state="sync"} 0.0
        # HELP pgha_postgres_standbys_streaming Number of standbys in state streaming in pg_stat_replication of this member.
        # TYPE pgha_postgres_standbys_streaming gauge
        pgha_postgres_standbys_streaming{member="pg-1",scope="pgha"} 2.0
        pgha_postgres_standbys_streaming{member="pg-2",scope="pgha"} 0.0
        """);
  }

  @Test
  void laggingStandbys() {
    assertThat(render(new PgStatReplicationCollector(null), PG1, "lagging-standby-primary")).isEqualTo("""
        # HELP pgha_postgres_replication_lag_bytes Bytes of WAL a standby is behind this server at each stage (sent, write, flush, replay), measured against pg_current_wal_lsn() from pg_stat_replication.
        # TYPE pgha_postgres_replication_lag_bytes gauge
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="flush",standby="pg-2"} 1.236704E7
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="flush",standby="pg-3"} 8664.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="replay",standby="pg-2"} 1.236704E7
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="replay",standby="pg-3"} 1.8267536E7
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="sent",standby="pg-2"} 6009696.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="sent",standby="pg-3"} 0.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="write",standby="pg-2"} 1.2358376E7
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="write",standby="pg-3"} 0.0
        # HELP pgha_postgres_replication_lag_seconds PostgreSQL's write_lag/flush_lag/replay_lag from pg_stat_replication: how long recent WAL flushed here took to be written, flushed and replayed by the standby. Measured only while WAL is generated and the standby replies: on an idle primary PostgreSQL shows the last value for a moment, then NULL, exported as 0 when the standby has caught up (lag in bytes 0) and left out otherwise; a standby that stopped replying keeps its last value (watch pgha_postgres_replication_reply_age_seconds).
        # TYPE pgha_postgres_replication_lag_seconds gauge
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="flush",standby="pg-2"} 8.8E-5
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="flush",standby="pg-3"} 6.39E-4
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="replay",standby="pg-2"} 8.8E-5
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="replay",standby="pg-3"} 10.559054
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="write",standby="pg-2"} 8.8E-5
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="write",standby="pg-3"} 6.39E-4
        # HELP pgha_postgres_replication_reply_age_seconds Seconds since the standby's last status reply (now() - pg_stat_replication.reply_time); standbys reply at least every wal_receiver_status_interval (10 s by default).
        # TYPE pgha_postgres_replication_reply_age_seconds gauge
        pgha_postgres_replication_reply_age_seconds{member="pg-1",scope="pgha",standby="pg-2"} 7.685959
        pgha_postgres_replication_reply_age_seconds{member="pg-1",scope="pgha",standby="pg-3"} 0.0
        # HELP pgha_postgres_replication_state Replication state of each standby (pg_stat_replication.state), one series per state, 1 for the current one.
        # TYPE pgha_postgres_replication_state gauge
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="backup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="catchup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="other"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="startup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="stopping"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="streaming"} 1.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="backup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="catchup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="other"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="startup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="stopping"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="streaming"} 1.0
        # HELP pgha_postgres_replication_sync_state Synchronous state of each standby (pg_stat_replication.sync_state), one series per state, 1 for the current one.
        # TYPE pgha_postgres_replication_sync_state gauge
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-2",sync_state="async"} 1.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-2",sync_state="other"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-2",sync_state="potential"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-2",sync_state="quorum"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-2",sync_state="sync"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-3",sync_state="async"} 1.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-3",sync_state="other"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-3",sync_state="potential"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-3",sync_state="quorum"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-3",sync_state="sync"} 0.0
        # HELP pgha_postgres_standbys_streaming Number of standbys in state streaming in pg_stat_replication of this member.
        # TYPE pgha_postgres_standbys_streaming gauge
        pgha_postgres_standbys_streaming{member="pg-1",scope="pgha"} 2.0
        """);
  }

  @Test
  void idlePrimary() {
    assertThat(render(new PgStatReplicationCollector(null), PG1, "primary-idle")).isEqualTo("""
        # HELP pgha_postgres_replication_lag_bytes Bytes of WAL a standby is behind this server at each stage (sent, write, flush, replay), measured against pg_current_wal_lsn() from pg_stat_replication.
        # TYPE pgha_postgres_replication_lag_bytes gauge
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="flush",standby="pg-2"} 0.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="flush",standby="pg-3"} 0.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="replay",standby="pg-2"} 0.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="replay",standby="pg-3"} 0.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="sent",standby="pg-2"} 0.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="sent",standby="pg-3"} 0.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="write",standby="pg-2"} 0.0
        pgha_postgres_replication_lag_bytes{member="pg-1",scope="pgha",stage="write",standby="pg-3"} 0.0
        # HELP pgha_postgres_replication_lag_seconds PostgreSQL's write_lag/flush_lag/replay_lag from pg_stat_replication: how long recent WAL flushed here took to be written, flushed and replayed by the standby. Measured only while WAL is generated and the standby replies: on an idle primary PostgreSQL shows the last value for a moment, then NULL, exported as 0 when the standby has caught up (lag in bytes 0) and left out otherwise; a standby that stopped replying keeps its last value (watch pgha_postgres_replication_reply_age_seconds).
        # TYPE pgha_postgres_replication_lag_seconds gauge
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="flush",standby="pg-2"} 0.0
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="flush",standby="pg-3"} 0.0
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="replay",standby="pg-2"} 0.0
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="replay",standby="pg-3"} 0.0
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="write",standby="pg-2"} 0.0
        pgha_postgres_replication_lag_seconds{member="pg-1",scope="pgha",stage="write",standby="pg-3"} 0.0
        # HELP pgha_postgres_replication_reply_age_seconds Seconds since the standby's last status reply (now() - pg_stat_replication.reply_time); standbys reply at least every wal_receiver_status_interval (10 s by default).
        # TYPE pgha_postgres_replication_reply_age_seconds gauge
        pgha_postgres_replication_reply_age_seconds{member="pg-1",scope="pgha",standby="pg-2"} 0.506625
        pgha_postgres_replication_reply_age_seconds{member="pg-1",scope="pgha",standby="pg-3"} 0.483738
        # HELP pgha_postgres_replication_state Replication state of each standby (pg_stat_replication.state), one series per state, 1 for the current one.
        # TYPE pgha_postgres_replication_state gauge
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="backup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="catchup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="other"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="startup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="stopping"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-2",state="streaming"} 1.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="backup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="catchup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="other"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="startup"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="stopping"} 0.0
        pgha_postgres_replication_state{member="pg-1",scope="pgha",standby="pg-3",state="streaming"} 1.0
        # HELP pgha_postgres_replication_sync_state Synchronous state of each standby (pg_stat_replication.sync_state), one series per state, 1 for the current one.
        # TYPE pgha_postgres_replication_sync_state gauge
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-2",sync_state="async"} 1.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-2",sync_state="other"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-2",sync_state="potential"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-2",sync_state="quorum"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-2",sync_state="sync"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-3",sync_state="async"} 1.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-3",sync_state="other"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-3",sync_state="potential"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-3",sync_state="quorum"} 0.0
        pgha_postgres_replication_sync_state{member="pg-1",scope="pgha",standby="pg-3",sync_state="sync"} 0.0
        # HELP pgha_postgres_standbys_streaming Number of standbys in state streaming in pg_stat_replication of this member.
        # TYPE pgha_postgres_standbys_streaming gauge
        pgha_postgres_standbys_streaming{member="pg-1",scope="pgha"} 2.0
        """);
  }

  @Test
  void primaryWithoutStandbys() {
    assertThat(render(new PgStatReplicationCollector(null), PG1, "primary-no-standbys")).isEqualTo("""
        # HELP pgha_postgres_standbys_streaming Number of standbys in state streaming in pg_stat_replication of this member.
        # TYPE pgha_postgres_standbys_streaming gauge
        pgha_postgres_standbys_streaming{member="pg-1",scope="pgha"} 0.0
        """);
  }

  @Test
  void aStandbyListedTwiceGivesOneSetOfSeriesAndUnknownValuesMapToOther() {
    List<StandbyRow> rows = List.of(
        new StandbyRow("pg-2", "catchup", "async", 900.0, 900.0, 900.0, 900.0, null, null, null, 1.0),
        new StandbyRow("pg-2", "streaming", "async", 0.0, 0.0, 0.0, 16.0, 0.5, 0.5, null, 0.2),
        new StandbyRow("pg-3", "reconnecting", "weird", 0.0, 0.0, 0.0, 0.0, null, null, null, null),
        new StandbyRow(null, "streaming", "async", 0.0, 0.0, 0.0, 0.0, null, null, null, null));
    String text = render(new PgStatReplicationCollector(null).snapshots(Map.of(PG1, rows)));
    assertThat(text)
        .as("the streaming walsender wins; replay lag in seconds is unknown while 16 bytes are outstanding")
        .contains("pgha_postgres_replication_lag_bytes{member=\"pg-1\",scope=\"pgha\",stage=\"replay\",standby=\"pg-2\"} 16.0\n")
        .contains("pgha_postgres_replication_lag_seconds{member=\"pg-1\",scope=\"pgha\",stage=\"write\",standby=\"pg-2\"} 0.5\n")
        .doesNotContain("stage=\"replay\",standby=\"pg-2\"} 0.0")
        .contains("pgha_postgres_replication_state{member=\"pg-1\",scope=\"pgha\",standby=\"pg-2\",state=\"streaming\"} 1.0\n")
        .contains("pgha_postgres_replication_state{member=\"pg-1\",scope=\"pgha\",standby=\"pg-3\",state=\"other\"} 1.0\n")
        .contains("pgha_postgres_replication_sync_state{member=\"pg-1\",scope=\"pgha\",standby=\"pg-3\",sync_state=\"other\"} 1.0\n")
        .contains("pgha_postgres_standbys_streaming{member=\"pg-1\",scope=\"pgha\"} 1.0\n");
    assertThat(text.lines().filter(l -> l.startsWith(PostgresMetrics.REPLICATION_STATE.name() + "{") && l.contains("standby=\"pg-2\"")))
        .as("one series per state, not two").hasSize(PgStatReplicationCollector.STATES.size());
  }
}
