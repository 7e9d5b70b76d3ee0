package io.pgha.drills;

import io.pgha.etcd.EtcdMetrics;
import io.pgha.lab.client.LeaderEventsApi;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.traffic.LedgerEntry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A failover onto a replica that lagged. Before the fault, with traffic running: the other replica is
 * stopped, the lagging one cut off from the leader (its WAL stops), and 2 MiB of WAL written on the
 * leader, more than Patroni's default maximum_lag_on_failover (1 MiB); the drill waits until the leader
 * has written that position to the DCS, where Patroni measures a candidate's lag from. The fault: SIGKILL
 * of the leader. By Patroni's rules:
 * <ul>
 *   <li>lag over the limit: no member may be promoted; the cluster stays without a leader (pgha shows it,
 *       PghaPatroniNoLeader fires after its 1 m) until the old leader is back, and nothing is lost;</li>
 *   <li>limit raised (1 GiB): the lagging replica is promoted, and every write whose commit lies beyond the
 *       WAL it had is lost: the ledger must count them (at least one), each placed by WAL position against
 *       what the replica had (the old leader's polled insert position), against the WAL the old leader had
 *       beyond the switch position. Right before the kill the traffic's writes are held until the leader's
 *       optime in the DCS is its {@code pg_current_wal_lsn()}: exporter-etcd's WAL at risk (the old
 *       leader's last reported position beyond the switch LSN) must then be the WAL the new leader never
 *       received, within one record;</li>
 *   <li>with {@code --sync} the cut replica is the synchronous standby: the leader cannot acknowledge a
 *       write after the cut, and nothing may be lost.</li>
 * </ul>
 */
final class LaggingFailoverDrill implements Drill {

  static final int BALLAST_BYTES = 2 << 20;
  /** Writes acknowledged after the cut, before the kill: what the raised-limit run must lose. */
  static final long MIN_LAGGING_WRITES_MILLIS = 3000;
  static final long OPTIME_TIMEOUT_MILLIS = 15_000;

  /** When the rules of the cut began to go in, and when all were in (the cut takes effect in between). */
  static final String CUT_AT = "cut_at";
  static final String CUT_DONE = "cut_done";
  static final String BALLAST_FROM = "ballast_from";
  static final String BALLAST_TO = "ballast_to";
  static final String OPTIME = "dcs_optime";
  static final String LAGGING_POSITION = "lagging_position";
  /** The leader's optime in the DCS once it equalled its {@code pg_current_wal_lsn()}, the writes held. */
  static final String SETTLED_OPTIME = "settled_optime";

  /**
   * How far exporter-etcd's WAL at risk may be from the WAL the new leader never received: one record, the
   * most that can slip in between Patroni's last report and the kill with the traffic's writes held. The
   * largest such record carries a full-page image of one 8 KiB block (data checksums are on, so even a hint
   * bit a read sets can log one; so can autovacuum), plus its record and block headers and a WAL page header
   * if it crosses a page: under 256 B. A commit (about 40 B) or running_xacts record is far smaller.
   */
  static final long ONE_RECORD_BYTES = 8192 + 256;
  /** A bound on the hold, should the drill fail before it lets the writes go. */
  static final Duration HOLD_AT_MOST = Duration.ofSeconds(60);

  private final boolean raised;

  /** @param raised maximum_lag_on_failover raised above the lag (the plan's {@code lagLimitRaised}) */
  LaggingFailoverDrill(boolean raised) {
    this.raised = raised;
  }

  /** The replica to lag: the synchronous standby in synchronous mode (the only one Patroni may promote). */
  @Override
  public String target(DrillPlan plan, ClusterFacts facts, ClusterControl control) {
    return plan.chosenTarget(facts.replicasBefore(), "a replica (the one that lags)").orElseGet(() -> {
      List<String> sync = control.syncStandbys();
      return sync.isEmpty() ? facts.replicasBefore().get(0) : sync.get(0);
    });
  }

  @Override
  public List<ExpectedAlert> expectedAlerts(ClusterFacts facts, String target) {
    return raised ? List.of(new ExpectedAlert("PghaPatroniFailover", Map.of("scope", facts.scope()), false))
        : List.of(new ExpectedAlert("PghaPatroniNoLeader", Map.of("scope", facts.scope())));
  }

  static String other(ClusterFacts facts, String lagging) {
    return facts.replicasBefore().stream().filter(m -> !m.equals(lagging)).findFirst().orElseThrow();
  }

  @Override
  public void prepare(DrillContext ctx) throws Exception {
    String leader = ctx.facts().leaderBefore();
    String lagging = ctx.target();
    String other = other(ctx.facts(), lagging);
    ctx.control().faults().stopMember(other);
    ctx.mark(Mark.Kind.EVENT, other + " stopped (SIGTERM): " + lagging + " is the only failover candidate");
    // Noted before the rules go in: the cut takes effect while they are installed (well under a second).
    long cutAt = ctx.now();
    ctx.note(CUT_AT, cutAt);
    ctx.control().faults().network().partition(lagging, leader);
    ctx.note(CUT_DONE, ctx.now());
    ctx.mark(Mark.Kind.EVENT, lagging + " cut off from " + leader + ": it receives no more WAL");
    long[] ballast = ctx.control().writeWal(leader, BALLAST_BYTES);
    ctx.note(BALLAST_FROM, ballast[0]);
    ctx.note(BALLAST_TO, ballast[1]);
    ctx.mark(Mark.Kind.EVENT, Fmt.bytes(ballast[1] - ballast[0]) + " of WAL written on " + leader);
    // Patroni measures a candidate's lag from the position the leader last wrote to the DCS.
    long deadline = ctx.now() + OPTIME_TIMEOUT_MILLIS;
    OptionalLong optime = ctx.control().leaderOptime();
    while ((optime.isEmpty() || optime.getAsLong() < ballast[1] || ctx.now() < cutAt + MIN_LAGGING_WRITES_MILLIS)
        && ctx.now() < deadline) {
      Thread.sleep(200);
      optime = ctx.control().leaderOptime();
    }
    long position = ctx.control().replicaPosition(lagging);
    ctx.note(LAGGING_POSITION, position);
    optime.ifPresent(o -> ctx.note(OPTIME, o));
    ctx.say("leader's optime in the DCS " + optime + ", " + lagging + " at " + position + ": lag "
        + (optime.isPresent() ? Fmt.bytes(optime.getAsLong() - position) : "unknown"));
    if (raised && !ctx.plan().sync()) {
      settleReportedPosition(ctx, leader);
    }
  }

  /**
   * Patroni reports a leader's {@code pg_current_wal_lsn()} once per loop, so under traffic its last report
   * trails the WAL by up to a loop's writes (kilobytes at 25 writes a second). With the traffic's writes
   * held the WAL stands still, and once the optime in the DCS equals {@code pg_current_wal_lsn()} (read
   * after it, so nothing was written in between), the old leader's last reported position is where its
   * WAL ends: the kill follows at once. The writes lost are those since the cut, before the hold.
   */
  private static void settleReportedPosition(DrillContext ctx, String leader) throws Exception {
    ctx.holdWrites(HOLD_AT_MOST, "until the leader's optime in the DCS is its pg_current_wal_lsn()");
    long heldAt = ctx.now();
    long deadline = heldAt + settleTimeoutMillis(ctx.facts());
    try (ClusterControl.PositionProbe probe = ctx.control().positionProbe(leader)) {
      while (true) {
        OptionalLong optime = ctx.control().leaderOptime();
        long written = probe.positions().written();
        if (optime.isPresent() && optime.getAsLong() == written) {
          ctx.note(SETTLED_OPTIME, written);
          ctx.say("leader's optime in the DCS is its pg_current_wal_lsn() " + WalDistance.lsn(written) + " after "
              + Fmt.seconds(ctx.now() - heldAt));
          return;
        }
        if (ctx.now() >= deadline) {
          ctx.say("leader's optime in the DCS " + (optime.isPresent() ? WalDistance.lsn(optime.getAsLong()) : "unknown")
              + " still not its pg_current_wal_lsn() " + WalDistance.lsn(written) + " after " + Fmt.seconds(ctx.now() - heldAt));
          return;
        }
        Thread.sleep(100);
      }
    }
  }

  /** Three of Patroni's loops and some: it reports once per loop_wait, later when busy. */
  static long settleTimeoutMillis(ClusterFacts facts) {
    return (3L * facts.loopWait() + 5) * 1000;
  }

  @Override
  public void inject(DrillContext ctx) throws Exception {
    try {
      LeaderKillDrill.kill(ctx, ctx.facts().leaderBefore());
    } finally {
      ctx.releaseWrites();
    }
  }

  @Override
  public boolean effectsSeen(DrillAnalysis a) {
    DrillRecording r = a.recording();
    boolean alerts = alertsSettled(a);
    if (raised) {
      return LeaderChange.seen(a) && alerts;
    }
    // No promotion is a non-event: watched until the alert came and well past the key's expiry.
    return alerts && r.endedAtMillis() - a.faultAt() >= (r.facts().ttl() + 20) * 1000L;
  }

  @Override
  public Duration observeAtMost(ClusterFacts facts) {
    return Duration.ofSeconds(facts.ttl() + 150);
  }

  /** The lag Patroni saw at the kill: the leader's optime in the DCS against the candidate's position. */
  static OptionalLong lag(DrillRecording r) {
    OptionalLong optime = r.value(OPTIME);
    OptionalLong position = r.value(LAGGING_POSITION);
    return optime.isPresent() && position.isPresent() ? OptionalLong.of(optime.getAsLong() - position.getAsLong())
        : OptionalLong.empty();
  }

  @Override
  public Judgement judge(DrillAnalysis a) {
    DrillRecording r = a.recording();
    Judgement j = new Judgement();
    OptionalLong lag = lag(r);
    long limit = raised ? DynamicConfig.RAISED_LAG_LIMIT : DynamicConfig.DEFAULT_LAG_LIMIT;
    j.expect("lag built", "the candidate over " + Fmt.bytes(DynamicConfig.DEFAULT_LAG_LIMIT)
            + " (Patroni's default maximum_lag_on_failover) behind the leader's optime in the DCS",
        lag.isPresent() ? Fmt.bytes(lag.getAsLong()) + " (maximum_lag_on_failover " + Fmt.bytes(limit) + ")" : "unknown",
        lag.isPresent() && lag.getAsLong() > DynamicConfig.DEFAULT_LAG_LIMIT);
    if (raised) {
      judgePromotion(a, j);
    } else {
      judgeNoPromotion(a, j);
    }
    return j;
  }

  private static void judgePromotion(DrillAnalysis a, Judgement j) {
    DrillRecording r = a.recording();
    String old = r.facts().leaderBefore();
    Optional<String> leader = LeaderChange.judge(a, j);
    j.expect("the lagging replica leads", r.target(), leader.orElse("none"), leader.map(r.target()::equals).orElse(false));
    long cutAt = r.value(CUT_AT).orElse(a.faultAt());
    long killedAt = r.value(LeaderKillDrill.KILLED_AT).orElse(a.faultAt());
    // In synchronous mode writes stop at the cut (the standby cannot confirm them), not at the kill.
    long outageLimit = LeaderKillDrill.outageLimitMillis(r.facts()) + (r.plan().sync() ? a.faultAt() - cutAt : 0);
    Outages.expectRecoveredWithin(a, j, outageLimit, "ttl + loop_wait + 2 s" + (r.plan().sync() ? " from the cut" : ""));
    Optional<WalDistance> wal = leader.flatMap(a::walDistance);
    j.wal(wal);
    long ballast = r.value(BALLAST_TO).orElse(0) - r.value(BALLAST_FROM).orElse(0);
    int takenAfterCut = a.okWrites(cutAt, killedAt + 1);
    j.figure("writes the old leader acknowledged between the cut and the kill", Integer.toString(takenAfterCut));
    if (!r.plan().sync()) {
      walAtRisk(j, old, r.target(), a.exporterEvent(r.target()).map(LeaderEventsApi.Event::walAtRiskBytes)
              .orElse(OptionalLong.empty()), r.value(LeaderKillDrill.WAL_LSN_AT_KILL), r.value(SETTLED_OPTIME),
          wal.map(WalDistance::switchPosition));
    }
    if (r.ledger() == null || !r.ledger().complete()) {
      return;
    }
    int lost = r.ledger().lost();
    if (r.plan().sync()) {
      long cutDone = r.value(CUT_DONE).orElse(cutAt);
      int afterCut = a.okWrites(cutDone, killedAt + 1);
      j.expect("no write acknowledged after the cut", "0 once the cut was in place (the synchronous standby "
          + "confirms none)", Integer.toString(afterCut), afterCut == 0);
      return;
    }
    j.allowLoss();
    j.expect("the ledger catches the loss", "at least 1 acknowledged write missing on the new leader",
        lost + " of " + r.ledger().acknowledged() + " lost", lost >= 1);
    // Bounded by WAL position, not by time (under load the replica was seconds behind at the cut): a commit
    // at or before what the promoted replica had is kept, one beyond it is lost.
    long had = wal.map(WalDistance::switchPosition).orElse(r.value(LAGGING_POSITION).orElse(0));
    String hadText = WalDistance.lsn(had) + " (what " + r.target() + " had)";
    OptionalLong keptUntil = a.ackedWithin(old, had, killedAt);
    List<LedgerEntry> outside = r.ledger().missing().stream().filter(e -> !e.member().equals(old)
        || keptUntil.isPresent() && e.ackedAtMillis() < keptUntil.getAsLong() || e.ackedAtMillis() > killedAt).toList();
    j.expect("lost writes are the ones beyond the replica's WAL", "each acknowledged by " + old + " after the last "
            + "moment its WAL was seen within " + hadText + ", before the kill",
        outside.isEmpty() ? "all " + lost : outside.size() + " outside", outside.isEmpty());
    j.figure("the old leader's WAL last seen within what the new leader had",
        keptUntil.isPresent() ? Fmt.seconds(keptUntil.getAsLong() - cutAt) + " from the cut" : "never seen");
    OptionalLong beyond = a.startedBeyond(old, had, killedAt);
    int mustLose = beyond.isPresent() ? a.okWritesStarted(old, beyond.getAsLong(), killedAt + 1) : 0;
    j.expect("writes beyond the replica's WAL lost", "at least the " + mustLose + " that " + old
        + " acknowledged, started once its WAL was past " + hadText, lost + " lost", lost >= mustLose);
    if (wal.isPresent()) {
      long bytes = wal.get().bytes();
      j.expect("WAL beyond the switch position", "more than the " + Fmt.bytes(ballast) + " the drill wrote",
          Fmt.bytes(bytes), bytes > ballast);
      if (lost > 0) {
        j.figure("WAL beyond the switch position per lost write (the drill's " + Fmt.bytes(ballast) + " left out)",
            Fmt.bytes((bytes - ballast) / lost));
      }
    }
  }

  /**
   * exporter-etcd's WAL at risk for the change against the WAL {@code promoted} never received: the old
   * leader's {@code pg_current_wal_lsn()} right before the kill beyond the switch LSN of {@code /history}.
   * Not zero, and within {@link #ONE_RECORD_BYTES}.
   */
  static void walAtRisk(Judgement j, String old, String promoted, OptionalLong eventRisk, OptionalLong lsnAtKill,
      OptionalLong settled, Optional<Long> switchLsn) {
    j.figure("old leader's optime in the DCS with the writes held", settled.isPresent()
        ? "its pg_current_wal_lsn() " + WalDistance.lsn(settled.getAsLong()) : "never caught up with pg_current_wal_lsn()");
    String name = "exporter-etcd WAL at risk against the WAL " + promoted + " never received";
    String bound = "above 0 B and within " + ONE_RECORD_BYTES + " B (one WAL record: an 8 KiB page image with its "
        + "headers) of " + old + "'s pg_current_wal_lsn() before the kill beyond the switch LSN of /history";
    if (lsnAtKill.isEmpty() || switchLsn.isEmpty()) {
      j.expect(name, bound, lsnAtKill.isEmpty() ? "pg_current_wal_lsn() not read before the kill"
          : "no /history entry for " + promoted, false);
      return;
    }
    long never = lsnAtKill.getAsLong() - switchLsn.get();
    String expected = bound + ": " + never + " B (" + WalDistance.lsn(lsnAtKill.getAsLong()) + " - "
        + WalDistance.lsn(switchLsn.get()) + ")";
    if (eventRisk.isEmpty()) {
      j.expect(name, expected, "exporter-etcd did not tell it", false);
      return;
    }
    long risk = eventRisk.getAsLong();
    long diff = risk - never;
    j.expect(name, expected, risk + " B (" + Fmt.bytes(risk) + "), " + String.format(Locale.ROOT, "%+d", diff)
        + " B from it", risk > 0 && Math.abs(diff) <= ONE_RECORD_BYTES);
  }

  private static void judgeNoPromotion(DrillAnalysis a, Judgement j) {
    DrillRecording r = a.recording();
    String old = r.facts().leaderBefore();
    long restore = r.restored() ? r.restoreAtMillis() : r.endedAtMillis();
    List<String> holders = a.otherKeyHolders(old, a.faultAt(), restore);
    List<String> primaries = a.primaries(a.faultAt() + 1000, restore);
    j.expect("no promotion", "no member takes the key or runs as primary until the restore",
        holders.isEmpty() && primaries.isEmpty() ? "none" : "key held by " + holders + ", primaries " + primaries,
        holders.isEmpty() && primaries.isEmpty());
    boolean vacant = a.keyVacant(a.faultAt(), restore);
    j.expect("the cluster stays without a leader", "the leader key vacant after it expired", vacant ? "vacant"
        : "never seen vacant", vacant);
    j.pgha(a.detect(MetricsSample.EXPORTER_PATRONI, PatroniMetrics.CLUSTER_HAS_LEADER.name(), 0));
    j.pgha(a.detect(MetricsSample.EXPORTER_ETCD, EtcdMetrics.DCS_LEADER_KEY_PRESENT.name(), 0));
    j.patroni(a.detect("patroni_cluster_unlocked 1 on " + r.target(), MetricsSample.patroni(r.target()),
        s -> s.is("patroni_cluster_unlocked", Map.of(), 1)));
    OptionalLong back = a.firstAckedWrite(restore, null);
    j.figure("writes back after the restore began", back.isPresent() ? Fmt.seconds(back.getAsLong() - restore) : "not seen");
    j.expect("the old leader leads again", old + " holds the key at the end, " + r.target() + " streams from it",
        "leader " + r.leaderAtEnd() + ", streaming " + r.streamingAtEnd(),
        old.equals(r.leaderAtEnd()) && r.streamingAtEnd().stream().anyMatch(s -> s.startsWith(r.target())));
  }
}
