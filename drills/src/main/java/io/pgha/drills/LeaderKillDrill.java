package io.pgha.drills;

import java.time.Duration;
import java.util.Optional;

/**
 * SIGKILL of the leader's Patroni and PostgreSQL. The leader key expires after at most ttl, a replica
 * takes it and promotes, HAProxy's checks find it. Without synchronous replication acknowledged writes
 * may be lost (counted, with the WAL the old leader had beyond the switch position); with it, none.
 */
final class LeaderKillDrill implements LeaderLossDrill {

  @Override
  public String keyEnd() {
    return "expired";
  }

  @Override
  public void inject(DrillContext ctx) throws Exception {
    kill(ctx, ctx.target());
  }

  /** When the SIGKILL went out (a moment after the fault's mark: the position is read first). */
  static final String KILLED_AT = "killed_at";

  /** The old leader's {@code pg_current_wal_lsn()} read right before the SIGKILL, as a byte offset. */
  static final String WAL_LSN_AT_KILL = "wal_lsn_at_kill";

  /** SIGKILL of a leader, its last WAL position read right before: the WAL distance is measured from it. */
  static void kill(DrillContext ctx, String leader) throws Exception {
    try (ClusterControl.PositionProbe probe = ctx.control().positionProbe(leader)) {
      ClusterControl.WalPositions position = probe.positions();
      long at = ctx.now();
      ctx.control().faults().killMember(leader);
      ctx.record(new PositionSample(at, leader, true, true, position.insert()));
      ctx.note(KILLED_AT, at);
      ctx.note(WAL_LSN_AT_KILL, position.written());
    }
    ctx.say("killed " + leader + "'s Patroni and PostgreSQL");
  }

  @Override
  public Duration observeAtMost(ClusterFacts facts) {
    return Duration.ofSeconds(facts.ttl() + 60);
  }

  /**
   * The key expires at most ttl after its last renewal; a replica watching it promotes at once and
   * HAProxy finds it within a check or two. ttl + loop_wait + 2 s leaves room for the promotion and
   * the checks, still "near ttl".
   */
  static long outageLimitMillis(ClusterFacts facts) {
    return (facts.ttl() + facts.loopWait() + 2) * 1000L;
  }

  @Override
  public Judgement judge(DrillAnalysis a) {
    DrillRecording r = a.recording();
    ClusterFacts facts = r.facts();
    Judgement j = new Judgement();
    Optional<String> leader = LeaderChange.judge(a, j);
    LeaderChange.exporterEvent(a, j, "expired", false);
    Outages.expectRecoveredWithin(a, j, outageLimitMillis(facts), "ttl + loop_wait + 2 s");
    Outages.goal(a, j, (facts.ttl() + 1) * 1000L, "under ttl + 1 s");
    j.wal(leader.flatMap(a::walDistance));
    if (!r.plan().sync()) {
      j.allowLoss();
    }
    return j;
  }
}
