package io.pgha.drills;

import io.pgha.lab.client.Http;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A planned switchover through Patroni's REST API ({@code POST /switchover} to the leader, naming a
 * candidate). The fault's moment is the request; nothing acknowledged may be lost.
 */
final class SwitchoverDrill implements Drill {

  /** A planned switchover is a clean shutdown and a promotion: writes should be back within seconds. */
  static final long OUTAGE_LIMIT_MILLIS = 8_000;
  static final long GOAL_MILLIS = 2_000;

  @Override
  public String target(DrillPlan plan, ClusterFacts facts, ClusterControl control) {
    return plan.chosenTarget(facts.replicasBefore(), "a replica (the switchover's candidate)").orElseGet(() -> {
      // In synchronous mode Patroni only switches over to the sync standby.
      List<String> sync = control.syncStandbys();
      return sync.isEmpty() ? facts.replicasBefore().get(0) : sync.get(0);
    });
  }

  @Override
  public List<ExpectedAlert> expectedAlerts(ClusterFacts facts, String target) {
    return List.of(new ExpectedAlert("PghaPatroniFailover", Map.of("scope", facts.scope(), "from", facts.leaderBefore(),
        "to", target, "kind", "switchover"), false));
  }

  /** Without a candidate the leader's loss is an outage; in synchronous mode only the synchronous standby may take over. */
  @Override
  public List<String> foretellingAlerts() {
    return List.of("PghaPatroniNoFailoverCandidate");
  }

  @Override
  public void inject(DrillContext ctx) {
    Http.Response r = ctx.control().switchover(ctx.facts().leaderBefore(), ctx.target());
    ctx.mark(Mark.Kind.EVENT, "Patroni answered " + r.status() + ": " + r.body().strip());
    if (!r.ok()) {
      throw new IllegalStateException("switchover refused: HTTP " + r.status() + " " + r.body().strip());
    }
  }

  @Override
  public boolean effectsSeen(DrillAnalysis a) {
    return LeaderChange.seen(a) && alertsSettled(a);
  }

  @Override
  public Duration observeAtMost(ClusterFacts facts) {
    return Duration.ofSeconds(60);
  }

  @Override
  public boolean needsRestore() {
    return false;
  }

  @Override
  public Judgement judge(DrillAnalysis a) {
    DrillRecording r = a.recording();
    Judgement j = new Judgement();
    LeaderChange.judge(a, j);
    LeaderChange.exporterEvent(a, j, "switchover", true);
    j.expect("leader is the candidate", r.target(), a.newLeader().orElse("none"),
        a.newLeader().map(r.target()::equals).orElse(false));
    Outages.expectRecoveredWithin(a, j, OUTAGE_LIMIT_MILLIS, "a planned switchover");
    OptionalLong flowing = a.firstAckedWrite(a.faultAt(), r.target());
    String measured = flowing.isPresent() ? Fmt.seconds(flowing.getAsLong() - a.faultAt()) : "writes never reached it";
    j.figure("request to writes flowing again", measured);
    j.goal("switchover end to end", "request to writes flowing under " + Fmt.seconds(GOAL_MILLIS), measured,
        flowing.isPresent() && flowing.getAsLong() - a.faultAt() < GOAL_MILLIS);
    return j;
  }
}
