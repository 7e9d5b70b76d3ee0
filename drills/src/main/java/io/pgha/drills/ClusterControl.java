package io.pgha.drills;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.lab.client.EtcdApi;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.PatroniApi;
import io.pgha.lab.deploy.ClusterSettings;
import io.pgha.lab.deploy.ClusterUp;
import io.pgha.lab.deploy.Components;
import io.pgha.lab.deploy.Database;
import io.pgha.lab.deploy.ProcFs;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.deploy.Supervisor;
import io.pgha.lab.status.ClusterState;
import io.pgha.lab.status.ClusterStateReader;
import io.pgha.lab.topology.Topology;
import io.pgha.patroni.api.HistoryEntry;
import io.pgha.patroni.api.PatroniCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a drill does to the cluster and asks of it: faults by PID (process groups from the PID files,
 * never by name), Patroni's dynamic configuration, the switchover, and the restore ({@code pgha up}
 * in-process, which starts whatever is missing and waits until the cluster is ready).
 */
public final class ClusterControl {

  private final Topology t;
  private final Path repoHome;
  private final Path javaBin;
  private final Path cliJar;
  private final Http http = new Http();
  private final PatroniApi patroni = new PatroniApi(http);
  private final Supervisor supervisor;
  private final Secrets secrets;

  public ClusterControl(Topology topology, Path repoHome, Path javaBin, Path cliJar) {
    this.t = topology;
    this.repoHome = repoHome;
    this.javaBin = javaBin;
    this.cliJar = cliJar;
    this.supervisor = new Supervisor(topology.workdirPath());
    this.secrets = new Secrets(topology.workdirPath());
  }

  public Topology topology() {
    return t;
  }

  // ---- state ----

  public ClusterState state() {
    return new ClusterStateReader(http).read(t);
  }

  /** The one leader that runs, per Patroni's {@code /cluster}. */
  public Optional<String> leader() {
    return patroni.runningLeader(t);
  }

  public List<String> syncStandbys() {
    return patroni.members(t).map(ms -> ms.stream().filter(m -> "sync_standby".equals(m.role()))
        .map(PatroniCluster.Member::name).toList()).orElse(List.of());
  }

  public Optional<String> etcdLeader() {
    EtcdApi etcd = new EtcdApi(http);
    for (Topology.EtcdMember e : t.etcd()) {
      Optional<String> leader = etcd.leaderName(e);
      if (leader.isPresent()) {
        return leader;
      }
    }
    return Optional.empty();
  }

  /** Members listed in Patroni's failsafe key (written by the leader while failsafe_mode is on); 0 without it. */
  public int failsafeMembers() {
    String key = java.util.Base64.getEncoder().encodeToString((t.namespace() + t.scope() + "/failsafe")
        .getBytes(StandardCharsets.UTF_8));
    for (Topology.EtcdMember e : t.etcd()) {
      Http.Response r = http.postJson(e.clientUrl() + "/v3/kv/range", "{\"key\":\"" + key + "\"}");
      if (r.ok()) {
        JsonNode kvs = r.json().path("kvs");
        if (!kvs.isArray() || kvs.isEmpty()) {
          return 0;
        }
        String value = new String(java.util.Base64.getDecoder().decode(kvs.get(0).path("value").asText("")),
            StandardCharsets.UTF_8);
        try {
          return Http.JSON.readTree(value).size();
        } catch (IOException ex) {
          return 0;
        }
      }
    }
    return 0;
  }

  /** Patroni's dynamic configuration ({@code GET /config} of the first member that answers). */
  public JsonNode config() {
    return patroni.config(t).orElseThrow(() -> new IllegalStateException("no Patroni member answers GET /config"));
  }

  /** {@code PATCH /config} with the patroni user's password, through the first member that takes it. */
  public void patchConfig(String json) {
    patroni.patchConfig(t, json, Secrets.PATRONI_REST + ":" + secrets.password(Secrets.PATRONI_REST));
  }

  /** Patroni's {@code /history} from the first member that answers; empty when none does. */
  public List<HistoryEntry> history() {
    return patroni.history(t);
  }

  /** The replicas in state streaming in the leader's {@code pg_stat_replication}, with their sync state. */
  public List<String> streamingReplicas(String leader) {
    Topology.Member m = t.member(leader);
    List<String> out = new ArrayList<>();
    try (Connection c = new Database(secrets).connect(m.host(), m.pgPort(), Secrets.SUPERUSER);
         Statement s = c.createStatement();
         ResultSet rows = s.executeQuery("SELECT application_name, sync_state FROM pg_stat_replication "
             + "WHERE state = 'streaming' ORDER BY application_name")) {
      while (rows.next()) {
        out.add(rows.getString(1) + ("sync".equals(rows.getString(2)) ? " (sync)" : ""));
      }
    } catch (SQLException e) {
      return List.of();
    }
    return out;
  }

