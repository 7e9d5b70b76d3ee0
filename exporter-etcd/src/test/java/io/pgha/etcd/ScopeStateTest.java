package io.pgha.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.etcd.LeaderEvent.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Leader changes told from a recorded watch of a live Patroni 3.0.2 cluster, and from made-up corner cases. */
class ScopeStateTest {
  private static final RecordedWatch RECORDED = RecordedWatch.load("patroni-3.0.2-watch.tsv", "pgha");
  private static final long LEASE_1 = 1292430055786684679L;
  private static final long LEASE_3 = 4125757171356189192L;

  @Test
  void theRecordedSwitchoverFailoverStopAndKillAreFourEventsOfTheirKinds() {
    ScopeState s = RECORDED.replay();
    List<LeaderEvent> seen = s.events().stream().filter(e -> !e.rebuilt()).toList();

    assertThat(seen).extracting(e -> e.from().orElseThrow() + "->" + e.to() + " " + e.kind().orElseThrow().label())
        .containsExactly("pg-3->pg-2 expired", "pg-2->pg-3 released", "pg-1->pg-2 failover", "pg-3->pg-1 switchover");
    assertThat(s.changes()).containsEntry(Kind.SWITCHOVER, 1L).containsEntry(Kind.FAILOVER, 1L)
        .containsEntry(Kind.RELEASED, 1L).containsEntry(Kind.EXPIRED, 1L).containsEntry(Kind.UNKNOWN, 0L);
    assertThat(s.leader().changes()).isEqualTo(4);
    assertThat(s.vacancies().get(Kind.EXPIRED).count()).isEqualTo(1);
    assertThat(s.lastChange()).map(LeaderEvent::to).contains("pg-2");
    assertThat(seen).allSatisfy(e -> assertThat(e.recovered()).isFalse());
  }

  @Test
  void aSwitchoverIsNamedByItsRequestLosesNoWalAndItsVacancyIsTheDeleteToThePut() {
    LeaderEvent e = event(RECORDED.replay(), "pg-1");

    assertThat(e.kind()).contains(Kind.SWITCHOVER);
    assertThat(e.request()).contains(new FailoverRequest(Optional.of("pg-3"), Optional.of("pg-1"), Optional.empty()));
    assertThat(e.vacancyMillis()).contains(RECORDED.seenAt(56) - RECORDED.seenAt(53));
    assertThat(e.keyVacantMillis()).isEqualTo(e.vacancyMillis());
    assertThat(e.detectedAtMillis()).isEqualTo(RECORDED.seenAt(56));
    // pg-3 wrote its last optime (the shutdown checkpoint's position) just before releasing the key.
    assertThat(e.oldLeaderPositionBytes()).isEqualTo(84194832);
    assertThat(e.timeline()).isEqualTo(2);
    assertThat(e.switchLsnBytes()).isEqualTo(84194952);
    assertThat(e.walAtRiskBytes()).contains(0L);
    assertThat(e.historyAtMillis()).isEqualTo(RECORDED.seenAt(61));
    assertThat(e.promotedAtMillis()).isEqualTo(java.time.Instant.parse("2026-12-06T05:12:52.353777Z").toEpochMilli());
  }

  static Stream<Arguments> recordedHandovers() {
    return Stream.of(
        // A failover to a candidate is named by its request.
        Arguments.of("pg-2", Kind.FAILOVER, "pg-1",
            Optional.of(new FailoverRequest(Optional.empty(), Optional.of("pg-2"), Optional.empty())), 86, 88, 3),
        // A stopped leader releases its key without a request: the failover key was cleared ({}) after the failover.
        Arguments.of("pg-3", Kind.RELEASED, "pg-2", Optional.empty(), 109, 111, 4));
  }

  /** Who handed over to {@code to}, on what request, after how long a vacancy (revision to revision), on which timeline. */
  @ParameterizedTest(name = "{1} to {0}")
  @MethodSource
  void recordedHandovers(String to, Kind kind, String from, Optional<FailoverRequest> request, long vacatedAt,
      long takenAt, int timeline) {
    LeaderEvent e = event(RECORDED.replay(), to, kind);

    assertThat(e.from()).contains(from);
    assertThat(e.request()).isEqualTo(request);
    assertThat(e.vacancyMillis()).contains(RECORDED.seenAt(takenAt) - RECORDED.seenAt(vacatedAt));
    assertThat(e.timeline()).isEqualTo(timeline);
    assertThat(e.walAtRiskBytes()).contains(0L);
  }

