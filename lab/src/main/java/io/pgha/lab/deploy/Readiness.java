package io.pgha.lab.deploy;

import io.pgha.lab.client.EtcdApi;
import io.pgha.lab.client.HaproxyStats;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.PatroniApi;
import io.pgha.lab.client.PrometheusApi;
import io.pgha.lab.status.ClusterStateReader;
import io.pgha.lab.topology.Topology;
import io.pgha.patroni.api.PatroniCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The readiness steps of {@code pgha up}, each polled until it holds, printed with the time since
 * {@code up} began. While waiting, a component that died is reported at once with its log's tail.
 */
public final class Readiness {
  private static final long POLL_MS = 150;

  private final Topology t;
  private final Supervisor supervisor;
  private final Http http;
  private final PrintStream out;
  private final long startNanos;
  private final long deadlineNanos;
  private final Map<String, Long> watched = new LinkedHashMap<>();

  /** A step that did not hold in time, or a component that died: {@code up} fails with it. */
  public static final class NotReadyException extends Exception {
    public NotReadyException(String message) {
      super(message);
    }
  }

  /** One attempt of a step: done or not, and what was seen (shown when the step times out). */
  public record Attempt(boolean done, String detail) {
    static Attempt done(String detail) {
      return new Attempt(true, detail);
    }

    static Attempt notYet(String detail) {
      return new Attempt(false, detail);
    }
  }

  @FunctionalInterface
  public interface Step {
    Attempt attempt() throws Exception;
  }

  public Readiness(Topology topology, Supervisor supervisor, Http http, PrintStream out,
      long startNanos, long timeoutSeconds) {
    this.t = topology;
    this.supervisor = supervisor;
    this.http = http;
    this.out = out;
    this.startNanos = startNanos;
    this.deadlineNanos = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
  }

  /**
   * Components that must stay alive while we wait (those this {@code up} started or found), by the
   * PID they had then: a PID we started is ours whatever its command line reads mid-exec.
   */
  public void watch(Collection<String> names) {
    for (String name : names) {
      supervisor.pid(name).ifPresentOrElse(pid -> watched.put(name, pid), () -> watched.put(name, -1L));
    }
  }

  public void watch(String name, long pid) {
    watched.put(name, pid);
  }

  public void print(String line) {
    out.printf("[%5.1fs] %s%n", (System.nanoTime() - startNanos) / 1e9, line);
    out.flush();
  }

  public String await(String step, Step check) throws NotReadyException, InterruptedException {
    String last = "no answer yet";
    while (true) {
      checkAlive();
      try {
        Attempt a = check.attempt();
        if (a.done()) {
          print(step + ": " + a.detail());
          return a.detail();
        }
        last = a.detail();
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new NotReadyException("timed out waiting for " + step + " (last seen: " + last
            + "); logs are in " + t.workdirPath().resolve("logs"));
      }
      Thread.sleep(POLL_MS);
    }
  }

