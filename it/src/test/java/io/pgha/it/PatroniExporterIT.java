package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.lab.deploy.ConfigFiles;
import io.pgha.lab.deploy.ProcFs;
import io.pgha.patroni.PatroniMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * exporter-patroni as {@code pgha up} runs it (reading the members in the background every
 * {@code refresh_interval}), against the cluster's real Patroni: what it says agrees with
 * {@code patronictl list}, it follows a switchover, and a member that is stopped or silent becomes
 * {@code member_up 0} within a round while every scrape answers inside Prometheus's deadline and
 * says how old its answer is, never older than the exporter allows.
 */
@PghaCluster.Test
class PatroniExporterIT {
  private static final String SCOPE = "pgha";
  /** What we announce in X-Prometheus-Scrape-Timeout-Seconds, as Prometheus would. */
  private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration WAIT = Duration.ofSeconds(60);
  /**
   * The oldest round exporter-patroni serves: refresh_interval plus a round's own limit (twice the
   * default request_timeout of 2 s).
   */
  private static final Duration MAX_AGE = ConfigFiles.PATRONI_REFRESH_INTERVAL.plusSeconds(4);
  private static final List<String> ROLES =
      List.of("leader", "standby_leader", "sync_standby", "replica", "other");
  /** patronictl's Role column to our role label. */
  private static final Map<String, String> PATRONICTL_ROLES = Map.of("Leader", "leader",
      "Standby Leader", "standby_leader", "Sync Standby", "sync_standby", "Replica", "replica");

  private record PatronictlRow(String member, String role, String state, Integer timeline) {}

  private static ExporterScrape scrape(TestCluster cluster) {
    ExporterScrape s = ExporterScrape.of(
        cluster.exporterUrl("patroni"), SCRAPE_TIMEOUT);
    assertThat(s.status()).as("HTTP status of /metrics:\n%s", s.body()).isEqualTo(200);
    return s;
  }

  /** {@code patronictl list -f json} with a member's own Patroni config (root reads it). */
  private static List<PatronictlRow> patronictlList(TestCluster cluster) {
    String config = cluster.workdir().resolve(cluster.topology().members().get(0).name())
        .resolve("patroni.yml").toString();
    ExternalCommand.Result r = ExternalCommand.run(Duration.ofSeconds(60), null,
        "patronictl", "-c", config, "list", "-f", "json");
    assertThat(r.exitCode()).as("patronictl list:\n%s", r.output()).isZero();
    try {
      JsonNode rows = new ObjectMapper().readTree(r.stdout());
      return StreamSupport.stream(rows.spliterator(), false)
          .map(n -> new PatronictlRow(n.path("Member").asText(), n.path("Role").asText(),
              n.path("State").asText(), n.hasNonNull("TL") ? n.get("TL").asInt() : null))
          .toList();
    } catch (java.io.IOException e) {
      throw new AssertionError("patronictl list -f json printed no JSON:\n" + r.output(), e);
    }
  }

  /** The one role series at 1 for the member (all five must be there: a one-hot). */
  private static String role(ExporterScrape s, String member) {
    Map<String, Double> roles = s.byLabel(PatroniMetrics.MEMBER_ROLE.name(), "role", "scope", SCOPE,
        "member", member);
    assertThat(roles.keySet()).as("role series of %s", member).containsExactlyInAnyOrderElementsOf(ROLES);
    List<String> on = roles.entrySet().stream().filter(e -> e.getValue() == 1.0).map(Map.Entry::getKey)
        .toList();
    assertThat(on).as("roles at 1 for %s: %s", member, roles).hasSize(1);
    return on.get(0);
  }

  private static String state(ExporterScrape s, String member) {
    List<String> on = s.byLabel(PatroniMetrics.MEMBER_STATE.name(), "state", "scope", SCOPE, "member", member)
        .entrySet().stream().filter(e -> e.getValue() == 1.0).map(Map.Entry::getKey).toList();
    assertThat(on).as("states at 1 for %s", member).hasSize(1);
    return on.get(0);
  }

  private static String leader(ExporterScrape s) {
    List<String> leaders = s.byLabel(PatroniMetrics.LEADER.name(), "member", "scope", SCOPE).entrySet()
        .stream().filter(e -> e.getValue() == 1.0).map(Map.Entry::getKey).toList();
    assertThat(leaders).as(PatroniMetrics.LEADER.name() + " at 1:\n%s", s.body()).hasSize(1);
    return leaders.get(0);
  }

  private static String aReplica(ExporterScrape s) {
    String leader = leader(s);
    return s.byLabel(PatroniMetrics.LEADER.name(), "member", "scope", SCOPE).keySet().stream()
        .filter(m -> !m.equals(leader)).findFirst().orElseThrow();
  }

