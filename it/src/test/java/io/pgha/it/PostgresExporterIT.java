package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pgha.postgres.PostgresMetrics;
import io.pgha.promkit.Exposition;
import io.pgha.traffic.TrafficRun;
import io.pgha.traffic.TrafficSummary;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * exporter-postgres as {@code pgha up} runs it (one exporter for the three members), with traffic
 * running: standbys and their lag on the primary, a stopped replica leaving the primary's view, the
 * roles flipping in a switchover, and each instance's CPU and memory against /proc. Every test leaves
 * the cluster as it found it (leader included).
 */
@PghaCluster.Test
class PostgresExporterIT {
  private static final List<String> STAGES = List.of("sent", "write", "flush", "replay");
  private static final String LAG_BYTES = PostgresMetrics.REPLICATION_LAG_BYTES.name();
  private static final String LAG_SECONDS = PostgresMetrics.REPLICATION_LAG_SECONDS.name();
  private static final String STREAMING = PostgresMetrics.STANDBYS_STREAMING.name();
  private static final String IN_RECOVERY = PostgresMetrics.IN_RECOVERY.name();
  private static final double MIB = 1024 * 1024;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static MetricsPage scrape(TestCluster cluster) {
    return MetricsPage.scrape(cluster.exporterUrl("postgres"));
  }

