package io.pgha.drills;

import java.util.List;

/** Checks of the drills that must leave the leader alone. Pure. */
final class Stability {

  private Stability() {
  }

  /**
   * What a drill the cluster should ride through expects first: no failed write, and the leader
   * unchanged to the end of the drill.
   */
  static Judgement riddenThrough(DrillAnalysis a) {
    Judgement j = new Judgement();
    Outages.expectNone(a, j);
    expectLeaderUnchanged(a, j, a.recording().endedAtMillis());
    return j;
  }

  /** Nobody but the old leader held the key, it never went vacant, and only it ran as primary. */
  static void expectLeaderUnchanged(DrillAnalysis a, Judgement j, long until) {
    DrillRecording r = a.recording();
    String leader = r.facts().leaderBefore();
    List<String> others = a.otherKeyHolders(leader, a.faultAt(), until);
    boolean vacant = a.keyVacant(a.faultAt(), until);
    List<String> primaries = a.primaries(a.faultAt(), until);
    boolean ok = others.isEmpty() && !vacant && primaries.equals(List.of(leader));
    j.expect("leader unchanged", leader + " keeps the key and stays the only primary",
        ok ? leader + " throughout" : "key held by " + others + (vacant ? ", vacant at times" : "")
            + ", primaries seen " + primaries, ok);
  }
}
