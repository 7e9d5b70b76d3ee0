package io.pgha.drills;

import io.pgha.etcd.EtcdMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Every Patroni member's requests to etcd take {@link #DELAY} longer each way, for {@link #HOLD}: a DCS
 * slowed down by its network (the kernel here has no netem, so a relay adds the latency; see lab's
 * DelayProxy). With ttl 10, loop_wait 2 and retry_timeout 4, Patroni gives each request about
 * retry_timeout / 3 per etcd member (1.3 s): a round trip of 0.6 s fits, so Patroni should keep the
 * lease, only later in each loop, and writes should not notice. The drill reports what Patroni did
 * (leader kept, the lease's lowest time left, how stale each member's DCS view got) and what pgha showed.
 */
final class EtcdSlowDrill implements Drill {

  static final Duration DELAY = Duration.ofMillis(300);
  static final Duration HOLD = Duration.ofSeconds(40);
  /** Connections through the relays before the drill counts the delay as in place (each member reconnects). */
  static final long SETTLE_MILLIS = 10_000;
  static final String DELAYED_CONNECTIONS = "delayed_connections";

  @Override
  public String target(DrillPlan plan, ClusterFacts facts, ClusterControl control) {
    return String.join(",", facts.members());
  }

  @Override
  public List<ExpectedAlert> expectedAlerts(ClusterFacts facts, String target) {
    return List.of();
  }

  @Override
  public void inject(DrillContext ctx) throws Exception {
    var network = ctx.control().faults().network();
    network.slowDcs(DELAY);
    ctx.say("Patroni's requests to etcd delayed by " + DELAY.toMillis() + " ms each way");
    long until = ctx.now() + SETTLE_MILLIS;
    while (network.delayedConnections() < ctx.facts().members().size() && ctx.now() < until) {
      Thread.sleep(200);
    }
    ctx.note(DELAYED_CONNECTIONS, network.delayedConnections());
    ctx.say(network.delayedConnections() + " connections to etcd go through the delay");
  }

  /** Nothing to wait for but time: several ttl of slow DCS calls. */
  @Override
  public boolean effectsSeen(DrillAnalysis a) {
    return a.recording().endedAtMillis() - a.faultAt() >= HOLD.toMillis();
  }

  @Override
  public Duration observeAtMost(ClusterFacts facts) {
    return HOLD.plusSeconds(5);
  }

  @Override
  public Judgement judge(DrillAnalysis a) {
    DrillRecording r = a.recording();
    long restore = r.restored() ? r.restoreAtMillis() : r.endedAtMillis();
    Judgement j = new Judgement();
    long delayed = r.value(DELAYED_CONNECTIONS).orElse(0);
    j.expect("Patroni's DCS calls delayed", "every member's connections to etcd through the delay ("
        + DELAY.toMillis() + " ms each way)", delayed + " connections", delayed >= r.facts().members().size());
    Stability.expectLeaderUnchanged(a, j, r.endedAtMillis());
    Outages.expectNone(a, j);
    OptionalDouble lease = a.samples(MetricsSample.EXPORTER_ETCD, a.faultAt(), restore).stream()
        .map(s -> s.value(EtcdMetrics.DCS_LEADER_LEASE_TTL_SECONDS.name())).filter(OptionalDouble::isPresent)
        .mapToDouble(OptionalDouble::getAsDouble).min();
    OptionalDouble leaseBefore = a.samples(MetricsSample.EXPORTER_ETCD, r.startedAtMillis(), a.faultAt()).stream()
        .map(s -> s.value(EtcdMetrics.DCS_LEADER_LEASE_TTL_SECONDS.name())).filter(OptionalDouble::isPresent)
        .mapToDouble(OptionalDouble::getAsDouble).min();
    j.figure("leader key's lease, least time left (pgha_dcs_leader_lease_ttl_seconds)",
        (lease.isPresent() ? Fmt.number(lease.getAsDouble()) + " s" : "not seen") + " of " + r.facts().ttl()
            + " s while slow; " + (leaseBefore.isPresent() ? Fmt.number(leaseBefore.getAsDouble()) + " s" : "not seen")
            + " before");
    for (String m : r.facts().members()) {
      j.figure(m + ": DCS last seen, oldest (Patroni's patroni_dcs_last_seen)", Fmt.seconds(dcsAge(a, m,
          a.faultAt() + 2000, restore)) + " while slow; " + Fmt.seconds(dcsAge(a, m, r.startedAtMillis(), a.faultAt()))
          + " before");
    }
    return j;
  }

  /**
   * The oldest view of the DCS a member's Patroni reported within [from, to): sample time - last seen
   * (Patroni reports whole seconds: up to a second more than the truth).
   */
  static long dcsAge(DrillAnalysis a, String member, long from, long to) {
    return a.samples(MetricsSample.patroni(member), from, to).stream()
        .filter(s -> s.value("patroni_dcs_last_seen").isPresent())
        .mapToLong(s -> s.atMillis() - (long) (s.value("patroni_dcs_last_seen").getAsDouble() * 1000))
        .max().orElse(0);
  }
}
