package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.lab.client.EtcdApi;
import io.pgha.lab.client.Http;
import io.pgha.lab.deploy.Component;
import io.pgha.lab.deploy.PortCheck;
import io.pgha.lab.deploy.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code pgha bench --quick} on the test cluster, so the bench cannot rot: it runs, prints and
 * writes every figure (their values are for docs/benchmarks.md, not for a test), and leaves nothing
 * behind. About a minute: a switchover and a hard kill of the leader are most of it.
 */
@PghaCluster.Test
class BenchQuickIT {
  private static final String NUM = "\\d+(\\.\\d+)?";
  private static final String LOAD = NUM + "->" + NUM;

  @AfterAll
  static void leaveTheClusterHealthy(TestCluster cluster) {
    cluster.heal();
    cluster.awaitHealthy(Duration.ofSeconds(60));
  }

  @Test
  void quickBenchReportsEveryFigureAndLeavesNothingBehind(TestCluster cluster) throws Exception {
    cluster.awaitHealthy(Duration.ofSeconds(60));
    Path out = Files.createTempFile("pgha-bench-quick-", ".md");
    long t0 = System.nanoTime();
    TestCluster.CliResult r = cluster.pgha("bench", "--quick", "--out", out.toString());
    System.out.printf("pgha bench --quick took %.1f s%n%s%n", (System.nanoTime() - t0) / 1e9, r.output());
    assertThat(r.exitCode()).as(r.output()).isZero();
    String md = Files.readString(out);
    Files.delete(out);

    assertThat(r.stdout()).contains("## Goals").contains("written to " + out);
    assertThat(md).startsWith("# Benchmarks\n\nWritten by `./pgha bench --quick` (scrape, scale, detection)").contains("## Method")
        .containsPattern("\\| load average \\(1 min\\) \\| " + NUM + " at the start, " + NUM + " at the end");
    for (String goal : List.of("pgha's PostgreSQL scrape median", "the three pgha exporters together",
        "leader-change detection p95", "leader-change detection p95 under 100 ms, leader key to pgha's /metrics, with",
        "exporter-etcd scrape median", "exporter-patroni scrape median", "every pgha exporter (as deployed)")) {
      assertThat(md).as(goal).containsPattern(Pattern.compile(
          "^\\| " + Pattern.quote(goal) + "[^|]* \\| [^|]*" + NUM + "[^|]* \\| (met|NOT met) \\|$", Pattern.MULTILINE));
    }
    // Every scrape row has every figure, PostgreSQL's load included (pg_stat_statements is loaded).
    String scrapeRow = " \\| [^|]+( \\| " + NUM + "){11} \\| " + LOAD + " \\|$";
    for (String endpoint : List.of("pgha exporter-patroni", "pgha exporter-postgres", "postgres_exporter",
        "pgha exporter-etcd", "Patroni /metrics", "etcd /metrics")) {
      assertThat(md).as(endpoint).containsPattern(Pattern.compile(
          "^\\| " + Pattern.quote(endpoint) + scrapeRow, Pattern.MULTILINE));
    }
    assertThat(Pattern.compile("^\\| pgha exporter-postgres" + scrapeRow, Pattern.MULTILINE).matcher(md)
        .results().count()).as("exporter-postgres as deployed and on the primary only").isEqualTo(2);
    // exporter-patroni as deployed (reading in the background) and the bench's own reading on each scrape.
    assertThat(md).containsPattern(Pattern.compile("^\\| pgha exporter-patroni \\| 3 Patroni members \\(as deployed: read "
        + "every 1 s\\)( \\| " + NUM + "){11} \\| " + LOAD + " \\|$", Pattern.MULTILINE));
    assertThat(md).containsPattern(Pattern.compile("^\\| pgha exporter-patroni \\| 3 Patroni members, read on each "
        + "scrape( \\| " + NUM + "){11} \\| " + LOAD + " \\|$", Pattern.MULTILINE));
    assertThat(md).containsPattern("\\| exporter-patroni scrape median [^\n|]*\\| " + NUM + " ms vs " + NUM
        + " ms: ratio " + NUM + " \\(as deployed; read on each scrape: " + NUM + " ms, ratio " + NUM + "\\) \\|");
    // What exporter-patroni's requests take alone: no exporter, so no 16 scrapers, memory or samples, and no error.
    assertThat(md).containsPattern(Pattern.compile("^\\| Patroni REST, no exporter \\| the 5 requests of one "
        + "exporter-patroni scrape at once [^|]+( \\| " + NUM + "){2} \\| - \\| - \\| 0 \\| - \\| -( \\| " + NUM
        + "){3} \\| - \\| " + LOAD + " \\|$", Pattern.MULTILINE));
    if (Pattern.compile("^\\| exporter-patroni scrape median [^\n]*\\| NOT met \\|$", Pattern.MULTILINE).matcher(md).find()) {
      assertThat(md).containsPattern("- exporter-patroni scrape median [^\n]* The same requests sent at once by the "
          + "bench, nothing done with the answers, took " + NUM + " ms");
    }
    for (String how : List.of("all three in one JVM, as `pgha up` runs them | 1", "one JVM each (run by the bench) | 3")) {
      assertThat(md).as(how).containsPattern(Pattern.compile(
          "^\\| " + Pattern.quote(how) + "( \\| " + NUM + "){5} \\|$", Pattern.MULTILINE));
    }
    // Every detection row saw its series' leader change: the first on the quiet machine, the second loaded.
    for (String machine : List.of("quiet", "loaded: 2 busy threads")) {
      assertThat(Pattern.compile("^\\| `[^`]+` \\| [^|]+ \\| [^|]+ \\| " + Pattern.quote(machine) + " \\| 1( \\| "
          + NUM + "){3} \\| 0 \\|$", Pattern.MULTILINE).matcher(md).results().count()).as(machine + "\n" + md).isEqualTo(5);
    }
    assertThat(md).containsPattern("(?m)^\\| 1 \\| switchover \\| pg-\\d \\| pg-\\d \\| " + NUM + " \\|$")
        .containsPattern("(?m)^\\| 2 \\| hard kill \\| pg-\\d \\| pg-\\d \\| " + NUM + " \\|$");
    // Sites (one JVM of the three exporters) have the 16-scraper p99; the standby rows have none.
    String siteRow = "( \\| " + NUM + "){9} \\| " + LOAD + " \\|$";
    for (String size : List.of("pgha exporter-patroni | 1 scope, 3 simulated members",
        "pgha exporter-patroni | 10 scopes, 30 simulated members", "pgha exporter-postgres | 1 target on the 3 members",
        "pgha exporter-postgres | 10 targets on the 3 members", "pgha exporter-etcd | 1 scope on one etcd (",
        "pgha exporter-etcd | 10 scopes on one etcd (")) {
      assertThat(md).as(size).containsPattern(Pattern.compile(
          "^\\| " + Pattern.quote(size) + "[^|]*" + siteRow, Pattern.MULTILINE));
    }
    // Beside exporter-patroni at each site, its requests sent by the bench alone: not by many, no memory, no
    // samples, and no error.
    for (String requests : List.of("the 5 requests", "the 50 requests")) {
      assertThat(md).as(requests).containsPattern(Pattern.compile("^\\| Patroni REST, no exporter \\| "
          + Pattern.quote(requests + " of one exporter-patroni scrape at once (CPU: the bench's JVM, serving the "
          + "members too)") + "( \\| " + NUM + "){2} \\| - \\| 0 "
          + "\\| - \\| - \\| " + NUM + " \\| - \\| " + NUM + " \\| " + LOAD + " \\|$", Pattern.MULTILINE));
    }
    String scaleRow = "( \\| " + NUM + "){2} \\| -( \\| " + NUM + "){6} \\| " + LOAD + " \\|$";
    for (String size : List.of("pgha exporter-postgres | primary, 2 standbys",
        "pgha exporter-postgres | primary, 4 standbys (2 pg_receivewal)",
        "pgha exporter-postgres | primary, 2 standbys again")) {
      assertThat(md).as(size).containsPattern(Pattern.compile(
          "^\\| " + Pattern.quote(size) + scaleRow, Pattern.MULTILINE));
    }
    assertThat(md).doesNotContain("## Notes from this run");

    for (String user : List.of(Secrets.SUPERUSER, Secrets.REPLICATION, Secrets.MONITOR, Secrets.APP,
        Secrets.PATRONI_REST)) {
      assertThat(r.output()).doesNotContain(cluster.password(user));
      assertThat(md).doesNotContain(cluster.password(user));
    }
    assertNothingLeftBehind(cluster);
  }

