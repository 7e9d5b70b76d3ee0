package io.pgha.etcd;

import static io.pgha.etcd.EtcdMetrics.DCS_LAST_LEADER_CHANGE_TIMESTAMP_SECONDS;
import static io.pgha.etcd.EtcdMetrics.DCS_LAST_LEADER_VACANCY_SECONDS;
import static io.pgha.etcd.EtcdMetrics.DCS_LEADER;
import static io.pgha.etcd.EtcdMetrics.DCS_LEADER_CHANGES;
import static io.pgha.etcd.EtcdMetrics.DCS_LEADER_KEY_PRESENT;
import static io.pgha.etcd.EtcdMetrics.DCS_LEADER_LEASE_GRANTED_TTL_SECONDS;
import static io.pgha.etcd.EtcdMetrics.DCS_LEADER_LEASE_TTL_SECONDS;
import static io.pgha.etcd.EtcdMetrics.DCS_LEADER_VACANCIES;
import static io.pgha.etcd.EtcdMetrics.DCS_WATCH_EVENTS;
import static io.pgha.etcd.EtcdMetrics.DCS_WATCH_HEALTHY;
import static io.pgha.etcd.EtcdMetrics.DCS_WATCH_LAST_RESYNC_TIMESTAMP_SECONDS;
import static io.pgha.etcd.EtcdMetrics.DCS_WATCH_MISSED_EVENTS;
import static io.pgha.etcd.EtcdMetrics.DCS_WATCH_RECONNECTS;

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
    out.add(DCS_WATCH_HEALTHY.snapshot(view.healthy() ? 1 : 0, scope));
    out.add(DCS_WATCH_RECONNECTS.snapshot(view.reconnects(), scope));
    if (view.lastResyncMillis() >= 0) {
      out.add(DCS_WATCH_LAST_RESYNC_TIMESTAMP_SECONDS.snapshot(view.lastResyncMillis() / 1000.0, scope));
    }
    if (view.state().isEmpty()) {
      return out; // the key was never read: the rest is unknown, not zero
    }
    LeaderKeyState s = view.state().get();
    List<GaugeDataPointSnapshot> leader = new ArrayList<>();
    for (String member : new TreeSet<>(s.knownHolders())) {
      leader.add(DCS_LEADER.point(member.equals(s.holder()) ? 1 : 0, scope, member));
    }
    out.add(DCS_LEADER.snapshot(leader));
    out.add(DCS_LEADER_KEY_PRESENT.snapshot(s.present() ? 1 : 0, scope));
    out.add(DCS_LEADER_CHANGES.snapshot(s.changes(), scope));
    out.add(DCS_LEADER_VACANCIES.snapshot(s.vacancies(), scope));
    out.add(DCS_WATCH_EVENTS.snapshot(List.of(DCS_WATCH_EVENTS.point(s.puts(), scope, "put"),
        DCS_WATCH_EVENTS.point(s.deletes(), scope, "delete"))));
    out.add(DCS_WATCH_MISSED_EVENTS.snapshot(s.recovered(), scope));
    if (s.lastChangeMillis() >= 0) {
      out.add(DCS_LAST_LEADER_CHANGE_TIMESTAMP_SECONDS.snapshot(s.lastChangeMillis() / 1000.0, scope));
    }
    if (s.lastVacancyMillis() >= 0) {
      out.add(DCS_LAST_LEADER_VACANCY_SECONDS.snapshot(s.lastVacancyMillis() / 1000.0, scope));
    }
    lease.ifPresent(l -> {
      out.add(DCS_LEADER_LEASE_TTL_SECONDS.snapshot(l.remainingSeconds(), scope));
      out.add(DCS_LEADER_LEASE_GRANTED_TTL_SECONDS.snapshot(l.grantedSeconds(), scope));
    });
    return out;
  }
}
