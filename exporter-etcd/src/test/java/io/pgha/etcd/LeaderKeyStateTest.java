package io.pgha.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeaderKeyStateTest {
  private static final long LEASE_1 = 0x6311a215f432fa06L;
  private static final long LEASE_2 = 0x6311a215f432fa1bL;

  /** pg-1 held the key (lease 1) and deleted it at 1 000 ms; {@code holder} put it with lease 2 at {@code putAtMillis}. */
  private static LeaderKeyState vacatedByPg1ThenTakenBy(String holder, long putAtMillis) {
    return LeaderKeyState.initial("pg-1", LEASE_1, 100)
        .apply(LeaderKeyEvent.delete(101), 1_000)
        .apply(LeaderKeyEvent.put(holder, 102, LEASE_2), putAtMillis);
  }

  @Test
  void deleteThenANewHolderIsOneVacancyAndOneChange() {
    LeaderKeyState s = vacatedByPg1ThenTakenBy("pg-2", 1_750);

    assertThat(s.holder()).isEqualTo("pg-2");
    assertThat(s.lease()).isEqualTo(LEASE_2);
    assertThat(s.vacancies()).isEqualTo(1);
    assertThat(s.changes()).isEqualTo(1);
    assertThat(s.lastChangeMillis()).isEqualTo(1_750);
    assertThat(s.lastVacancyMillis()).as("the key stayed empty from the delete to the put").isEqualTo(750);
    assertThat(s.knownHolders()).containsExactlyInAnyOrder("pg-1", "pg-2");
    assertThat(s.puts()).isEqualTo(1);
    assertThat(s.deletes()).isEqualTo(1);
  }

  @Test
  void expiryIsAVacancyLikeADeleteAndLeavesTheKeyAbsent() {
    // etcd reports a lease expiry as a delete of every key attached to the lease.
    LeaderKeyState s = LeaderKeyState.initial("pg-1", LEASE_1, 100).apply(LeaderKeyEvent.delete(130), 5_000);

    assertThat(s.present()).isFalse();
    assertThat(s.lease()).isZero();
    assertThat(s.vacancies()).isEqualTo(1);
    assertThat(s.changes()).isZero();
    assertThat(s.vacantSinceMillis()).isEqualTo(5_000);
    assertThat(s.lastHolder()).as("kept to tell a new holder from the same one").isEqualTo("pg-1");
  }

  @Test
  void theSameHolderTakingTheKeyAgainIsAVacancyButNoChange() {
    LeaderKeyState s = vacatedByPg1ThenTakenBy("pg-1", 1_200);

    assertThat(s.holder()).isEqualTo("pg-1");
    assertThat(s.vacancies()).isEqualTo(1);
    assertThat(s.changes()).isZero();
    assertThat(s.lastChangeMillis()).isEqualTo(-1);
    assertThat(s.lastVacancyMillis()).isEqualTo(200);
  }

  @Test
  void theHolderRewritingItsKeyWithANewLeaseIsNothing() {
    LeaderKeyState s = LeaderKeyState.initial("pg-1", LEASE_1, 100).apply(LeaderKeyEvent.put("pg-1", 105, LEASE_2), 1_000);

    assertThat(s.lease()).isEqualTo(LEASE_2);
    assertThat(s.revision()).isEqualTo(105);
    assertThat(s.changes()).isZero();
    assertThat(s.vacancies()).isZero();
    assertThat(s.lastVacancyMillis()).isEqualTo(-1);
  }

  @Test
  void aTakeoverWithoutAVacancyIsAChangeWithAZeroGap() {
    LeaderKeyState s = LeaderKeyState.initial("pg-1", LEASE_1, 100).apply(LeaderKeyEvent.put("pg-3", 101, LEASE_2), 2_000);

    assertThat(s.holder()).isEqualTo("pg-3");
    assertThat(s.changes()).isEqualTo(1);
    assertThat(s.vacancies()).isZero();
    assertThat(s.lastVacancyMillis()).isZero();
  }

  @Test
  void repeatedAndOlderEventsAreIgnored() {
    LeaderKeyState s = vacatedByPg1ThenTakenBy("pg-2", 1_100);

    // A re-created watch replays from the last revision applied; an older watch may deliver late.
    LeaderKeyState again = s.apply(LeaderKeyEvent.delete(101), 9_000).apply(LeaderKeyEvent.put("pg-2", 102, LEASE_2), 9_100);
    assertThat(again).isSameAs(s);
    assertThat(s.apply(LeaderKeyEvent.put("pg-1", 90, LEASE_1), 9_200)).isSameAs(s);
  }

  @Test
  void whenTheKeyWasVacantAtStartTheFirstHolderIsNotAChange() {
    LeaderKeyState s = LeaderKeyState.initial(null, 0, 50).apply(LeaderKeyEvent.put("pg-2", 51, LEASE_1), 1_000);

    assertThat(s.holder()).isEqualTo("pg-2");
    assertThat(s.changes()).as("who held it before the exporter started is unknown").isZero();
    assertThat(s.lastVacancyMillis()).as("nor since when it was empty").isEqualTo(-1);
    assertThat(s.vacancies()).isZero();
  }

  @Test
  void aFailoverSequenceCountsEveryStep() {
    LeaderKeyState s = LeaderKeyState.initial("pg-1", LEASE_1, 10);
    s = s.apply(LeaderKeyEvent.delete(11), 1_000);              // pg-1 released (switchover)
    s = s.apply(LeaderKeyEvent.put("pg-2", 12, 2), 1_100);      // pg-2 took it
    s = s.apply(LeaderKeyEvent.put("pg-2", 13, 3), 9_000);      // pg-2 re-wrote it with a new lease
    s = s.apply(LeaderKeyEvent.delete(14), 20_000);             // pg-2's lease expired (hard kill)
    s = s.apply(LeaderKeyEvent.put("pg-3", 15, 4), 50_000);     // pg-3 took it after the ttl
    s = s.apply(LeaderKeyEvent.delete(16), 60_000);             // released
    s = s.apply(LeaderKeyEvent.put("pg-3", 17, 5), 60_010);     // and taken again by pg-3

    assertThat(s.changes()).isEqualTo(2);
    assertThat(s.vacancies()).isEqualTo(3);
    assertThat(s.lastChangeMillis()).isEqualTo(50_000);
    assertThat(s.lastVacancyMillis()).isEqualTo(10);
    assertThat(s.knownHolders()).containsExactlyInAnyOrder("pg-1", "pg-2", "pg-3");
    assertThat(s.puts()).isEqualTo(4);
    assertThat(s.deletes()).isEqualTo(3);
  }

  @Test
  void recoveredEventsAreCountedAsMissedByTheWatch() {
    LeaderKeyState s = LeaderKeyState.initial("pg-1", LEASE_1, 10)
        .apply(LeaderKeyEvent.delete(11).asRecovered(), 1_000)
        .apply(LeaderKeyEvent.put("pg-2", 12, 2).asRecovered(), 1_000)
        .apply(LeaderKeyEvent.put("pg-2", 13, 3), 2_000);

    assertThat(s.recovered()).isEqualTo(2);
    assertThat(s.changes()).isEqualTo(1);
  }

  @Test
  void aGetShowingANewerKeyMeansTheWatchIsBehind() {
    LeaderKeyState held = LeaderKeyState.initial("pg-1", LEASE_1, 100);
    assertThat(held.behind(LeaderKeyEvent.put("pg-1", 100, LEASE_1), 120)).as("same revision").isFalse();
    assertThat(held.behind(LeaderKeyEvent.put("pg-2", 110, LEASE_2), 120)).as("newer put").isTrue();
    assertThat(held.behind(LeaderKeyEvent.delete(120), 120)).as("deleted since").isTrue();

    LeaderKeyState vacant = held.apply(LeaderKeyEvent.delete(101), 0);
    assertThat(vacant.behind(LeaderKeyEvent.delete(120), 120)).as("vacant in both").isFalse();
    assertThat(vacant.behind(LeaderKeyEvent.put("pg-2", 115, LEASE_2), 120)).isTrue();

    LeaderKeyState ahead = vacant.apply(LeaderKeyEvent.put("pg-3", 130, 7), 0);
    assertThat(ahead.behind(LeaderKeyEvent.delete(120), 120)).as("the watch is ahead of the Get").isFalse();
    assertThat(ahead.behind(LeaderKeyEvent.put("pg-2", 115, LEASE_2), 120)).isFalse();
  }
}