  @Test
  void anExpiredLeaseCountsTheVacancyFromTheLeadersLastRenewalNotFromTheDelete() {
    LeaderEvent e = event(RECORDED.replay(), "pg-2", Kind.EXPIRED);

    assertThat(e.from()).contains("pg-3");
    // The lease went with pg-3's member key in one revision (142); pg-3's last status write (141) came
    // with its last lease renewal, 0.25 s before the kill.
    assertThat(e.deletedAtMillis()).isEqualTo(RECORDED.seenAt(142));
    assertThat(e.lostAtMillis()).isEqualTo(RECORDED.seenAt(141));
    assertThat(e.vacancyMillis()).contains(RECORDED.seenAt(143) - RECORDED.seenAt(141));
    assertThat(e.vacancyMillis().orElseThrow()).as("close to the ttl of 10 s").isBetween(9_500L, 11_000L);
    assertThat(e.keyVacantMillis()).contains(RECORDED.seenAt(143) - RECORDED.seenAt(142));
    assertThat(e.oldLeaderPositionBytes()).isEqualTo(84248896);
    assertThat(e.timeline()).isEqualTo(5);
  }

  @Test
  void historyAtStartIsRebuiltIntoEventsWithThePreviousEntrysLeaderAsTheOldOne() {
    Map<String, ScopeState.DcsKey> keys = new java.util.HashMap<>(RECORDED.initial);
    keys.put("history", new ScopeState.DcsKey("[[1,84194952,\"no recovery target specified\",\"2026-12-06T05:12:52.353777+00:00\",\"pg-1\"],"
        + "[2,84196816,\"no recovery target specified\",\"2026-12-06T05:13:12.261777+00:00\",\"pg-2\"],"
        + "[3,84201224,\"no recovery target specified\"]]", 90, 0));
    ScopeState s = ScopeState.initial("pgha", keys, 100);

    assertThat(s.events()).extracting(e -> e.from().orElse("?") + "->" + e.to() + " tl " + e.timeline())
        .containsExactly("pg-2-> tl 4", "pg-1->pg-2 tl 3", "?->pg-1 tl 2");
    assertThat(s.events()).allSatisfy(e -> {
      assertThat(e.rebuilt()).isTrue();
      assertThat(e.kind()).isEmpty();
      assertThat(e.vacancyMillis()).isEmpty();
      assertThat(e.walAtRiskBytes()).isEmpty();
    });
    assertThat(s.events().get(1).promotedAtMillis())
        .isEqualTo(java.time.Instant.parse("2026-12-06T05:13:12.261777Z").toEpochMilli());
    assertThat(s.lastChange()).as("no change seen: no info series").isEmpty();
    assertThat(s.changes().values()).containsOnly(0L);
  }

  @Test
  void aChangeSeenAfterARestartGoesBeforeTheRebuiltOnesAndGetsItsOwnHistory() {
    ScopeState s = ScopeState.initial("pgha", Map.of(
        "leader", new ScopeState.DcsKey("pg-1", 10, LEASE_1),
        "members/pg-1", new ScopeState.DcsKey("{\"xlog_location\":5000}", 10, LEASE_1),
        "history", new ScopeState.DcsKey("[[1,1000,\"x\",\"2026-12-06T05:12:52+00:00\",\"pg-1\"]]", 5, 0)), 10);
    s = s.apply(List.of(change("leader", null, 11)), 1_000);
    s = s.apply(List.of(change("leader", "pg-2", 12)), 1_400);
    s = s.apply(List.of(change("history", "[[1,1000,\"x\",\"2026-12-06T05:12:52+00:00\",\"pg-1\"],"
        + "[2,4000,\"x\",\"2026-12-06T05:20:00+00:00\",\"pg-2\"]]", 13)), 2_000);

    assertThat(s.events()).hasSize(2);
    LeaderEvent e = s.events().get(0);
    assertThat(e.rebuilt()).isFalse();
    assertThat(e.kind()).contains(Kind.RELEASED);
    assertThat(e.timeline()).isEqualTo(3);
    assertThat(e.walAtRiskBytes()).as("pg-1 reported 5000, the new timeline starts at 4000").contains(1000L);
    assertThat(s.events().get(1).rebuilt()).isTrue();
  }

