package io.pgha.patroni;

import static io.pgha.common.Golden.golden;
import static io.pgha.patroni.Recordings.V3;
import static io.pgha.patroni.Recordings.V4;
import static io.pgha.patroni.Recordings.answered;
import static io.pgha.patroni.Recordings.cluster;
import static io.pgha.patroni.Recordings.config;
import static io.pgha.patroni.Recordings.history;
import static io.pgha.patroni.Recordings.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.common.TextExposition;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.patroni.api.PatroniDynamicConfig;
import io.pgha.patroni.api.PatroniJson;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dynamic configuration and the failover judgement, in golden text. The 3.0.2 cases are
 * recorded on pgha's dev cluster (recorded/README.md, 12 to 17); the Patroni 4 cases
 * (failover_priority, quorum commit, check_timeline, a failed watchdog, {@code wal} instead of
 * {@code xlog}) are written by hand from Patroni's documentation and patroni/ha.py, since no
 * Patroni 4 runs here.
 */
class PatroniFailoverTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, MemberProbe> probes(String dir, List<String> up, List<String> down) {
    Map<String, MemberProbe> probes = new LinkedHashMap<>();
    up.forEach(m -> probes.put(m, answered(dir, m)));
    down.forEach(m -> probes.put(m, unreachable(m)));
    return probes;
  }

  private static String judged(String scope, PatroniCluster cluster, PatroniDynamicConfig config,
      Map<String, MemberProbe> probes) {
    return TextExposition.render(PatroniFailoverCollector.snapshots(scope, cluster, config, probes, HistorySummary.EMPTY));
  }

  /** Candidates, then each member's verdict: "pg-2 eligible", "pg-3 lagging". */
  private static List<String> verdicts(String text) {
    List<String> out = new ArrayList<>();
    text.lines().filter(l -> l.startsWith("pgha_patroni_failover_candidates")).forEach(l -> out.add(l.substring(l.lastIndexOf(' ') + 1)));
    text.lines().filter(l -> l.startsWith("pgha_patroni_member_failover_eligible{") && l.endsWith(" 1.0"))
        .forEach(l -> out.add(member(l) + " eligible"));
    text.lines().filter(l -> l.startsWith("pgha_patroni_member_failover_blocker{") && l.endsWith(" 1.0"))
        .forEach(l -> out.add(member(l) + " " + l.replaceAll(".*reason=\"([a-z_]+)\".*", "$1")));
    return out;
  }

  private static String member(String line) {
    return line.replaceAll(".*member=\"([^\"]+)\".*", "$1");
  }

  @Test
  void healthyClusterOf302InFullGoldenText() {
    String dir = V3 + "12-healthy/";
    List<MetricSnapshot> all = new ArrayList<>(PatroniConfigCollector.snapshots("pgha", config(dir)));
    all.addAll(PatroniFailoverCollector.snapshots("pgha", cluster(dir), config(dir),
        probes(dir, List.of("pg-1", "pg-2", "pg-3"), List.of()), HistorySummary.of(history(dir))));
    assertThat(TextExposition.render(all)).isEqualTo(golden("PatroniFailoverTest/healthyClusterOf302InFullGoldenText"));
  }

  /**
   * A recorded scenario judged with the configuration recorded in {@code configDir}, the members in
   * {@code down} unreachable and the others answering as recorded in {@code dir}.
   */
  record Judged(String name, String scope, String dir, String configDir, List<String> up, List<String> down,
      List<String> verdicts) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Judged> recordedScenarios() {
    String healthy = V3 + "12-healthy/";
    String lagging = V3 + "13-both-replicas-lagging/";
    String startFailed = V3 + "16-replica-start-failed/";
    List<String> all = List.of("pg-1", "pg-2", "pg-3");
    return Stream.of(
        // Recorded with both WAL receivers SIGSTOPped and maximum_lag_on_failover 65536: 426984 bytes behind.
        new Judged("bothReplicasLaggingPastTheLoweredMaximumLag", "pgha", lagging, lagging, all, List.of(),
            List.of("0.0", "pg-1 leader", "pg-2 lagging", "pg-3 lagging")),
        // The same positions are within Patroni's default 1 MiB.
        new Judged("theSamePositionsWithinTheDefaultMaximumLag", "pgha", lagging, healthy, all, List.of(),
            List.of("2.0", "pg-2 eligible", "pg-3 eligible", "pg-1 leader")),
        new Judged("withoutTheLeadersOwnPositionPatronisClusterLagDecides", "pgha", lagging, lagging,
            List.of("pg-2", "pg-3"), List.of("pg-1"), List.of("0.0", "pg-1 leader", "pg-2 lagging", "pg-3 lagging")),
        new Judged("nofailoverTagOutOfSynchronousModeOnlyRulesOutItsMember", "pgha", V3 + "14-tags-nofailover-nosync/",
            V3 + "14-tags-nofailover-nosync/", all, List.of(), List.of("1.0", "pg-2 eligible", "pg-1 leader", "pg-3 nofailover")),
        // Recorded: pg-2 tagged nosync, so Patroni made pg-3 the synchronous standby although it is nofailover.
        new Judged("synchronousModeWithTheOnlySyncStandbyTaggedNofailoverLeavesNoCandidate", "pgha",
            V3 + "15-sync-nosync-nofailover/", V3 + "15-sync-nosync-nofailover/", all, List.of(),
            List.of("0.0", "pg-1 leader", "pg-2 nosync", "pg-3 nofailover")),
        new Judged("aReplicaThatCannotStartIsNotSyncFirstInSynchronousMode", "pgha", startFailed, startFailed, all, List.of(),
            List.of("1.0", "pg-2 eligible", "pg-1 leader", "pg-3 not_sync")),
        // Out of synchronous mode (the dev cluster's own config before it was switched on).
        new Judged("aReplicaThatCannotStartIsNotRunningOutOfSynchronousMode", "pgha", startFailed, healthy, all, List.of(),
            List.of("1.0", "pg-2 eligible", "pg-1 leader", "pg-3 not_running")),
        new Judged("synchronousModeWithTheSyncStandbyStoppedLeavesNoCandidate", "pgha", V3 + "17-sync-standby-stopped/",
            V3 + "17-sync-standby-stopped/", List.of("pg-1", "pg-3"), List.of("pg-2"),
            List.of("0.0", "pg-1 leader", "pg-2 not_sync", "pg-3 not_sync")),
        new Judged("aStoppedReplicaIsUnreachable", "h2demo", V3 + "08-replica-stopped/", healthy, List.of("pg-1", "pg-3"),
            List.of("pg-2"), List.of("1.0", "pg-3 eligible", "pg-1 leader", "pg-2 unreachable")),
        // patroni2 is a quorum_standby and streams; patroni3 is not synchronous (and its PostgreSQL is starting).
        new Judged("patroni4DocumentedClusterInQuorumMode", "demo", V4, V4, List.of("patroni1", "patroni2", "patroni3"),
            List.of(), List.of("1.0", "patroni2 eligible", "patroni1 leader", "patroni3 not_sync")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedScenarios")
  void recordedScenario(Judged c) {
    assertThat(verdicts(judged(c.scope(), cluster(c.dir()), config(c.configDir()), probes(c.dir(), c.up(), c.down()))))
        .containsExactlyElementsOf(c.verdicts());
  }

  @Test
  void theRecordedConfigurationsAreWhatTheScenariosSay() {
    assertThat(config(V3 + "13-both-replicas-lagging/").maximumLagOnFailoverBytes()).isEqualTo(65536);
    assertThat(config(V4).synchronousMode()).isEqualTo(PatroniDynamicConfig.SynchronousMode.QUORUM);
  }

  // ---- Patroni 4 by hand ----

  private static PatroniCluster cluster4(String... replicas) {
    StringBuilder members = new StringBuilder("""
        {"name": "a", "role": "leader", "state": "running", "api_url": "http://a:8008/patroni", "timeline": 5}""");
    for (String r : replicas) {
      members.append(", ").append(r);
    }
    return PatroniJson.cluster(json("{\"scope\": \"demo\", \"members\": [" + members + "]}"));
  }

  private static String replica(String name, String role, String extra) {
    return "{\"name\": \"" + name + "\", \"role\": \"" + role + "\", \"state\": \"streaming\", \"api_url\": \"http://"
        + name + ":8008/patroni\", \"timeline\": 5, \"lag\": 0" + extra + "}";
  }

  private static MemberProbe status4(String name, String json) {
    return new MemberProbe.Answered(name, Recordings.apiUrl(name), PatroniJson.status(json(json)));
  }

  private static String replicaStatus(String name, long position, String extra) {
    return "{\"state\": \"running\", \"role\": \"replica\", \"timeline\": 5, \"replication_state\": \"streaming\","
        + " \"xlog\": {\"received_location\": " + position + ", \"replayed_location\": " + (position - 100) + "},"
        + " \"patroni\": {\"version\": \"4.0.4\", \"scope\": \"demo\", \"name\": \"" + name + "\"}" + extra + "}";
  }

  private static final String LEADER4 = "{\"state\": \"running\", \"role\": \"primary\", \"timeline\": 5,"
      + " \"xlog\": {\"location\": 50000000}, \"patroni\": {\"version\": \"4.0.4\", \"scope\": \"demo\", \"name\": \"a\"}}";

  private static PatroniDynamicConfig config4(String json) {
    return PatroniJson.config(json(json));
  }

  @Test
  void patroni4FailoverPriorityAndNofailoverPrecedence() {
    PatroniCluster cluster = cluster4(
        replica("b", "replica", ", \"tags\": {\"failover_priority\": 0}"),
        replica("c", "replica", ", \"tags\": {\"failover_priority\": \"2\"}"),
        replica("d", "replica", ", \"tags\": {\"nofailover\": false, \"failover_priority\": 0}"),
        replica("e", "replica", ", \"tags\": {\"nofailover\": true, \"failover_priority\": 3}"));
    Map<String, MemberProbe> probes = new LinkedHashMap<>();
    probes.put("a", status4("a", LEADER4));
    for (String m : List.of("b", "c", "d", "e")) {
      probes.put(m, status4(m, replicaStatus(m, 50000000, "")));
    }
    assertThat(verdicts(judged("demo", cluster, config4("{\"ttl\": 30}"), probes)))
        .containsExactly("2.0", "c eligible", "d eligible", "a leader", "b nofailover", "e nofailover");
  }

  @Test
  void patroni4CheckTimelineWatchdogAndWalPositionFromWal() {
    PatroniCluster cluster = cluster4(replica("b", "replica", ""), replica("c", "replica", ""),
        replica("d", "replica", ""), replica("e", "replica", ""));
    Map<String, MemberProbe> probes = new LinkedHashMap<>();
    probes.put("a", status4("a", LEADER4));
    probes.put("b", status4("b", replicaStatus("b", 50000000, "").replace("\"timeline\": 5", "\"timeline\": 4")));
    probes.put("c", status4("c", replicaStatus("c", 50000000, ", \"watchdog_failed\": true")));
    // "wal" (newer Patroni) wins over "xlog": 2 MiB behind by it.
    probes.put("d", status4("d", replicaStatus("d", 50000000,
        ", \"wal\": {\"received_location\": 47902848, \"replayed_location\": 47902848}")));
    probes.put("e", status4("e", replicaStatus("e", 50000000, "")));
    String config = "{\"maximum_lag_on_failover\": \"1048576\", \"check_timeline\": true}";
    assertThat(verdicts(judged("demo", cluster, config4(config), probes)))
        .containsExactly("1.0", "e eligible", "a leader", "b timeline_behind", "c watchdog_failed", "d lagging");
    // Without check_timeline, an older timeline is no reason.
    assertThat(verdicts(judged("demo", cluster, config4("{\"check_timeline\": false}"), probes)))
        .contains("b eligible");
  }

  @Test
  void dynamicConfigurationDefaultsAndModes() {
    assertThat(config4("{}")).isEqualTo(new PatroniDynamicConfig(30, 10, 1048576,
        PatroniDynamicConfig.SynchronousMode.OFF, false));
    assertThat(config4("{\"synchronous_mode\": true, \"synchronous_mode_strict\": true}").synchronousMode())
        .isEqualTo(PatroniDynamicConfig.SynchronousMode.STRICT);
    assertThat(config4("{\"synchronous_mode\": \"on\"}").synchronousMode()).isEqualTo(PatroniDynamicConfig.SynchronousMode.ON);
    assertThat(config4("{\"synchronous_mode\": \"off\", \"synchronous_mode_strict\": true}").synchronousMode())
        .isEqualTo(PatroniDynamicConfig.SynchronousMode.OFF);
    assertThat(config4("{\"synchronous_mode\": \"quorum\", \"synchronous_mode_strict\": true}").synchronousMode())
        .isEqualTo(PatroniDynamicConfig.SynchronousMode.QUORUM);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> config4("{\"ttl\": \"thirty\"}"))
        .hasMessage("/config: ttl: not an integer");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> config4("{\"synchronous_mode\": \"sometimes\"}"))
        .hasMessage("/config: synchronous_mode: not true or false");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> config4("[]"))
        .hasMessage("/config: the document is not a JSON object");
  }

  @Test
  void dcsLastSeenAgeIsScrapeTimeMinusTheMembersStamp() {
    // Recorded while etcd was down: the members' stamps stood still.
    MemberProbe pg1 = answered(V3 + "11-dcs-down/", "pg-1");
    String text = TextExposition.render(PatroniMemberCollector.snapshots("h2demo", pg1,
        java.time.Instant.ofEpochSecond(1795664877 + 25, 500_000_000)));
    assertThat(Recordings.samples(text, List.of(PatroniMetrics.MEMBER_DCS_LAST_SEEN_AGE_SECONDS.name())))
        .isEqualTo("pgha_patroni_member_dcs_last_seen_age_seconds{member=\"pg-1\",scope=\"h2demo\"} 25.5\n");
    assertThat(Recordings.samples(TextExposition.render(PatroniMemberCollector.snapshots("h2demo", pg1,
        java.time.Instant.ofEpochSecond(1795664870))), List.of(PatroniMetrics.MEMBER_DCS_LAST_SEEN_AGE_SECONDS.name())))
        .as("a clock behind the member's is no negative age")
        .isEqualTo("pgha_patroni_member_dcs_last_seen_age_seconds{member=\"pg-1\",scope=\"h2demo\"} 0.0\n");
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
