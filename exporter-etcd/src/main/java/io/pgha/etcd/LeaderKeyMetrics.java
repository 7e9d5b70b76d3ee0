package io.pgha.etcd;

import static io.pgha.etcd.EtcdMetrics.DCS_LAST_FAILOVER_WAL_AT_RISK_BYTES;
import static io.pgha.etcd.EtcdMetrics.DCS_LAST_LEADER_CHANGE_INFO;
import static io.pgha.etcd.EtcdMetrics.DCS_LAST_LEADER_CHANGE_TIMESTAMP_SECONDS;
import static io.pgha.etcd.EtcdMetrics.DCS_LAST_LEADER_VACANCY_SECONDS;
import static io.pgha.etcd.EtcdMetrics.DCS_LEADER;
import static io.pgha.etcd.EtcdMetrics.DCS_LEADER_CHANGES;
import static io.pgha.etcd.EtcdMetrics.DCS_LEADER_KEY_PRESENT;
import static io.pgha.etcd.EtcdMetrics.DCS_LEADER_LEASE_GRANTED_TTL_SECONDS;
import static io.pgha.etcd.EtcdMetrics.DCS_LEADER_LEASE_TTL_SECONDS;
import static io.pgha.etcd.EtcdMetrics.DCS_LEADER_VACANCIES;
import static io.pgha.etcd.EtcdMetrics.DCS_LEADER_VACANCY;
import static io.pgha.etcd.EtcdMetrics.DCS_WATCH_EVENTS;
import static io.pgha.etcd.EtcdMetrics.DCS_WATCH_HEALTHY;
import static io.pgha.etcd.EtcdMetrics.DCS_WATCH_LAST_RESYNC_TIMESTAMP_SECONDS;
import static io.pgha.etcd.EtcdMetrics.DCS_WATCH_MISSED_EVENTS;
import static io.pgha.etcd.EtcdMetrics.DCS_WATCH_RECONNECTS;

import io.pgha.etcd.LeaderEvent.Kind;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Turns the watch's view of one scope (and its leader lease's TTL) into metrics; pure. */
final class LeaderKeyMetrics {
  private LeaderKeyMetrics() {}

  /** The remaining and granted TTL of the leader's lease, in seconds. */
  record LeaseTtl(long remainingSeconds, long grantedSeconds) {}

  static List<MetricSnapshot> snapshots(String scope, DcsView view, Optional<LeaseTtl> lease) {
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(DCS_WATCH_HEALTHY.snapshot(view.healthy() ? 1 : 0, scope));
    out.add(DCS_WATCH_RECONNECTS.snapshot(view.reconnects(), scope));
    if (view.lastResyncMillis() >= 0) {
      out.add(DCS_WATCH_LAST_RESYNC_TIMESTAMP_SECONDS.snapshot(view.lastResyncMillis() / 1000.0, scope));
    }
    Optional<ScopeState> state = view.scope(scope);
    if (state.isEmpty()) {
      return out; // the keys were never read: the rest is unknown, not zero
    }
    ScopeState ss = state.get();
    LeaderKeyState s = ss.leader();
    List<GaugeDataPointSnapshot> leader = new ArrayList<>();
    for (String member : new TreeSet<>(s.knownHolders())) {
      leader.add(DCS_LEADER.point(member.equals(s.holder()) ? 1 : 0, scope, member));
    }
    out.add(DCS_LEADER.snapshot(leader));
    out.add(DCS_LEADER_KEY_PRESENT.snapshot(s.present() ? 1 : 0, scope));
    List<CounterDataPointSnapshot> changes = new ArrayList<>();
    List<HistogramDataPointSnapshot> vacancies = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      changes.add(DCS_LEADER_CHANGES.point(ss.changes().get(kind), scope, kind.label()));
      if (ss.vacancies().containsKey(kind)) {
        vacancies.add(DCS_LEADER_VACANCY.point(ss.vacancies().get(kind), scope, kind.label()));
      }
    }
    out.add(DCS_LEADER_CHANGES.snapshot(changes));
    out.add(DCS_LEADER_VACANCY.snapshot(vacancies));
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
    ss.lastChange().ifPresent(e -> {
      out.add(DCS_LAST_LEADER_CHANGE_INFO.snapshot(1, scope, e.from().orElse(""), e.to(),
          e.kind().map(Kind::label).orElse(Kind.UNKNOWN.label())));
      e.walAtRiskBytes().ifPresent(b -> out.add(DCS_LAST_FAILOVER_WAL_AT_RISK_BYTES.snapshot(b, scope)));
    });
    lease.ifPresent(l -> {
      out.add(DCS_LEADER_LEASE_TTL_SECONDS.snapshot(l.remainingSeconds(), scope));
      out.add(DCS_LEADER_LEASE_GRANTED_TTL_SECONDS.snapshot(l.grantedSeconds(), scope));
    });
    return out;
  }
}
