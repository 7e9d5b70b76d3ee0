package io.pgha.drills;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.lab.client.EtcdApi;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.LeaderEventsApi;
import io.pgha.lab.client.PatroniApi;
import io.pgha.lab.deploy.Database;
import io.pgha.lab.deploy.Installation;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.faults.ClusterFaults;
import io.pgha.lab.status.ClusterState;
import io.pgha.lab.status.ClusterStateReader;
import io.pgha.lab.topology.Topology;
import io.pgha.patroni.api.HistoryEntry;
import io.pgha.patroni.api.PatroniCluster;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a drill asks of the cluster and does to it: Patroni's view and dynamic configuration, etcd's
 * leader and failsafe key, replication on the leader, the switchover, and the faults and the restore
 * of lab's {@link ClusterFaults} (by PID, never by name; the restore is {@code pgha up} in-process).
 */
public final class ClusterControl {

  private final Topology t;
  private final Http http = new Http();
  private final PatroniApi patroni = new PatroniApi(http);
  private final EtcdApi etcd = new EtcdApi(http);
  private final Secrets secrets;
  private final ClusterFaults faults;

  public ClusterControl(Topology topology, Installation installation) {
    this.t = topology;
    this.secrets = new Secrets(topology.workdirPath());
    this.faults = new ClusterFaults(topology, installation);
  }

  public Topology topology() {
    return t;
  }

  /** Stop, kill and restore, as the bench and the integration tests do it too. */
  public ClusterFaults faults() {
    return faults;
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
    return etcd.leaderName(t.etcd());
  }

  /** Members listed in Patroni's failsafe key (written by the leader while failsafe_mode is on); 0 without it. */
  public int failsafeMembers() {
    for (Topology.EtcdMember e : t.etcd()) {
      Optional<JsonNode> range = etcd.range(e, t.namespace() + t.scope() + "/failsafe", false);
      if (range.isPresent()) {
        String value = EtcdApi.value(range.get());
        try {
          return value == null ? 0 : Http.JSON.readTree(value).size();
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

  /**
   * The last leader changes exporter-etcd tells ({@code /events}), newest first; empty when it does
   * not answer (the drill then reports the checks on them as failed, not the drill as broken).
   */
  public List<LeaderEventsApi.Event> exporterEvents() {
    try {
      return new LeaderEventsApi(new Http()).read(t, Optional.of(t.scope()), 20).events();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }

  /** Patroni's {@code /history} from the first member that answers; empty when none does. */
  public List<HistoryEntry> history() {
    return patroni.history(t);
  }

  /** The replicas in state streaming in the leader's {@code pg_stat_replication}, with their sync state. */
  public List<String> streamingReplicas(String leader) {
    Topology.Member m = t.member(leader);
    try {
      return new Database(secrets).streamingReplicas(m.host(), m.pgPort()).stream()
          .map(r -> r.name() + (r.sync() ? " (sync)" : "")).toList();
    } catch (SQLException e) {
      return List.of();
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

  /**
   * A primary's WAL as byte offsets: {@code pg_current_wal_insert_lsn()}, where the next record goes, and
   * {@code pg_current_wal_lsn()}, what is written out: the position Patroni reports for a leader
   * ({@code status} optime, member key {@code xlog_location}).
   */
  public record WalPositions(long insert, long written) {
  }

  /** See {@link #positionProbe}. */
  public static final class PositionProbe implements AutoCloseable {
    private final Connection connection;

    PositionProbe(Connection connection) {
      this.connection = connection;
    }

    /** Both ends of the member's WAL, read in one query. */
    public WalPositions positions() throws SQLException {
      try (Statement s = connection.createStatement();
           ResultSet row = s.executeQuery("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint, "
               + "(pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
        row.next();
        return new WalPositions(row.getLong(1), row.getLong(2));
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

  /**
   * Writes {@code bytes} of WAL on a member's PostgreSQL in one record that changes no table (a
   * non-transactional logical message, as superuser), and returns its insert position before and after.
   * Lag the drill builds on purpose: a replica that does not get it lags that much behind.
   */
  public long[] writeWal(String member, int bytes) throws SQLException {
    Topology.Member m = t.member(member);
    try (Connection c = new Database(secrets).connect(m.host(), m.pgPort(), Secrets.SUPERUSER);
         Statement s = c.createStatement()) {
      long before = position(s, "pg_current_wal_insert_lsn()");
      s.execute("SELECT pg_logical_emit_message(false, 'pgha-drill', repeat('x', " + bytes + "))");
      return new long[] {before, position(s, "pg_current_wal_insert_lsn()")};
    }
  }

  /** The WAL a replica has received and replayed, the furthest of both (what Patroni compares for a failover). */
  public long replicaPosition(String member) throws SQLException {
    Topology.Member m = t.member(member);
    try (Connection c = new Database(secrets).connect(m.host(), m.pgPort(), Secrets.MONITOR);
         Statement s = c.createStatement()) {
      return position(s, "greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())");
    }
  }

  private static long position(Statement s, String lsn) throws SQLException {
    try (ResultSet row = s.executeQuery("SELECT (" + lsn + " - '0/0'::pg_lsn)::bigint")) {
      row.next();
      return row.getLong(1);
    }
  }

  /**
   * The leader's WAL position as Patroni last wrote it to the DCS ({@code status} key, {@code optime}):
   * what a replica's lag is measured against when it considers a failover. Empty when not readable.
   */
  public OptionalLong leaderOptime() {
    for (Topology.EtcdMember e : t.etcd()) {
      Optional<JsonNode> range = etcd.range(e, t.namespace() + t.scope() + "/status", true);
      if (range.isPresent()) {
        String value = EtcdApi.value(range.get());
        try {
          JsonNode optime = value == null ? null : Http.JSON.readTree(value).get("optime");
          return optime == null || !optime.canConvertToLong() ? OptionalLong.empty() : OptionalLong.of(optime.asLong());
        } catch (IOException ex) {
          return OptionalLong.empty();
        }
      }
    }
    return OptionalLong.empty();
  }

  /** {@code POST /failover} to {@code via} with only a candidate (a manual failover); answers once done or failed. */
  public Http.Response failover(String via, String candidate) {
    return patroni.failover(t.member(via), candidate, Secrets.PATRONI_REST + ":" + secrets.password(Secrets.PATRONI_REST));
  }

  /** {@code POST /switchover} to the leader; Patroni answers once the switchover is done (or failed). */
  public Http.Response switchover(String leader, String candidate) {
    return patroni.switchover(t.member(leader), leader, candidate,
        Secrets.PATRONI_REST + ":" + secrets.password(Secrets.PATRONI_REST));
  }
}
