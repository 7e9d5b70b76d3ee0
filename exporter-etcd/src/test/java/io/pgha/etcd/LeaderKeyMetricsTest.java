package io.pgha.etcd;

import static io.pgha.common.Golden.golden;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.common.TextExposition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderKeyMetricsTest {
  private static final long LEASE_1 = 11;
  private static final long LEASE_2 = 12;

  /** pg-1 leads; a switchover to pg-2 (request, delete, put 250 ms later, history 1 s later). */
  static ScopeState switchedOver() {
    ScopeState s = ScopeState.initial("pgha", Map.of(
        "leader", new ScopeState.DcsKey("pg-1", 100, LEASE_1),
        "members/pg-1", new ScopeState.DcsKey("{\"role\":\"master\",\"xlog_location\":5000}", 90, LEASE_1),
        "members/pg-2", new ScopeState.DcsKey("{\"role\":\"replica\",\"xlog_location\":5000}", 91, LEASE_2),
        "status", new ScopeState.DcsKey("{\"optime\":5000}", 99, 0)), 100);
    s = s.apply(List.of(new ScopeState.KeyChange("failover", "{\"leader\":\"pg-1\",\"member\":\"pg-2\"}", 101, 0, false)),
        1_794_999_999_000L);
    s = s.apply(List.of(new ScopeState.KeyChange("status", "{\"optime\":5100}", 102, 0, false)), 1_794_999_999_900L);
    s = s.apply(List.of(new ScopeState.KeyChange("leader", null, 103, 0, false)), 1_795_000_000_000L);
    s = s.apply(List.of(new ScopeState.KeyChange("leader", "pg-2", 104, LEASE_2, false)), 1_795_000_000_250L);
    return s.apply(List.of(new ScopeState.KeyChange("history", "[[1,5200,\"no recovery target specified\","
        + "\"2026-11-16T04:26:40.250000+00:00\",\"pg-2\"]]", 105, 0, false)), 1_795_000_001_250L);
  }

  @Test
  void afterASwitchoverTheNewHolderIsOneTheOldOneStaysAtZeroAndTheChangeIsDescribed() {
    DcsView view = new DcsView(Map.of("pgha", switchedOver()), true, 1, 1_795_000_001_000L, 1_795_000_001_000L);

    assertThat(TextExposition.render(LeaderKeyMetrics.snapshots("pgha", view, Optional.of(new LeaderKeyMetrics.LeaseTtl(28, 30)))))
        .isEqualTo(golden("LeaderKeyMetricsTest/afterASwitchoverTheNewHolderIsOneTheOldOneStaysAtZeroAndTheChangeIsDescribed"));
  }

  @Test
  void beforeTheKeysWereEverReadOnlyTheWatchHealthIsKnown() {
    DcsView view = new DcsView(Map.of(), false, 3, -1, -1);

    assertThat(TextExposition.render(LeaderKeyMetrics.snapshots("pgha", view, Optional.empty()))).isEqualTo(golden("LeaderKeyMetricsTest/beforeTheKeysWereEverReadOnlyTheWatchHealthIsKnown"));
  }

  @Test
  void aVacantKeyHasNoHolderNoLeaseAndNoChangeYet() {
    ScopeState s = ScopeState.initial("pgha", Map.of("leader", new ScopeState.DcsKey("pg-1", 100, LEASE_1)), 100)
        .apply(List.of(new ScopeState.KeyChange("leader", null, 101, 0, false)), 5_000);
    String text = TextExposition.render(LeaderKeyMetrics.snapshots("pgha",
        new DcsView(Map.of("pgha", s), true, 0, -1, 5_000), Optional.empty()));

    assertThat(text).contains("pgha_dcs_leader{member=\"pg-1\",scope=\"pgha\"} 0.0\n")
        .contains("pgha_dcs_leader_key_present{scope=\"pgha\"} 0.0\n")
        .contains("pgha_dcs_leader_vacancies_total{scope=\"pgha\"} 1.0\n")
        .contains("pgha_dcs_leader_changes_total{kind=\"released\",scope=\"pgha\"} 0.0\n")
        .doesNotContain("lease_ttl")
        .doesNotContain("last_leader_change")
        .doesNotContain("last_leader_vacancy")
        .doesNotContain("wal_at_risk");
  }
}
