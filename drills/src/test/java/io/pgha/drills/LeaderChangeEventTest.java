package io.pgha.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;

/** What the leader drills check of exporter-etcd's account of a clean change (switchover, stop). */
class LeaderChangeEventTest {

  private static Judgement judge(RecordingBuilder b) {
    Judgement j = new Judgement();
    LeaderChange.exporterEvent(new DrillAnalysis(b.build()), j, "switchover", true);
    return j;
  }

  /** pg-1 hands over to pg-2: the key vacant from 14.8 s, taken at 14.9 s (0.1 s as the drill polls). */
  private static RecordingBuilder switchover() {
    return LeaderKillVerdictTest.failover(15_200, LeaderKillVerdictTest.plan(false));
  }

  @Test
  void aSwitchoverWithNoWalAtRiskAndAVacancyLikeTheDrillsPasses() {
    Judgement j = judge(switchover().exporterEvent("pg-1", "pg-2", "switchover", 14_880, 60, 0));

    assertThat(j.checks).extracting(Check::name, Check::measured, Check::status).containsExactly(
        tuple("exporter-etcd event", "pg-1 -> pg-2 (switchover)", Check.Status.PASS),
        tuple("vacancy: exporter-etcd against the drill", "0.060 s (-40 ms)", Check.Status.PASS),
        tuple("exporter-etcd WAL at risk", "0 B", Check.Status.PASS));
  }

  /** pg-1 renews every 2 s (last seen at 14 s) and hands over to pg-2 between two polls (14.8 s and 14.9 s). */
  @Test
  void aVacancyShorterThanAPollCountsFromTheLastPollStillShowingTheOldHolder() {
    DrillAnalysis a = new DrillAnalysis(new RecordingBuilder(LeaderKillVerdictTest.plan(false))
        .times(3_000, 5_000, 21_000, 28_000, 30_000)
        .keyRenewed(0, 14_900, "pg-1", 2_000).key(14_900, 30_000, "pg-2", true).build());

    assertThat(a.vacancyMillis(false)).as("both ends midway between 14.8 s and 14.9 s").hasValue(0);
    assertThat(a.vacancyMillis(true)).as("from the last renewal seen, 13.95 s").hasValue(900);
  }

  @Test
  void walAtRiskAfterASwitchoverIsAMiss() {
    Judgement j = judge(switchover().exporterEvent("pg-1", "pg-2", "switchover", 14_880, 60, 120));

    assertThat(j.checks).filteredOn(c -> c.status() == Check.Status.FAIL).extracting(Check::name, Check::measured)
        .containsExactly(tuple("exporter-etcd WAL at risk", "120 B"));
  }
}
