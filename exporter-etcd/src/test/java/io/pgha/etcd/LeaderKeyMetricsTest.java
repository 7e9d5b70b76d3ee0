package io.pgha.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.common.TextExposition;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderKeyMetricsTest {

  @Test
  void afterASwitchoverTheNewHolderIsOneAndTheOldOneStaysAtZero() {
    LeaderKeyState s = LeaderKeyState.initial("pg-1", 11, 100)
        .apply(LeaderKeyEvent.delete(101), 1_795_000_000_000L)
        .apply(LeaderKeyEvent.put("pg-2", 102, 12), 1_795_000_000_250L);
    WatchView view = new WatchView("pgha", Optional.of(s), true, 1, 1_795_000_001_000L);

    assertThat(TextExposition.render(LeaderKeyMetrics.snapshots(view, Optional.of(new LeaderKeyMetrics.LeaseTtl(28, 30)))))
        .isEqualTo("""
        # HELP pgha_dcs_last_leader_change_timestamp_seconds When the exporter saw the last new leader take the key, in Unix seconds.
        # TYPE pgha_dcs_last_leader_change_timestamp_seconds gauge
        pgha_dcs_last_leader_change_timestamp_seconds{scope="pgha"} 1.79500000025E9
        # HELP pgha_dcs_last_leader_vacancy_seconds How long the leader key stayed empty before it was last taken, in seconds.
        # TYPE pgha_dcs_last_leader_vacancy_seconds gauge
        pgha_dcs_last_leader_vacancy_seconds{scope="pgha"} 0.25
        # HELP pgha_dcs_leader 1 for the member holding the scope's leader key, 0 for members seen holding it before.
        # TYPE pgha_dcs_leader gauge
        pgha_dcs_leader{member="pg-1",scope="pgha"} 0.0
        pgha_dcs_leader{member="pg-2",scope="pgha"} 1.0
        # HELP pgha_dcs_leader_changes_total Times the leader key was taken by a member other than its previous holder, counted as the watch saw it.
        # TYPE pgha_dcs_leader_changes_total counter
        pgha_dcs_leader_changes_total{scope="pgha"} 1.0
        # HELP pgha_dcs_leader_key_present 1 while the scope's leader key exists.
        # TYPE pgha_dcs_leader_key_present gauge
        pgha_dcs_leader_key_present{scope="pgha"} 1.0
        # HELP pgha_dcs_leader_lease_granted_ttl_seconds The TTL the leader key's lease was granted with (Patroni's ttl), in seconds.
        # TYPE pgha_dcs_leader_lease_granted_ttl_seconds gauge
        pgha_dcs_leader_lease_granted_ttl_seconds{scope="pgha"} 30.0
        # HELP pgha_dcs_leader_lease_ttl_seconds Seconds left on the leader key's lease: the holder must renew it before it reaches 0.
        # TYPE pgha_dcs_leader_lease_ttl_seconds gauge
        pgha_dcs_leader_lease_ttl_seconds{scope="pgha"} 28.0
        # HELP pgha_dcs_leader_vacancies_total Times the leader key was deleted or expired, whoever took it next.
        # TYPE pgha_dcs_leader_vacancies_total counter
        pgha_dcs_leader_vacancies_total{scope="pgha"} 1.0
        # HELP pgha_dcs_watch_events_total Changes of the leader key applied, by type (put or delete).
        # TYPE pgha_dcs_watch_events_total counter
        pgha_dcs_watch_events_total{scope="pgha",type="delete"} 1.0
        pgha_dcs_watch_events_total{scope="pgha",type="put"} 1.0
        # HELP pgha_dcs_watch_healthy 1 while the watch on the scope's leader key is established and answering.
        # TYPE pgha_dcs_watch_healthy gauge
        pgha_dcs_watch_healthy{scope="pgha"} 1.0
        # HELP pgha_dcs_watch_last_resync_timestamp_seconds When a resync Get last compared the leader key in etcd with the watch, in Unix seconds.
        # TYPE pgha_dcs_watch_last_resync_timestamp_seconds gauge
        pgha_dcs_watch_last_resync_timestamp_seconds{scope="pgha"} 1.795000001E9
        # HELP pgha_dcs_watch_missed_events_total Changes of the leader key that a resync found before the watch delivered them.
        # TYPE pgha_dcs_watch_missed_events_total counter
        pgha_dcs_watch_missed_events_total{scope="pgha"} 0.0
        # HELP pgha_dcs_watch_reconnects_total Times the watch on the leader key was re-created (after an error, a silent stop or a resync finding).
        # TYPE pgha_dcs_watch_reconnects_total counter
        pgha_dcs_watch_reconnects_total{scope="pgha"} 1.0
        """);
  }

  @Test
  void beforeTheKeyWasEverReadOnlyTheWatchHealthIsKnown() {
    WatchView view = new WatchView("pgha", Optional.empty(), false, 3, -1);

    assertThat(TextExposition.render(LeaderKeyMetrics.snapshots(view, Optional.empty()))).isEqualTo("""
        # HELP pgha_dcs_watch_healthy 1 while the watch on the scope's leader key is established and answering.
        # TYPE pgha_dcs_watch_healthy gauge
        pgha_dcs_watch_healthy{scope="pgha"} 0.0
        # HELP pgha_dcs_watch_reconnects_total Times the watch on the leader key was re-created (after an error, a silent stop or a resync finding).
        # TYPE pgha_dcs_watch_reconnects_total counter
        pgha_dcs_watch_reconnects_total{scope="pgha"} 3.0
        """);
  }

  @Test
  void aVacantKeyHasNoHolderAndNoLease() {
    LeaderKeyState s = LeaderKeyState.initial("pg-1", 11, 100).apply(LeaderKeyEvent.delete(101), 5_000);
    String text = TextExposition.render(LeaderKeyMetrics.snapshots(new WatchView("pgha", Optional.of(s), true, 0, -1), Optional.empty()));

    assertThat(text).contains("pgha_dcs_leader{member=\"pg-1\",scope=\"pgha\"} 0.0\n")
        .contains("pgha_dcs_leader_key_present{scope=\"pgha\"} 0.0\n")
        .contains("pgha_dcs_leader_vacancies_total{scope=\"pgha\"} 1.0\n")
        .doesNotContain("lease_ttl")
        .doesNotContain("last_leader_change")
        .doesNotContain("last_leader_vacancy");
  }
}