  /**
   * The exporter's roles, states and timelines are patronictl's. Both read the same DCS at two
   * moments; on a settled cluster they agree at once, and a short retry absorbs a loop in between.
   */
  private static void assertAgreesWithPatronictl(TestCluster cluster) {
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      List<PatronictlRow> rows = patronictlList(cluster);
      ExporterScrape s = scrape(cluster);
      Map<String, String> expected = new TreeMap<>();
      Map<String, String> actual = new TreeMap<>();
      for (PatronictlRow row : rows) {
        expected.put(row.member(), PATRONICTL_ROLES.getOrDefault(row.role(), "other") + "/"
            + row.state().replace(' ', '_') + "/tl=" + row.timeline());
        actual.put(row.member(), role(s, row.member()) + "/" + state(s, row.member()) + "/tl="
            + timeline(s.value(PatroniMetrics.MEMBER_TIMELINE.name(), "member", row.member(), "scope", SCOPE)));
      }
      assertThat(actual).as("exporter vs patronictl list").isEqualTo(expected);
      assertThat(s.valueOf(PatroniMetrics.CLUSTER_MEMBERS.name(), "scope", SCOPE)).isEqualTo(rows.size());
      long leaders = rows.stream().filter(r -> r.role().equals("Leader")).count();
      assertThat(s.valueOf(PatroniMetrics.CLUSTER_HAS_LEADER.name(), "scope", SCOPE)).isEqualTo(leaders);
      assertThat(s.valueOf(PatroniMetrics.CLUSTER_LEADERS.name(), "scope", SCOPE)).isEqualTo(leaders);
    });
  }

  /** A timeline as patronictl's JSON has it: an integer, or null when absent. */
  private static String timeline(OptionalDouble v) {
    return v.isPresent() ? Integer.toString((int) v.getAsDouble()) : "null";
  }

  @Test
  void rolesAgreeWithPatronictlAndTheOutputPassesPromtool(TestCluster cluster) {
    cluster.awaitHealthy(WAIT);
    assertAgreesWithPatronictl(cluster);
    ExporterScrape s = scrape(cluster);
    assertThat(s.valueOf(PatroniMetrics.UP.name(), "scope", SCOPE)).isEqualTo(1.0);
    assertThat(s.byLabel(PatroniMetrics.MEMBER_UP.name(), "member", "scope", SCOPE))
        .isEqualTo(Map.of("pg-1", 1.0, "pg-2", 1.0, "pg-3", 1.0));
    assertThat(s.byLabel(PatroniMetrics.CORE.collectorSuccess().name(), "collector").values())
        .as("collector_success:\n%s", s.body()).isNotEmpty().allMatch(v -> v == 1.0);
    s.assertPromtoolAccepts();
  }

  @Test
  void aSwitchoverAddsOneLeaderChangeAndMovesTheLeader(TestCluster cluster) {
    cluster.awaitHealthy(WAIT);
    ExporterScrape before = scrape(cluster);
    String old = leader(before);
    String candidate = aReplica(before);
    double changes = before.valueOf(PatroniMetrics.LEADER_CHANGES.name(), "scope", SCOPE);
    double promotions = before.valueOf(PatroniMetrics.PROMOTIONS.name(), "scope", SCOPE);

    switchover(cluster, old, candidate, changes + 1, promotions + 1);
    assertAgreesWithPatronictl(cluster);
    // Leave the leader where we found it; the way back is one more leader change.
    cluster.awaitHealthy(WAIT);
    switchover(cluster, candidate, old, changes + 2, promotions + 2);
    cluster.awaitHealthy(WAIT);
  }

  private static void switchover(TestCluster cluster, String from, String to, double changesAfter,
      double promotionsAfter) {
    long startedEpochSeconds = System.currentTimeMillis() / 1000;
    TestCluster.CliResult r = cluster.pgha("switchover", "--candidate", to);
    assertThat(r.exitCode()).as(r.output()).isZero();
    // /cluster shows the new leader at once; /history once the new leader's next loop writes it.
    ExporterScrape after = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> scrape(cluster), s -> s.valueOf(PatroniMetrics.PROMOTIONS.name(), "scope", SCOPE)
            >= promotionsAfter
            && s.valueOf(PatroniMetrics.LEADER.name(), "member", to, "scope", SCOPE) == 1.0);
    assertThat(after.valueOf(PatroniMetrics.PROMOTIONS.name(), "scope", SCOPE)).isEqualTo(promotionsAfter);
    assertThat(after.valueOf(PatroniMetrics.LEADER_CHANGES.name(), "scope", SCOPE))
        .as("leader changes after the switchover %s -> %s", from, to).isEqualTo(changesAfter);
    assertThat(after.valueOf(PatroniMetrics.LEADER.name(), "member", from, "scope", SCOPE)).isEqualTo(0.0);
    assertThat(role(after, to)).isEqualTo("leader");
    assertThat(role(after, from)).isNotEqualTo("leader");
    assertThat(after.valueOf(PatroniMetrics.LAST_PROMOTION_TIMESTAMP_SECONDS.name(), "scope", SCOPE))
        .isGreaterThanOrEqualTo(startedEpochSeconds - 1);
    // Exactly one: a later scrape (another /history read) does not count it again.
    assertThat(scrape(cluster).valueOf(PatroniMetrics.LEADER_CHANGES.name(), "scope", SCOPE))
        .isEqualTo(changesAfter);
  }

  @Test
  void aStoppedMemberIsDownWithinARoundAndEveryScrapeEndsInsideTheDeadline(TestCluster cluster) {
    cluster.awaitHealthy(WAIT);
    String replica = aReplica(scrape(cluster));
    cluster.stopPatroni(replica);
    try {
      ExporterScrape s = scrapeWithMemberDown(cluster, replica, "stopped");
      s.assertPromtoolAccepts();
      // patronictl too lists it as stopped, without a timeline, until its key expires.
      assertAgreesWithPatronictl(cluster);

      // Once its DCS key expires (ttl), /cluster no longer lists it; it stays visible as down.
      ExporterScrape expired = await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
          .until(() -> scrape(cluster),
              x -> x.valueOf(PatroniMetrics.CLUSTER_MEMBERS.name(), "scope", SCOPE) == 2.0);
      assertThat(expired.valueOf(PatroniMetrics.MEMBER_UP.name(), "member", replica, "scope", SCOPE))
          .isEqualTo(0.0);
    } finally {
      cluster.heal();
    }
    cluster.awaitHealthy(WAIT);
    await().atMost(WAIT).untilAsserted(() -> assertThat(scrape(cluster)
        .valueOf(PatroniMetrics.MEMBER_UP.name(), "member", replica, "scope", SCOPE)).isEqualTo(1.0));
  }

  /** SIGSTOP: the REST API accepts connections and never answers, so only the deadline ends it. */
  @Test
  void aSilentMemberIsCutAtTheDeadline(TestCluster cluster) {
    cluster.awaitHealthy(WAIT);
    String replica = aReplica(scrape(cluster));
    long pid = cluster.pid(replica).orElseThrow();
    ProcFs.signal(pid, "STOP");
    try {
      scrapeWithMemberDown(cluster, replica, "frozen");
    } finally {
      ProcFs.signal(pid, "CONT");
    }
    cluster.awaitHealthy(WAIT);
    await().atMost(WAIT).untilAsserted(() -> assertThat(scrape(cluster)
        .valueOf(PatroniMetrics.MEMBER_UP.name(), "member", replica, "scope", SCOPE)).isEqualTo(1.0));
  }

  /**
   * Scrapes until one shows {@code member} down (a background round that asked it ended): every
   * scrape meanwhile answers inside the announced timeout, from a round no older than the exporter
   * allows; the one showing it down shows the others up.
   */
  private static ExporterScrape scrapeWithMemberDown(TestCluster cluster, String member, String what) {
    long started = System.nanoTime();
    ExporterScrape s = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          ExporterScrape x = scrape(cluster);
          assertThat(x.elapsed()).as("a scrape while %s is %s", member, what).isLessThan(SCRAPE_TIMEOUT);
          assertThat(x.valueOf(PatroniMetrics.STATE_AGE_SECONDS.name(), "scope", SCOPE))
              .as("age of the round served").isLessThanOrEqualTo(MAX_AGE.toMillis() / 1000.0);
          return x;
        }, x -> x.valueOf(PatroniMetrics.MEMBER_UP.name(), "member", member, "scope", SCOPE) == 0.0);
    System.out.printf("PatroniExporterIT: %s %s: member_up 0 after %d ms; that scrape answered in %d ms (announced "
        + "timeout %d ms, exporter's own scrape_duration %.3f s) from a round %.3f s old%n", member, what,
        Duration.ofNanos(System.nanoTime() - started).toMillis(), s.elapsed().toMillis(), SCRAPE_TIMEOUT.toMillis(),
        s.valueOf(PatroniMetrics.CORE.scrapeDuration().name()),
        s.valueOf(PatroniMetrics.STATE_AGE_SECONDS.name(), "scope", SCOPE));
    assertMemberDown(s, member);
    return s;
  }

  private static void assertMemberDown(ExporterScrape s, String member) {
    Map<String, Double> up = s.byLabel(PatroniMetrics.MEMBER_UP.name(), "member", "scope", SCOPE);
    Map<String, Double> expected = new TreeMap<>(Map.of("pg-1", 1.0, "pg-2", 1.0, "pg-3", 1.0));
    expected.put(member, 0.0);
    assertThat(up).as("member_up:\n%s", s.body()).isEqualTo(expected);
    assertThat(s.valueOf(PatroniMetrics.UP.name(), "scope", SCOPE)).isEqualTo(1.0);
    // A member that does not answer is a target problem, not a failed collection.
    assertThat(s.valueOf(PatroniMetrics.CORE.collectorSuccess().name(), "collector", "cluster:" + SCOPE))
        .isEqualTo(1.0);
    assertThat(s.valueOf(PatroniMetrics.CORE.collectorSuccess().name(), "collector", "history:" + SCOPE))
        .isEqualTo(1.0);
    assertThat(leader(s)).isNotEqualTo(member);
  }
}