  @Test
  void theSameMemberTakingTheKeyBackIsNoEventAndTheLossIsForgotten() {
    ScopeState s = ScopeState.initial("pgha", Map.of("leader", new ScopeState.DcsKey("pg-1", 10, LEASE_1)), 10);
    s = s.apply(List.of(change("leader", null, 11)), 1_000);
    assertThat(s.loss()).isPresent();
    s = s.apply(List.of(change("leader", "pg-1", 12)), 1_500);

    assertThat(s.events()).isEmpty();
    assertThat(s.loss()).isEmpty();
    assertThat(s.leader().changes()).isZero();
  }

  @Test
  void aKeyTakenOverWhileHeldHasNoVacancyAndARecoveredOneAnUnknownOne() {
    ScopeState s = ScopeState.initial("pgha", Map.of("leader", new ScopeState.DcsKey("pg-1", 10, LEASE_1)), 10);
    s = s.apply(List.of(change("leader", "pg-2", 11)), 1_000);
    assertThat(s.events().get(0).kind()).contains(Kind.UNKNOWN);
    assertThat(s.events().get(0).vacancyMillis()).contains(0L);

    // etcd compacted what a replay needed: the resync's read is applied as one recovered change.
    s = s.apply(s.differences(Map.of("leader", new ScopeState.DcsKey("pg-3", 40, LEASE_3)), 40), 9_000);
    LeaderEvent e = s.events().get(0);
    assertThat(e.to()).isEqualTo("pg-3");
    assertThat(e.recovered()).isTrue();
    assertThat(e.kind()).contains(Kind.UNKNOWN);
    assertThat(e.vacancyMillis()).as("when it happened is not known").isEmpty();
    assertThat(s.vacancies()).doesNotContainKey(Kind.UNKNOWN);
  }

  @Test
  void oldAndRepeatedRevisionsAreIgnored() {
    ScopeState s = RECORDED.initialState();
    ScopeState same = s.apply(List.of(change("leader", "pg-9", RECORDED.initialRevision)), 5);
    assertThat(same).isSameAs(s);
  }

  @Test
  void aReadShowingAChangeOrADeleteTheStateLacksIsBehind() {
    ScopeState s = RECORDED.initialState();
    Map<String, Long> asRead = new java.util.HashMap<>();
    s.keys().forEach((k, v) -> asRead.put(k, v.modRevision()));
    assertThat(s.behind(asRead, 40)).isFalse();

    Map<String, Long> changed = new java.util.HashMap<>(asRead);
    changed.put("status", 35L);
    assertThat(s.behind(changed, 40)).isTrue();

    Map<String, Long> deleted = new java.util.HashMap<>(asRead);
    deleted.remove("leader");
    assertThat(s.behind(deleted, 40)).isTrue();
    assertThat(s.behind(deleted, RECORDED.initialRevision)).as("a read older than the state").isFalse();
  }

  @Test
  void aFailoverRequestNamingAnotherLeaderDoesNotExplainTheLoss() {
    assertThat(FailoverRequest.parse("{\"leader\":\"pg-2\",\"member\":\"pg-3\"}").orElseThrow().explains("pg-1")).isEmpty();
    assertThat(FailoverRequest.parse("{}")).isEmpty();
    assertThat(FailoverRequest.parse("not json")).isEmpty();
    assertThat(FailoverRequest.parse("{\"member\":\"pg-3\",\"scheduled_at\":\"2026-12-06T06:00:00+00:00\"}"))
        .hasValueSatisfying(r -> assertThat(r.scheduledAt()).contains("2026-12-06T06:00:00+00:00"));
  }

  private static ScopeState.KeyChange change(String key, String value, long revision) {
    return new ScopeState.KeyChange(key, value, revision, key.equals("leader") && value != null ? LEASE_3 : 0, false);
  }

  private static LeaderEvent event(ScopeState s, String to) {
    return s.events().stream().filter(e -> !e.rebuilt() && e.to().equals(to)).reduce((a, b) -> b).orElseThrow();
  }

  private static LeaderEvent event(ScopeState s, String to, Kind kind) {
    return s.events().stream().filter(e -> !e.rebuilt() && e.to().equals(to) && e.kind().equals(Optional.of(kind)))
        .findFirst().orElseThrow();
  }
}
