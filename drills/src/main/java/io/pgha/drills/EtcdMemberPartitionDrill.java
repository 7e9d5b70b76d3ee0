package io.pgha.drills;

import io.pgha.etcd.EtcdMetrics;
import java.util.List;
import java.util.Map;

/**
 * One etcd member cut off from its peers (raft traffic both ways), the raft leader by default; clients
 * still reach all three. The two others keep the quorum (electing a new raft leader if needed), the
 * isolated one cannot serve quorum reads or writes, and Patroni moves its requests to a member that can.
 * No outage, quorum at risk reported (PghaEtcdQuorumAtRisk, after its 1 m), and no false "quorum lost".
 */
final class EtcdMemberPartitionDrill implements Drill {

  static final String QUORUM_LOST = "PghaEtcdQuorumLost";

  /** etcd's election timeout (1 s), plus exporter-etcd's probe interval and the age it may serve a probe at. */
  static final long ELECTION_WINDOW_MILLIS = 10_000;

  /** The member etcd-one-down would stop: the Raft leader unless one is chosen. */
  @Override
  public String target(DrillPlan plan, ClusterFacts facts, ClusterControl control) {
    return new EtcdOneDownDrill().target(plan, facts, control);
  }

  @Override
  public List<ExpectedAlert> expectedAlerts(ClusterFacts facts, String target) {
    return List.of(new ExpectedAlert("PghaEtcdQuorumAtRisk", Map.of()));
  }

  @Override
  public void inject(DrillContext ctx) throws Exception {
    ctx.control().faults().network().isolateEtcdMember(ctx.target());
    ctx.say(ctx.target() + " cut off from its peers (" + ctx.control().faults().network().rules().size()
        + " iptables rules)");
  }

  private static Detection unhealthy(DrillAnalysis a) {
    return a.detect(MetricsSample.EXPORTER_ETCD, EtcdMetrics.ETCD_MEMBER_HEALTHY.name(), 0, "member", a.recording().target());
  }

  @Override
  public List<Detection> effects(DrillAnalysis a) {
    return List.of(EtcdOneDownDrill.atRisk(a), unhealthy(a));
  }

  @Override
  public Judgement judge(DrillAnalysis a) {
    DrillRecording r = a.recording();
    long restore = r.restored() ? r.restoreAtMillis() : r.endedAtMillis();
    Judgement j = new Judgement();
    Outages.expectNone(a, j);
    Stability.expectLeaderUnchanged(a, j, r.endedAtMillis());
    List<MetricsSample> during = a.samples(MetricsSample.EXPORTER_ETCD, a.faultAt(), restore);
    // Cutting off the Raft leader (the default target) makes the other two elect a new one: for etcd's
    // election timeout (1 s) no member serves a quorum read, and exporter-etcd may show that reading
    // until its next probe. That loss is real and short; past the window, any is false.
    long settled = a.faultAt() + ELECTION_WINDOW_MILLIS;
    List<MetricsSample> quorumLost = during.stream()
        .filter(s -> s.is(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name(), Map.of(), 0)).toList();
    long lost = quorumLost.stream().filter(s -> s.atMillis() > settled).count();
    long duringElection = quorumLost.size() - lost;
    j.expect("no false quorum loss", EtcdMetrics.ETCD_QUORUM_AVAILABLE.name() + " 1 while " + r.target()
            + " is cut off (0 allowed only in the first " + ELECTION_WINDOW_MILLIS / 1000 + " s: the election)",
        during.isEmpty() ? "exporter-etcd never answered" : lost + " of " + during.size()
            + " samples without quorum after the election window" + (duringElection > 0
            ? " (" + duringElection + " within it)" : ""),
        !during.isEmpty() && lost == 0);
    long quorumLostAlerts = r.alerts().stream().filter(x -> x.firing() && x.seenAtMillis() >= a.faultAt()
        && x.alertname().equals(QUORUM_LOST)).count();
    j.expect("no " + QUORUM_LOST, "not delivered", quorumLostAlerts == 0 ? "not delivered" : "delivered",
        quorumLostAlerts == 0);
    j.pgha(EtcdOneDownDrill.atRisk(a));
    j.pgha(unhealthy(a));
    return j;
  }
}
