package io.pgha.drills;

import io.pgha.patroni.PatroniMetrics;
import java.util.List;
import java.util.Map;

/**
 * Graceful stop of one replica's Patroni (SIGTERM; it stops its PostgreSQL). Writes must not notice;
 * the exporters and Patroni's own endpoint show the member gone, PghaPatroniMemberDown fires (after its
 * 1 m), and after the restart the replica streams again.
 */
final class ReplicaStopDrill implements Drill {

  @Override
  public String target(DrillPlan plan, ClusterFacts facts, ClusterControl control) {
    List<String> replicas = facts.replicasBefore();
    return plan.chosenTarget(replicas, "a replica").orElse(replicas.get(replicas.size() - 1));
  }

  @Override
  public List<ExpectedAlert> expectedAlerts(ClusterFacts facts, String target) {
    return List.of(new ExpectedAlert("PghaPatroniMemberDown", Map.of("scope", facts.scope(), "member", target)));
  }

  @Override
  public void inject(DrillContext ctx) throws Exception {
    ctx.control().faults().stopMember(ctx.target());
    ctx.say(ctx.target() + "'s Patroni has exited");
  }

  private static Detection memberDown(DrillAnalysis a) {
    return a.detect(MetricsSample.EXPORTER_PATRONI, PatroniMetrics.MEMBER_UP.name(), 0, "member", a.recording().target());
  }

  private static Detection endpointGone(DrillAnalysis a) {
    String m = a.recording().target();
    return a.detectGone(m + "'s /metrics stops answering", MetricsSample.patroni(m));
  }

  @Override
  public List<Detection> effects(DrillAnalysis a) {
    return List.of(memberDown(a), endpointGone(a));
  }

  @Override
  public Judgement judge(DrillAnalysis a) {
    Judgement j = Stability.riddenThrough(a);
    DrillRecording r = a.recording();
    j.pgha(memberDown(a));
    j.patroni(endpointGone(a));
    boolean streaming = r.streamingAtEnd().stream().anyMatch(s -> s.startsWith(r.target()));
    j.expect("streams again after the restart", r.target() + " in pg_stat_replication, state streaming",
        "streaming at the end: " + r.streamingAtEnd(), streaming);
    return j;
  }
}
