package io.pgha.drills;

import java.time.Duration;

/**
 * Graceful stop of the leader's Patroni (SIGTERM): it shuts PostgreSQL down, which waits for the
 * replicas to receive all WAL, then gives the leader key up; a replica takes it at once. Nothing
 * acknowledged may be lost.
 */
final class LeaderStopDrill implements LeaderLossDrill {

  /** The "about 5 s"; a few seconds of HAProxy checks and promotion on top stay within 8 s. */
  static final long OUTAGE_LIMIT_MILLIS = 8_000;

  @Override
  public String keyEnd() {
    return "released";
  }

  @Override
  public void inject(DrillContext ctx) throws Exception {
    ctx.control().faults().stopMember(ctx.target());
    ctx.say(ctx.target() + "'s Patroni has exited");
  }

  @Override
  public Duration observeAtMost(ClusterFacts facts) {
    return Duration.ofSeconds(facts.ttl() + 45);
  }

  @Override
  public Judgement judge(DrillAnalysis a) {
    Judgement j = new Judgement();
    LeaderChange.judge(a, j);
    LeaderChange.exporterEvent(a, j, "released", true);
    Outages.expectRecoveredWithin(a, j, OUTAGE_LIMIT_MILLIS, "about 5 s expected");
    return j;
  }
}