  // ---- faults ----

  /** SIGTERM to a member's Patroni: it stops its PostgreSQL and exits. Returns when it has. */
  public void stopPatroni(String member) throws InterruptedException {
    stopGroups(List.of(member), "TERM", Duration.ofSeconds(60));
  }

  /**
   * A member's host "crashes": SIGKILL to Patroni and everything under it, to the postmaster and to
   * each of its children (PostgreSQL makes every child a process group of its own, so no group signal
   * reaches them all). The PIDs are collected first and signalled from this JVM in one go, so the
   * processes die within microseconds of each other rather than one fork of kill(1) apart.
   */
  public void killMember(String member) throws InterruptedException {
    long patroniPid = supervisor.pid(member).orElseThrow(() -> new IllegalStateException(member + " is not running"));
    List<ProcessHandle> victims = new ArrayList<>();
    ProcessHandle.of(patroniPid).ifPresent(p -> {
      victims.add(p);
      p.descendants().forEach(victims::add);
    });
    postmasterPid(member).ifPresent(pid -> ProcessHandle.of(pid).ifPresent(p -> {
      victims.add(p);
      p.children().forEach(victims::add);
    }));
    victims.forEach(ProcessHandle::destroyForcibly);
    // Anything Patroni forked into its group meanwhile.
    ProcFs.signalGroup(patroniPid, "KILL");
    List<Long> pids = victims.stream().map(ProcessHandle::pid).distinct().toList();
    if (!ProcFs.awaitExit(pids, Duration.ofSeconds(10))) {
      throw new IllegalStateException("processes of " + member + " still run 10 s after SIGKILL");
    }
  }

  /**
   * A connection straight to a member's PostgreSQL that reads its WAL position: opened before a kill,
   * so the last position is read a moment before the SIGKILL.
   */
  public PositionProbe positionProbe(String member) throws SQLException {
    Topology.Member m = t.member(member);
    return new PositionProbe(new Database(secrets).connect(m.host(), m.pgPort(), Secrets.MONITOR));
  }

  /** See {@link #positionProbe}. */
  public static final class PositionProbe implements AutoCloseable {
    private final Connection connection;

    PositionProbe(Connection connection) {
      this.connection = connection;
    }

    /** {@code pg_current_wal_insert_lsn()} as a byte offset. */
    public long position() throws SQLException {
      try (Statement s = connection.createStatement();
           ResultSet row = s.executeQuery("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint")) {
        row.next();
        return row.getLong(1);
      }
    }

    @Override
    public void close() {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the server is gone: nothing to close
      }
    }
  }

  /** SIGTERM to every named etcd member at once; returns when all have exited. */
  public void stopEtcd(List<String> names) throws InterruptedException {
    stopGroups(names, "TERM", Duration.ofSeconds(30));
  }

  public void stopHaproxy() throws InterruptedException {
    stopGroups(List.of(Components.HAPROXY), "TERM", Duration.ofSeconds(10));
  }

  private void stopGroups(List<String> names, String signal, Duration timeout) throws InterruptedException {
    List<Long> pids = new ArrayList<>();
    for (String name : names) {
      pids.add(supervisor.pid(name).orElseThrow(() -> new IllegalStateException(name + " is not running")));
    }
    pids.forEach(pid -> ProcFs.signalGroup(pid, signal));
    if (!ProcFs.awaitExit(pids, timeout)) {
      throw new IllegalStateException(String.join(", ", names) + " still running " + timeout.toSeconds()
          + " s after SIG" + signal);
    }
  }

  private OptionalLong postmasterPid(String member) {
    try {
      Path f = Path.of(t.member(member).dataDir(), "postmaster.pid");
      long pid = Long.parseLong(Files.readAllLines(f, StandardCharsets.US_ASCII).get(0).trim());
      return ProcFs.alive(pid) ? OptionalLong.of(pid) : OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** {@code POST /switchover} to the leader; Patroni answers once the switchover is done (or failed). */
  public Http.Response switchover(String leader, String candidate) {
    return patroni.switchover(t.member(leader), leader, candidate,
        Secrets.PATRONI_REST + ":" + secrets.password(Secrets.PATRONI_REST));
  }

  // ---- restore ----

  /** {@code pgha up}: starts what is missing and returns when the whole cluster is ready again. */
  public void startMissing(PrintStream out, long timeoutSeconds) throws Exception {
    new ClusterUp(t, ClusterSettings.DEFAULTS, repoHome, javaBin, cliJar, out).run(timeoutSeconds);
  }
}
