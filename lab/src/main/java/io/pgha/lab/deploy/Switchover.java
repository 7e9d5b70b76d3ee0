package io.pgha.lab.deploy;

import io.pgha.lab.client.HaproxyStats;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.PatroniApi;
import io.pgha.lab.status.ClusterStateReader;
import io.pgha.lab.topology.Topology;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * A planned switchover through Patroni's REST API. Done when the new leader runs (answers 200 on
 * /primary) and HAProxy's write backend has exactly that one server UP.
 */
public final class Switchover {
  private final Topology t;
  private final Secrets secrets;
  private final PrintStream out;
  private static final long LEADER_LOOKUP_NANOS = 10_000_000_000L;
  private final Http http = new Http();
  private final PatroniApi patroni = new PatroniApi(http);

  public record Result(boolean ok, String message) {}

  public Switchover(Topology topology, Secrets secrets, PrintStream out) {
    this.t = topology;
    this.secrets = secrets;
    this.out = out;
  }

  public Result run(String candidate, long timeoutSeconds) throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + timeoutSeconds * 1_000_000_000L;
    Optional<String> leader = currentLeader();
    // A fresh JVM's first handshakes with a TLS cluster can miss lab's 1 s connection budget on a
    // busy machine, and an election may be under way: ask again for a while before giving up.
    long askUntil = Math.min(deadline, t0 + LEADER_LOOKUP_NANOS);
    while (leader.isEmpty() && System.nanoTime() < askUntil) {
      Thread.sleep(500);
      leader = currentLeader();
    }
    if (leader.isEmpty()) {
      return new Result(false, "no single running leader to switch over from");
    }
    if (leader.get().equals(candidate)) {
      return new Result(false, candidate + " is the leader already");
    }
    out.printf("switchover from %s to %s%n", leader.get(), candidate == null ? "any healthy replica"
        : candidate);
    Http.Response r = patroni.switchover(t.member(leader.get()), leader.get(), candidate,
        Secrets.PATRONI_REST + ":" + secrets.password(Secrets.PATRONI_REST));
    if (!r.ok()) {
      return new Result(false, "Patroni refused (HTTP " + r.status() + "): " + r.body().trim());
    }
    out.printf("[%5.1fs] Patroni: %s%n", secs(t0), r.body().trim());
    String seen = "";
    while (System.nanoTime() < deadline) {
      Optional<String> now = currentLeader();
      if (now.isPresent() && !now.get().equals(leader.get())
          && (candidate == null || candidate.equals(now.get()))
          && patroni.isPrimary(t.member(now.get()))) {
        Http.Response csv = http.get(ClusterStateReader.statsCsvUrl(t));
        List<String> write = HaproxyStats.upIn(HaproxyStats.parse(csv.body()), HaproxyStats.WRITE)
            .stream().map(HaproxyStats.ServerState::server).toList();
        if (write.equals(List.of(now.get()))) {
          out.printf("[%5.1fs] %s is the leader and HAProxy routes writes to it%n", secs(t0), now.get());
          return new Result(true, now.get());
        }
        seen = "HAProxy write backend UP: " + write;
      } else {
        seen = "leader: " + now.orElse("none");
      }
      Thread.sleep(100);
    }
    return new Result(false, "timed out after " + timeoutSeconds + " s (" + seen + ")");
  }

  private Optional<String> currentLeader() {
    return patroni.runningLeader(t);
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
