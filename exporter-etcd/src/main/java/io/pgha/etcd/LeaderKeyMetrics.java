package io.pgha.etcd;

import static io.pgha.common.Snapshots.counter;
import static io.pgha.common.Snapshots.counterPoint;
import static io.pgha.common.Snapshots.gauge;
import static io.pgha.common.Snapshots.gaugePoint;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Turns a watcher's view (and the leader lease read at scrape time) into metrics; pure. */
final class LeaderKeyMetrics {
  private LeaderKeyMetrics() {}

  /** The remaining and granted TTL of the leader's lease, in seconds. */
  record LeaseTtl(long remainingSeconds, long grantedSeconds) {}

  static List<MetricSnapshot> snapshots(WatchView view, Optional<LeaseTtl> lease) {
    String scope = view.scope();
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(gauge("pgha_dcs_watch_healthy",
        "1 while the watch on the scope's leader key is established and answering.",
        gaugePoint(view.healthy() ? 1 : 0, "scope", scope)));
    out.add(counter("pgha_dcs_watch_reconnects",
        "Times the watch on the leader key was re-created (after an error, a silent stop or a resync finding).",
        counterPoint(view.reconnects(), "scope", scope)));
    if (view.lastResyncMillis() >= 0) {
      out.add(gauge("pgha_dcs_watch_last_resync_timestamp_seconds",
          "When a resync Get last compared the leader key in etcd with the watch, in Unix seconds.",
          gaugePoint(view.lastResyncMillis() / 1000.0, "scope", scope)));
    }
    if (view.state().isEmpty()) {
      return out; // the key was never read: the rest is unknown, not zero
    }
    LeaderKeyState s = view.state().get();
    List<GaugeDataPointSnapshot> leader = new ArrayList<>();
    for (String member : new TreeSet<>(s.knownHolders())) {
      leader.add(gaugePoint(member.equals(s.holder()) ? 1 : 0, "scope", scope, "member", member));
    }
    out.add(gauge("pgha_dcs_leader",
        "1 for the member holding the scope's leader key, 0 for members seen holding it before.", leader));
    out.add(gauge("pgha_dcs_leader_key_present", "1 while the scope's leader key exists.",
        gaugePoint(s.present() ? 1 : 0, "scope", scope)));
    out.add(counter("pgha_dcs_leader_changes",
        "Times the leader key was taken by a member other than its previous holder, counted as the watch saw it.",
        counterPoint(s.changes(), "scope", scope)));
    out.add(counter("pgha_dcs_leader_vacancies",
        "Times the leader key was deleted or expired, whoever took it next.",
        counterPoint(s.vacancies(), "scope", scope)));
    out.add(counter("pgha_dcs_watch_events",
        "Changes of the leader key applied, by type (put or delete).",
        List.of(counterPoint(s.puts(), "scope", scope, "type", "put"),
            counterPoint(s.deletes(), "scope", scope, "type", "delete"))));
    out.add(counter("pgha_dcs_watch_missed_events",
        "Changes of the leader key that a resync found before the watch delivered them.",
        counterPoint(s.recovered(), "scope", scope)));
    if (s.lastChangeMillis() >= 0) {
      out.add(gauge("pgha_dcs_last_leader_change_timestamp_seconds",
          "When the exporter saw the last new leader take the key, in Unix seconds.",
          gaugePoint(s.lastChangeMillis() / 1000.0, "scope", scope)));
    }
    if (s.lastVacancyMillis() >= 0) {
      out.add(gauge("pgha_dcs_last_leader_vacancy_seconds",
          "How long the leader key stayed empty before it was last taken, in seconds.",
          gaugePoint(s.lastVacancyMillis() / 1000.0, "scope", scope)));
    }
    lease.ifPresent(l -> {
      out.add(gauge("pgha_dcs_leader_lease_ttl_seconds",
          "Seconds left on the leader key's lease: the holder must renew it before it reaches 0.",
          gaugePoint(l.remainingSeconds(), "scope", scope)));
      out.add(gauge("pgha_dcs_leader_lease_granted_ttl_seconds",
          "The TTL the leader key's lease was granted with (Patroni's ttl), in seconds.",
          gaugePoint(l.grantedSeconds(), "scope", scope)));
    });
    return out;
  }
}
