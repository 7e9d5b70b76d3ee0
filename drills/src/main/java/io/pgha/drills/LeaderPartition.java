package io.pgha.drills;

import io.pgha.traffic.OperationOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the two drills that cut the leader off have in common (leader-partition-dcs, leader-isolated):
 * Patroni's promise that the old leader stops taking writes before its key expires and another member
 * takes it. Checked on the writes themselves (the traffic's and those of a session held straight to the
 * old leader, which HAProxy cannot cut) and on PostgreSQL's role, besides {@link LeaderChange}'s checks.
 * The judgement is pure.
 */
abstract class LeaderPartition implements Drill {

  /** When every rule of the cut was in place (the drill's clock): installing them takes seconds under load. */
  static final String CUT_DONE = "cut_done";

  /** Cuts the target off, then notes when the cut was complete. */
  @Override
  public final void inject(DrillContext ctx) throws Exception {
    String what = cut(ctx);
    ctx.note(CUT_DONE, ctx.now());
    ctx.say(what + " (" + ctx.control().faults().network().rules().size() + " iptables rules)");
  }

  /** Installs the drill's rules; says what was cut off. */
  abstract String cut(DrillContext ctx) throws Exception;

  @Override
  public final String target(DrillPlan plan, ClusterFacts facts, ClusterControl control) {
    return facts.leaderBefore();
  }

  @Override
  public final List<ExpectedAlert> expectedAlerts(ClusterFacts facts, String target) {
    return List.of(new ExpectedAlert("PghaPatroniFailover", Map.of("scope", facts.scope()), false));
  }

  @Override
  public final boolean holdsSessionToLeader() {
    return true;
  }

  /** The new leader and the exporters showing it, and the old leader seen out of the primary role. */
  @Override
  public final boolean effectsSeen(DrillAnalysis a) {
    return LeaderChange.seen(a) && a.notPrimarySince(a.recording().facts().leaderBefore()).isPresent()
        && alertsSettled(a);
  }

  @Override
  public final Duration observeAtMost(ClusterFacts facts) {
    return Duration.ofSeconds(facts.ttl() + 60);
  }

  @Override
  public final Judgement judge(DrillAnalysis a) {
    Judgement j = new Judgement();
    judge(a, j);
    judgeOwn(a, a.recording().facts().leaderBefore(), j);
    return j;
  }

  /** What only this drill checks, about the old leader. */
  abstract void judgeOwn(DrillAnalysis a, String oldLeader, Judgement j);

  /**
   * The key expires at most ttl after its last renewal, so a new leader and HAProxy's checks follow
   * within ttl + loop_wait + 2 s of the cut, as after a kill.
   */
  static long outageLimitMillis(ClusterFacts facts) {
    return LeaderKillDrill.outageLimitMillis(facts);
  }

  /** The checks and figures both drills share; returns the new leader, if any. */
  private static Optional<String> judge(DrillAnalysis a, Judgement j) {
    DrillRecording r = a.recording();
    ClusterFacts facts = r.facts();
    String old = facts.leaderBefore();
    Optional<String> leader = LeaderChange.judge(a, j);
    OptionalLong keyAt = a.newLeaderKeyAt();
    OptionalLong lastWrite = a.lastWriteAckedBy(old, a.faultAt());
    OptionalLong notPrimary = a.notPrimarySince(old);
    long ttl = facts.ttl() * 1000L;
    long cutDone = r.value(CUT_DONE).orElse(a.faultAt());
    j.figure("cut in place (every rule installed)", "after " + Fmt.seconds(cutDone - a.faultAt()));
    // Patroni's documented bound, a goal: Patroni 3.0.2's etcd3 client was seen to exceed it on a loaded
    // machine (DCS retries over three endpoints took 9.4 s of a loop, 2 * retry_timeout is 8 s).
    j.goal("old leader stops being primary within ttl", old + " seen in recovery or gone within " + Fmt.seconds(ttl)
            + " of the cut in place (Patroni demotes when it cannot renew its key: loop_wait + 2 * retry_timeout <= ttl)",
        notPrimary.isPresent() ? "after " + Fmt.seconds(notPrimary.getAsLong() - cutDone) : "still primary",
        notPrimary.isPresent() && notPrimary.getAsLong() - cutDone <= ttl);
    if (keyAt.isPresent()) {
      long key = keyAt.getAsLong();
      String newLeader = leader.orElse("another member");
      // What HA needs of it: never two primaries, the old one gone before another member leads.
      j.expect("old leader stops being primary before the new leader", old + " seen in recovery or gone before "
              + newLeader + " took the key",
          notPrimary.isPresent() ? Fmt.seconds(key - notPrimary.getAsLong()) + " before the key changed hands" : "still primary",
          notPrimary.isPresent() && notPrimary.getAsLong() < key);
      j.expect("old leader's last write before the new leader", "no write acknowledged by " + old + " after "
              + newLeader + " took the key",
          lastWrite.isPresent() ? "last write on " + old + " " + Fmt.seconds(key - lastWrite.getAsLong())
              + " before the key changed hands" : "no write on " + old + " after the fault",
          lastWrite.isEmpty() || lastWrite.getAsLong() < key);
    }
    lastWrite.ifPresent(w -> j.figure("old leader's last acknowledged write (traffic or held session)",
        "after " + Fmt.seconds(w - a.faultAt())));
    Optional<OperationOutcome> refused = a.firstHeldFailure(a.faultAt());
    refused.ifPresent(f -> j.figure("session held to " + old + ": first write refused",
        "after " + Fmt.seconds(f.endedAtMillis() - a.faultAt()) + " (" + f.error() + ")"));
    notPrimary.ifPresent(n -> j.figure(old + " out of the primary role (its PostgreSQL, polled directly)",
        "after " + Fmt.seconds(n - a.faultAt())));
    keyAt.ifPresent(k -> j.figure("new leader took the key", "after " + Fmt.seconds(k - a.faultAt())));
    Outages.expectRecoveredWithin(a, j, outageLimitMillis(facts), "ttl + loop_wait + 2 s");
    return leader;
  }
}
