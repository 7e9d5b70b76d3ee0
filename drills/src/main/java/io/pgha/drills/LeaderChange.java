package io.pgha.drills;

import io.pgha.etcd.EtcdMetrics;
import io.pgha.lab.client.LeaderEventsApi;
import io.pgha.patroni.PatroniMetrics;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What the three drills that move the leader (leader-kill, leader-stop, switchover) have in common:
 * a new leader, one more leader change counted by both exporters, the exporters and Patroni showing
 * the new leader, writes flowing to it, the old leader back as a streaming replica. Pure.
 */
final class LeaderChange {

  static final String PGHA_CHANGES = PatroniMetrics.LEADER_CHANGES.name();
  static final String DCS_CHANGES = EtcdMetrics.DCS_LEADER_CHANGES.name();
  /**
   * How close exporter-etcd's vacancy must come to the drill's: two polls of the drill's leader key
   * reader (each end of its measure is off by up to half the gap between two polls, wider under load).
   */
  static final long VACANCY_AGREEMENT_MILLIS = 2 * DrillObserver.KEY_PERIOD_MILLIS;

  private LeaderChange() {
  }

  /** The new leader, the exporters and Patroni showing it, writes reaching it, both counters up. */
  static boolean seen(DrillAnalysis a) {
    Optional<String> leader = a.newLeader();
    if (leader.isEmpty()) {
      return false;
    }
    String m = leader.get();
    return a.firstAckedWrite(a.faultAt(), m).isPresent()
        && dcsShows(a, m).seen() && roleShows(a, m).seen() && patroniShows(a, m).seen()
        && increase(a, MetricsSample.EXPORTER_PATRONI, PGHA_CHANGES) >= 1
        && increase(a, MetricsSample.EXPORTER_ETCD, DCS_CHANGES) >= 1;
  }

  /** The common checks and figures; returns the new leader, if any. */
  static Optional<String> judge(DrillAnalysis a, Judgement j) {
    DrillRecording r = a.recording();
    String old = r.facts().leaderBefore();
    Optional<String> leader = a.newLeader();
    j.expect("new leader", "a member other than " + old + " takes the leader key",
        leader.map(m -> m + " after " + Fmt.seconds(a.newLeaderKeyAt().getAsLong() - a.faultAt())).orElse("none"),
        leader.isPresent());
    String m = leader.orElse("(new leader)");
    j.pgha(dcsShows(a, m));
    j.pgha(roleShows(a, m));
    j.patroni(patroniShows(a, m));
    counter(a, j, MetricsSample.EXPORTER_PATRONI, PGHA_CHANGES);
    counter(a, j, MetricsSample.EXPORTER_ETCD, DCS_CHANGES);
    OptionalLong keyAt = a.newLeaderKeyAt();
    OptionalLong writesAt = leader.isPresent() && keyAt.isPresent()
        ? a.firstAckedWrite(a.faultAt(), leader.get()) : OptionalLong.empty();
    j.expect("writes reach the new leader", "a write acknowledged by " + m,
        writesAt.isPresent() ? "after " + Fmt.seconds(writesAt.getAsLong() - a.faultAt()) : "none", writesAt.isPresent());
    OptionalLong routedAt = leader.isPresent() ? a.routedTo(leader.get()) : OptionalLong.empty();
    if (keyAt.isPresent() && routedAt.isPresent()) {
      j.figure("leader key change to HAProxy routing writes to " + m,
          Fmt.seconds(routedAt.getAsLong() - keyAt.getAsLong()) + " (stats polled every "
              + DrillObserver.ROUTE_PERIOD_MILLIS + " ms)");
    }
    if (keyAt.isPresent() && writesAt.isPresent()) {
      long keyToWrites = writesAt.getAsLong() - keyAt.getAsLong();
      j.figure("leader key change to writes flowing", Fmt.seconds(keyToWrites)
          + " (key change seen within " + DrillObserver.KEY_PERIOD_MILLIS + " ms)");
      j.goal("leader key change to writes flowing", "within 1.0 s", Fmt.seconds(keyToWrites), keyToWrites <= 1000);
    }
    if (r.restored() || leader.isPresent()) {
      boolean rejoined = leader.isPresent() && leader.get().equals(r.leaderAtEnd())
          && r.streamingAtEnd().stream().anyMatch(s -> s.startsWith(old));
      j.expect("old leader rejoins as a replica", old + " streams from " + m,
          "leader at the end " + (r.leaderAtEnd() == null ? "unknown" : r.leaderAtEnd()) + ", streaming "
              + r.streamingAtEnd(), rejoined);
    }
    return leader;
  }