  /** Polls our exporter until the page satisfies the assertions; returns that page. */
  private static MetricsPage awaitPage(TestCluster cluster, java.util.function.Consumer<MetricsPage> assertions) {
    AtomicReference<MetricsPage> last = new AtomicReference<>();
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      MetricsPage page = scrape(cluster);
      assertions.accept(page);
      last.set(page);
    });
    return last.get();
  }

  private static Set<String> standbysOf(MetricsPage page, String member) {
    Set<String> standbys = new HashSet<>();
    page.all(LAG_BYTES, "member", member).forEach(s -> standbys.add(s.labels().get("standby")));
    return standbys;
  }

  @Test
  void standbysAppearOnThePrimaryWithTheirLag(TestCluster cluster) throws Exception {
    cluster.awaitHealthy(WAIT);
    String leader = ClusterTraffic.leader(cluster);
    List<String> replicas = ClusterTraffic.replicas(cluster, leader);
    try (TrafficRun traffic = ClusterTraffic.start(cluster)) {
      MetricsPage page = awaitPage(cluster, p -> {
        assertThat(p.require(STREAMING, "member", leader)).isEqualTo(2);
        assertThat(standbysOf(p, leader)).containsExactlyInAnyOrderElementsOf(replicas);
        for (String r : replicas) {
          for (String stage : List.of("write", "flush", "replay")) {
            // Under traffic PostgreSQL measures these; they are absent only before the first replies.
            assertThat(p.value(LAG_SECONDS, "member", leader, "standby", r, "stage", stage)).isPresent();
          }
        }
      });
      for (String r : replicas) {
        Map<String, Double> lag = new LinkedHashMap<>();
        for (String stage : STAGES) {
          lag.put(stage, page.require(LAG_BYTES, "scope", "pgha", "member", leader, "standby", r, "stage", stage));
        }
        System.out.printf("lag of %s on %s in bytes %s, in seconds write %.4f flush %.4f replay %.4f%n", r, leader, lag,
            page.require(LAG_SECONDS, "member", leader, "standby", r, "stage", "write"),
            page.require(LAG_SECONDS, "member", leader, "standby", r, "stage", "flush"),
            page.require(LAG_SECONDS, "member", leader, "standby", r, "stage", "replay"));
        // One row of pg_stat_replication: a standby cannot replay what it has not flushed, written, been sent.
        assertThat(lag.get("sent")).isBetween(0.0, lag.get("write"));
        assertThat(lag.get("write")).isLessThanOrEqualTo(lag.get("flush"));
        assertThat(lag.get("flush")).isLessThanOrEqualTo(lag.get("replay"));
        assertThat(lag.get("replay")).as("a streaming standby is less than a WAL segment behind").isLessThan(16 * MIB);
        for (String stage : List.of("write", "flush", "replay")) {
          assertThat(page.require(LAG_SECONDS, "member", leader, "standby", r, "stage", stage)).isBetween(0.0, 10.0);
        }
        assertThat(page.require(PostgresMetrics.REPLICATION_STATE.name(), "member", leader, "standby", r, "state", "streaming"))
            .isEqualTo(1);
        assertThat(page.all(PostgresMetrics.REPLICATION_STATE.name(), "member", leader, "standby", r))
            .extracting(Exposition.Sample::value).containsOnly(0.0, 1.0).hasSize(6);
        assertThat(page.require(PostgresMetrics.REPLICATION_SYNC_STATE.name(), "member", leader, "standby", r,
            "sync_state", "async")).isEqualTo(1);
        // A replica has no standbys of its own: it reports 0 and no lag series.
        assertThat(page.require(STREAMING, "member", r)).isZero();
        assertThat(standbysOf(page, r)).isEmpty();
        assertThat(page.require(IN_RECOVERY, "member", r)).isEqualTo(1);
      }
      assertThat(page.require(IN_RECOVERY, "member", leader)).isZero();

      // The primary's WAL moves with the writes, and so do the replicas' replay positions.
      double walBefore = page.require(PostgresMetrics.WAL_POSITION_BYTES.name(), "member", leader);
      double writtenBefore = page.require(PostgresMetrics.WAL_BYTES.name(), "member", leader);
      Thread.sleep(2000);
      MetricsPage later = scrape(cluster);
      double walAfter = later.require(PostgresMetrics.WAL_POSITION_BYTES.name(), "member", leader);
      double writtenAfter = later.require(PostgresMetrics.WAL_BYTES.name(), "member", leader);
      System.out.printf("primary WAL moved %.0f bytes (pg_stat_wal: %.0f) in 2 s of traffic%n", walAfter - walBefore,
          writtenAfter - writtenBefore);
      assertThat(walAfter).isGreaterThan(walBefore);
      assertThat(writtenAfter).isGreaterThan(writtenBefore);
      for (String r : replicas) {
        assertThat(later.require(PostgresMetrics.WAL_POSITION_BYTES.name(), "member", r))
            .isGreaterThan(page.require(PostgresMetrics.WAL_POSITION_BYTES.name(), "member", r));
      }
      assertThat(ClusterTraffic.stop("standbys", traffic).writesOk()).isPositive();
    }
  }

  @Test
  void aStoppedReplicaLeavesThePrimarysViewAndComesBack(TestCluster cluster) throws Exception {
    cluster.awaitHealthy(WAIT);
    String leader = ClusterTraffic.leader(cluster);
    List<String> replicas = ClusterTraffic.replicas(cluster, leader);
    String stopped = replicas.get(1);
    String kept = replicas.get(0);
    try (TrafficRun traffic = ClusterTraffic.start(cluster)) {
      awaitPage(cluster, p -> assertThat(p.require(STREAMING, "member", leader)).isEqualTo(2));
      long stoppedAt = System.nanoTime();
      cluster.stopPatroni(stopped);
      try {
        MetricsPage page = awaitPage(cluster, p -> {
          assertThat(p.require(STREAMING, "member", leader)).isEqualTo(1);
          assertThat(standbysOf(p, leader)).containsExactly(kept);
        });
        System.out.printf("%s stopped: gone from %s's view within %d ms%n", stopped, leader,
            (System.nanoTime() - stoppedAt) / 1_000_000);
        assertThat(page.all(PostgresMetrics.REPLICATION_STATE.name(), "member", leader, "standby", stopped)).isEmpty();
        assertThat(page.require(PostgresMetrics.REPLICATION_STATE.name(), "member", leader, "standby", kept,
            "state", "streaming")).isEqualTo(1);
        assertThat(page.require(PostgresMetrics.UP.name(), "member", stopped)).isZero();
        assertThat(page.require(PostgresMetrics.UP.name(), "member", leader)).isEqualTo(1);
        // No instance running: 0 processes, and no CPU or memory made up for it.
        assertThat(page.require(PostgresMetrics.INSTANCE_PROCESSES.name(), "member", stopped)).isZero();
        assertThat(page.value(PostgresMetrics.INSTANCE_RESIDENT_MEMORY_BYTES.name(), "member", stopped)).isEmpty();
      } finally {
        cluster.heal();
      }
      awaitPage(cluster, p -> {
        assertThat(p.require(STREAMING, "member", leader)).isEqualTo(2);
        assertThat(standbysOf(p, leader)).containsExactlyInAnyOrderElementsOf(replicas);
        assertThat(p.require(PostgresMetrics.UP.name(), "member", stopped)).isEqualTo(1);
      });
      TrafficSummary summary = ClusterTraffic.stop("replica stopped", traffic);
      assertThat(summary.writesOk()).isPositive();
    }
    cluster.awaitHealthy(WAIT);
  }

  @Test
  void aSwitchoverFlipsInRecoveryOnBothMembers(TestCluster cluster) throws Exception {
    cluster.awaitHealthy(WAIT);
    String leader = ClusterTraffic.leader(cluster);
    String candidate = ClusterTraffic.replicas(cluster, leader).get(0);
    try (TrafficRun traffic = ClusterTraffic.start(cluster)) {
      MetricsPage before = awaitPage(cluster, p -> {
        assertThat(p.require(IN_RECOVERY, "member", leader)).isZero();
        assertThat(p.require(IN_RECOVERY, "member", candidate)).isEqualTo(1);
      });
      double timeline = before.require(PostgresMetrics.TIMELINE.name(), "member", leader);
      try {
        TestCluster.CliResult r = cluster.pgha("switchover", "--candidate", candidate);
        assertThat(r.exitCode()).as(r.output()).isZero();
        MetricsPage after = awaitPage(cluster, p -> {
          assertThat(p.require(IN_RECOVERY, "member", leader)).isEqualTo(1);
          assertThat(p.require(IN_RECOVERY, "member", candidate)).isZero();
          // The new primary serves both standbys once the old one has rejoined.
          assertThat(p.require(STREAMING, "member", candidate)).isEqualTo(2);
          assertThat(p.require(STREAMING, "member", leader)).isZero();
        });
        assertThat(after.require(PostgresMetrics.TIMELINE.name(), "member", candidate)).isEqualTo(timeline + 1);
        assertThat(standbysOf(after, leader)).isEmpty();
        assertThat(standbysOf(after, candidate)).containsExactlyInAnyOrderElementsOf(
            ClusterTraffic.replicas(cluster, candidate));
      } finally {
        cluster.awaitHealthy(WAIT);
        if (!ClusterTraffic.leader(cluster).equals(leader)) {
          TestCluster.CliResult back = cluster.pgha("switchover", "--candidate", leader);
          assertThat(back.exitCode()).as(back.output()).isZero();
        }
      }
      awaitPage(cluster, p -> {
        assertThat(p.require(IN_RECOVERY, "member", leader)).isZero();
        assertThat(p.require(IN_RECOVERY, "member", candidate)).isEqualTo(1);
        assertThat(p.require(STREAMING, "member", leader)).isEqualTo(2);
      });
      ClusterTraffic.stop("switchover", traffic);
    }
    cluster.awaitHealthy(WAIT);
  }

  @Test
  void cpuAndMemoryOfEachInstanceArePlausibleAndMatchProc(TestCluster cluster) throws Exception {
    cluster.awaitHealthy(WAIT);
    String leader = ClusterTraffic.leader(cluster);
    List<String> members = cluster.topology().members().stream().map(m -> m.name()).toList();
    try (TrafficRun traffic = ClusterTraffic.start(cluster)) {
      Thread.sleep(1000);
      Map<String, InstanceProcesses> instances = new LinkedHashMap<>();
      Map<String, Double> cpuBefore = new LinkedHashMap<>();
      for (String m : members) {
        InstanceProcesses p = InstanceProcesses.of(cluster.postmasterPid(m).orElseThrow());
        instances.put(m, p);
        cpuBefore.put(m, p.cpuSeconds());
      }
      MetricsPage first = scrape(cluster);
      long firstAt = System.nanoTime();
      for (String m : members) {
        InstanceProcesses now = InstanceProcesses.of(instances.get(m).postmaster());
        double cpuAfter = now.cpuSeconds();
        double cpu = first.require(PostgresMetrics.INSTANCE_CPU_SECONDS.name(), "scope", "pgha", "member", m);
        double processes = first.require(PostgresMetrics.INSTANCE_PROCESSES.name(), "scope", "pgha", "member", m);
        System.out.printf("%s%s: cpu %.2f s (proc %.2f..%.2f), %d processes (proc %d)%n", m,
            m.equals(leader) ? " (leader)" : "", cpu, cpuBefore.get(m), cpuAfter, (long) processes, now.pids().size());
        // Read by the exporter between our two readings; slack for a backend reaped between reading the
        // postmaster's cutime and its own stat (its time is then in neither).
        assertThat(cpu).isBetween(cpuBefore.get(m) - 0.1, cpuAfter + 0.1);
        assertThat(processes).isCloseTo(now.pids().size(), within(3.0));
      }
      for (String m : members) {
        // The exporter measures memory when it first sees a postmaster, then again in the background when
        // a scrape finds the figure older than 30 s: a member restarted by an earlier test may show its
        // start-up figure for that long. Readers reconnect every second, so close, not equal.
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
          double memory = scrape(cluster).require(PostgresMetrics.INSTANCE_RESIDENT_MEMORY_BYTES.name(), "scope", "pgha",
              "member", m);
          InstanceProcesses now = InstanceProcesses.of(cluster.postmasterPid(m).orElseThrow());
          double pss = now.memoryBytes("Pss");
          assertThat(memory).isBetween(4 * MIB, 4096 * MIB);
          assertThat(memory).isCloseTo(pss, within(Math.max(0.25 * pss, 8 * MIB)));
          System.out.printf("%s: memory %.1f MiB (proc: Pss %.1f MiB, Rss sum %.1f MiB)%n", m, memory / MIB,
              pss / MIB, now.memoryBytes("Rss") / MIB);
        });
      }

      // Five seconds of traffic after the first scrape, whatever the memory checks took.
      Thread.sleep(Math.max(0, 5000 - (System.nanoTime() - firstAt) / 1_000_000));
      MetricsPage second = scrape(cluster);
      long secondAt = System.nanoTime();
      for (String m : members) {
        double used = second.require(PostgresMetrics.INSTANCE_CPU_SECONDS.name(), "member", m)
            - first.require(PostgresMetrics.INSTANCE_CPU_SECONDS.name(), "member", m);
        System.out.printf("%s: %.2f CPU seconds in %.1f s of traffic%n", m, used, (secondAt - firstAt) / 1e9);
        assertThat(used).isGreaterThanOrEqualTo(0);
        if (m.equals(leader)) {
          assertThat(used).as("the primary takes every write").isPositive();
        }
      }
      ClusterTraffic.stop("cpu and memory", traffic);
    }
  }
}