  private void checkAlive() throws NotReadyException {
    for (Map.Entry<String, Long> w : watched.entrySet()) {
      String name = w.getKey();
      if (!ProcFs.alive(w.getValue())) {
        throw new NotReadyException(name + " exited; last lines of " + supervisor.logFile(name)
            + ":\n" + tail(supervisor.logFile(name), 15));
      }
    }
  }

  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - lines), all.size()).stream()
          .map(l -> "    " + l).collect(Collectors.joining("\n"));
    } catch (IOException e) {
      return "    (no log: " + e.getMessage() + ")";
    }
  }

  private boolean stale(PrometheusApi.Target target, Map<String, Instant> started) {
    Instant since = started.get(componentOf(target));
    if (since == null && target.job().startsWith("pgha-")) {
      since = started.get(Components.EXPORTERS_IN_ONE_JVM); // the exporters share one process
    }
    return since != null && (target.lastScrape() == null || target.lastScrape().isBefore(since));
  }

  /** The component a scrape target belongs to, by job and host. */
  String componentOf(PrometheusApi.Target target) {
    String host = target.instance().contains(":")
        ? target.instance().substring(0, target.instance().lastIndexOf(':')) : target.instance();
    return switch (target.job()) {
      case "patroni" -> t.members().stream().filter(m -> m.host().equals(host))
          .map(Topology.Member::name).findFirst().orElse("");
      case "etcd" -> t.etcd().stream().filter(e -> e.host().equals(host))
          .map(Topology.EtcdMember::name).findFirst().orElse("");
      case "pgha-patroni" -> "exporter-patroni";
      case "pgha-postgres" -> "exporter-postgres";
      case "pgha-dcs" -> "exporter-etcd";
      default -> target.job(); // haproxy, prometheus, alertmanager
    };
  }

  // ---- the steps ----

  public void etcdQuorum() throws NotReadyException, InterruptedException {
    EtcdApi etcd = new EtcdApi(http);
    await("etcd quorum", () -> {
      List<String> healthy = t.etcd().stream().filter(etcd::healthy)
          .map(Topology.EtcdMember::name).toList();
      if (healthy.size() < t.etcd().size()) {
        return Attempt.notYet(healthy.size() + "/" + t.etcd().size() + " healthy");
      }
      String leader = etcd.leaderName(t.etcd().get(0)).orElse(null);
      return leader == null ? Attempt.notYet("no raft leader yet")
          : Attempt.done(healthy.size() + "/" + t.etcd().size() + " healthy, leader " + leader);
    });
  }

  /** Exactly one leader, running, and answering 200 on /primary. Returns its name. */
  public Topology.Member leader() throws NotReadyException, InterruptedException {
    PatroniApi patroni = new PatroniApi(http);
    String[] name = new String[1];
    await("leader", () -> {
      var members = patroni.members(t);
      if (members.isEmpty()) {
        return Attempt.notYet("no Patroni REST API answers");
      }
      var leaders = members.get().stream().filter(PatroniCluster.Member::leader).toList();
      if (leaders.size() != 1) {
        return Attempt.notYet(leaders.size() + " leaders in " + members.get());
      }
      var l = leaders.get(0);
      // /primary is live; the state in /cluster lags up to one loop_wait behind it.
      if (!patroni.isPrimary(t.member(l.name()))) {
        return Attempt.notYet(l.name() + " holds the leader key but is " + l.state());
      }
      name[0] = l.name();
      return Attempt.done(l.name() + l.timeline().map(tl -> " (timeline " + tl + ")").orElse(""));
    });
    return t.member(name[0]);
  }

  public void streaming(Database db, Topology.Member leader)
      throws NotReadyException, InterruptedException {
    Set<String> expected = t.members().stream().map(Topology.Member::name)
        .filter(n -> !n.equals(leader.name())).collect(Collectors.toCollection(TreeSet::new));
    await("replicas streaming", () -> {
      Set<String> streaming = db.streamingReplicas(leader.host(), leader.pgPort()).stream()
          .map(Database.StreamingReplica::name).collect(Collectors.toCollection(TreeSet::new));
      return streaming.containsAll(expected)
          ? Attempt.done(String.join(", ", expected) + " (pg_stat_replication on " + leader.name() + ")")
          : Attempt.notYet("streaming: " + streaming + ", expected " + expected);
    });
  }

  public void haproxyRouted(Topology.Member leader) throws NotReadyException, InterruptedException {
    Set<String> replicas = t.members().stream().map(Topology.Member::name)
        .filter(n -> !n.equals(leader.name())).collect(Collectors.toCollection(TreeSet::new));
    await("HAProxy routed", () -> {
      Http.Response csv = http.get(ClusterStateReader.statsCsvUrl(t));
      if (!csv.ok()) {
        return Attempt.notYet("stats page answers " + csv.status());
      }
      var servers = HaproxyStats.parse(csv.body());
      List<String> write = HaproxyStats.upIn(servers, HaproxyStats.WRITE).stream()
          .map(HaproxyStats.ServerState::server).toList();
      Set<String> read = HaproxyStats.upIn(servers, HaproxyStats.READ).stream()
          .map(HaproxyStats.ServerState::server).collect(Collectors.toCollection(TreeSet::new));
      String seen = "write UP " + write + ", read UP " + read;
      return write.equals(List.of(leader.name())) && read.equals(replicas)
          ? Attempt.done("write -> " + leader.name() + ", read -> " + String.join(", ", read))
          : Attempt.notYet(seen);
    });
  }

  /**
   * Every target up, and scraped since this {@code up} started its component: a member stopped
   * and restarted between two scrapes would otherwise still show the "up" of its previous life.
   */
  public void prometheusTargets(Map<String, Instant> started) throws NotReadyException,
      InterruptedException {
    PrometheusApi prometheus = new PrometheusApi(http);
    await("Prometheus targets", () -> {
      var targets = prometheus.activeTargets(t.prometheus().url());
      if (targets.isEmpty()) {
        return Attempt.notYet("Prometheus API does not answer");
      }
      var down = targets.get().stream().filter(x -> !x.up() || stale(x, started))
          .map(x -> x.job() + "/" + x.instance() + " " + x.health()).toList();
      return targets.get().isEmpty() || !down.isEmpty()
          ? Attempt.notYet("not up: " + down)
          : Attempt.done(targets.get().size() + "/" + targets.get().size() + " up");
    });
  }
}