  /**
   * exporter-etcd's account of the change ({@code /events}, read at the end): from the old leader to
   * the new one, of the {@code kind} the drill caused; its vacancy within
   * {@link #VACANCY_AGREEMENT_MILLIS} of the drill's own measure; with {@code cleanSwitch}, no WAL at
   * risk. Its WAL at risk is otherwise a figure: Patroni reports the leader's position once per loop,
   * so under traffic it trails the drill's last read of the old leader.
   */
  static void exporterEvent(DrillAnalysis a, Judgement j, String kind, boolean cleanSwitch) {
    String old = a.recording().facts().leaderBefore();
    Optional<String> leader = a.newLeader();
    Optional<LeaderEventsApi.Event> e = leader.flatMap(a::exporterEvent);
    j.expect("exporter-etcd event", old + " -> " + leader.orElse("(new leader)") + " (" + kind + ")",
        e.map(ev -> ev.from().orElse("?") + " -> " + ev.to().orElse("?") + " (" + ev.kind().orElse("?") + ")")
            .orElse("none in /events"),
        e.isPresent() && e.get().kind().equals(Optional.of(kind)));
    OptionalLong drill = a.vacancyMillis(kind.equals("expired"));
    OptionalDouble exporter = e.map(LeaderEventsApi.Event::vacancySeconds).orElse(OptionalDouble.empty());
    String expected = "within " + VACANCY_AGREEMENT_MILLIS + " ms of the drill's " + Fmt.seconds(drill, "(not measured)");
    if (drill.isPresent() && exporter.isPresent()) {
      long diff = Math.round(exporter.getAsDouble() * 1000) - drill.getAsLong();
      j.expect("vacancy: exporter-etcd against the drill", expected,
          String.format(Locale.ROOT, "%.3f s (%+d ms)", exporter.getAsDouble(), diff),
          Math.abs(diff) <= VACANCY_AGREEMENT_MILLIS);
    } else {
      j.expect("vacancy: exporter-etcd against the drill", expected, exporter.isPresent()
          ? "the drill did not measure it" : "exporter-etcd did not tell it", false);
    }
    OptionalLong risk = e.map(LeaderEventsApi.Event::walAtRiskBytes).orElse(OptionalLong.empty());
    if (cleanSwitch) {
      j.expect("exporter-etcd WAL at risk", "0 B", risk.isPresent() ? Fmt.bytes(risk.getAsLong()) : "not told",
          risk.isPresent() && risk.getAsLong() == 0);
    } else {
      j.figure("exporter-etcd WAL at risk (old leader's last reported position beyond the switch LSN)",
          risk.isPresent() ? Fmt.bytes(risk.getAsLong()) : "not told");
    }
  }

  /** PghaPatroniFailover for this change: its own alert, labelled with the old leader and the kind. */
  static ExpectedAlert failoverAlert(ClusterFacts facts, String kind) {
    return new ExpectedAlert("PghaPatroniFailover", Map.of("scope", facts.scope(), "from", facts.leaderBefore(),
        "kind", kind), false);
  }

  static Detection dcsShows(DrillAnalysis a, String member) {
    return a.detect(MetricsSample.EXPORTER_ETCD, EtcdMetrics.DCS_LEADER.name(), 1, "member", member);
  }

  static Detection roleShows(DrillAnalysis a, String member) {
    return a.detect(MetricsSample.EXPORTER_PATRONI, PatroniMetrics.MEMBER_ROLE.name(), 1, "member", member,
        "role", "leader");
  }

  static Detection patroniShows(DrillAnalysis a, String member) {
    return a.detect("patroni_primary 1 on " + member, MetricsSample.patroni(member),
        s -> s.is("patroni_primary", Map.of(), 1));
  }

  private static double increase(DrillAnalysis a, String source, String metric) {
    OptionalDouble d = a.counterIncrease(source, metric);
    return d.isPresent() ? d.getAsDouble() : Double.NaN;
  }

  private static void counter(DrillAnalysis a, Judgement j, String source, String metric) {
    OptionalDouble d = a.counterIncrease(source, metric);
    j.expect(metric + " +1", "exactly one more leader change (" + source + ")",
        d.isPresent() ? "+" + Fmt.number(d.getAsDouble()) : "not read before and after the fault",
        d.isPresent() && d.getAsDouble() == 1);
  }
}