  private static void assertNothingLeftBehind(TestCluster cluster) throws Exception {
    int offset = cluster.topology().offset();
    for (int port : new int[] {9187 + offset, 9821 + offset, 9822 + offset, 9823 + offset, 9824 + offset,
        9825 + offset, 9826 + offset, 9827 + offset, 9828 + offset, 9829 + offset}) {
      assertThat(PortCheck.free(new Component.Port("127.0.0.1", port, "bench helper"))).as("port " + port).isTrue();
    }
    EtcdApi etcd = new EtcdApi(new Http());
    for (String key : List.of("/pgha-bench/sim-001/leader", "/pgha-bench/sim-010/members/pg-1")) {
      com.fasterxml.jackson.databind.JsonNode range = etcd.range(cluster.topology().etcd().get(0), key, false)
          .orElseThrow(() -> new AssertionError("etcd did not answer a range read of " + key));
      assertThat(EtcdApi.value(range)).as("the simulated scopes' key " + key + " is deleted").isNull();
    }
    cluster.awaitHealthy(Duration.ofSeconds(60));
    String leader = cluster.state().members().orElseThrow().stream().filter(m -> m.leader())
        .findFirst().orElseThrow().name();
    try (Connection c = cluster.connectMember(leader, Secrets.SUPERUSER); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = 'pgha_bench'")) {
        rs.next();
        assertThat(rs.getInt(1)).as("the bench's role is dropped").isZero();
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_replication "
          + "WHERE application_name LIKE 'pgha-bench-standby-%'")) {
        rs.next();
        assertThat(rs.getInt(1)).as("no pg_receivewal left").isZero();
      }
    }
    assertThat(cluster.workdir().resolve("bench").resolve("standbys")).doesNotExist();
  }
}
