package io.pgha.drills;

import io.pgha.lab.deploy.Components;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Stop HAProxy (SIGTERM). Clients are refused while PostgreSQL and Patroni go on untouched (leader
 * unchanged); PghaHaproxyDown fires (after its 30 s). The restore starts HAProxy again and waits until
 * its checks route right (it starts with every server UP, so a write may reach a replica at first):
 * from then on no write may fail and no read may reach the primary.
 */
final class HaproxyDownDrill implements Drill {

  @Override
  public String target(DrillPlan plan, ClusterFacts facts, ClusterControl control) {
    return Components.HAPROXY;
  }

  @Override
  public List<ExpectedAlert> expectedAlerts(ClusterFacts facts, String target) {
    return List.of(new ExpectedAlert("PghaHaproxyDown", Map.of()));
  }

  @Override
  public void inject(DrillContext ctx) throws Exception {
    ctx.control().faults().stopHaproxy();
    ctx.say("HAProxy has exited");
  }

  @Override
  public boolean effectsSeen(DrillAnalysis a) {
    return a.failedWritesAfterFault() > 0 && alertsSettled(a);
  }

  @Override
  public Duration observeAtMost(ClusterFacts facts) {
    return Duration.ofSeconds(100);
  }

  @Override
  public Judgement judge(DrillAnalysis a) {
    DrillRecording r = a.recording();
    long restore = r.faultEndMillis();
    Judgement j = new Judgement();
    // Writes in flight at the stop may still be acknowledged; a second later none may.
    int acked = a.okWrites(a.faultAt() + 1000, restore);
    List<String> errors = a.writeErrors(a.faultAt(), restore);
    boolean refused = !errors.isEmpty() && errors.get(0).contains("refused");
    j.expect("clients refused", "no write acknowledged while HAProxy is down, connections refused",
        acked + " acknowledged; " + (errors.isEmpty() ? "no error" : errors.get(0)), acked == 0 && refused);
    Stability.expectLeaderUnchanged(a, j, r.endedAtMillis());
    List<String> silentMembers = r.facts().members().stream().filter(m -> {
      List<MetricsSample> polls = r.metrics().stream().filter(s -> s.source().equals(MetricsSample.patroni(m))
          && s.atMillis() >= a.faultAt() && s.atMillis() < restore).toList();
      return polls.isEmpty() || polls.stream().anyMatch(s -> !s.answered());
    }).toList();
    j.expect("Patroni unaffected", "every member's REST API answers every poll while HAProxy is down",
        silentMembers.isEmpty() ? "all answered" : "not answering every poll: " + silentMembers, silentMembers.isEmpty());
    if (r.converged()) {
      int failed = a.failedWrites(r.convergedAtMillis(), Long.MAX_VALUE);
      int wrongReads = a.readsFromPrimary(r.convergedAtMillis(), Long.MAX_VALUE);
      j.expect("routing right after the restart", "once HAProxy's checks settled: no failed write, no read from "
          + "the primary", failed + " failed writes, " + wrongReads + " reads from the primary",
          failed == 0 && wrongReads == 0);
    }
    if (r.restored()) {
      int failedEarly = a.failedWrites(restore, r.converged() ? r.convergedAtMillis() : r.endedAtMillis());
      j.figure("failed writes between the restart and settled checks", Integer.toString(failedEarly));
      j.figure("reads served by the primary right after the restart",
          Integer.toString(a.readsFromPrimary(restore, r.converged() ? r.convergedAtMillis() : r.endedAtMillis())));
      java.util.OptionalLong back = a.firstAckedWrite(restore, null);
      j.figure("restart to writes flowing", back.isPresent() ? Fmt.seconds(back.getAsLong() - restore) : "none");
    }
    return j;
  }
}
