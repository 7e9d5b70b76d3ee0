package io.pgha.etcd;

import static io.pgha.common.MetricFamily.counter;
import static io.pgha.common.MetricFamily.gauge;
import static io.pgha.common.MetricFamily.histogram;

import io.pgha.common.CoreMetrics;
import io.pgha.common.CounterFamily;
import io.pgha.common.GaugeFamily;
import io.pgha.common.HistogramFamily;
import io.pgha.common.MetricFamily;
import java.util.List;

/**
 * Every metric family exporter-etcd writes, declared once (docs/metrics.md is checked against
 * these): the etcd cluster ({@code pgha_etcd_*}) and Patroni's state in it ({@code pgha_dcs_*}).
 */
public final class EtcdMetrics {
  /** The engine's families for this exporter ({@code collector_success} and the others). */
  public static final CoreMetrics CORE = CoreMetrics.of(EtcdExporter.NAME);

  private static final String SCOPE = "scope";
  private static final String MEMBER = "member";
  private static final String KIND = "kind";

  // EtcdMembersCollector
  public static final GaugeFamily ETCD_UP = gauge("pgha_etcd_up",
      "1 if some etcd endpoint answered the member list, 0 if none did.");
  public static final GaugeFamily ETCD_ENDPOINT_UP = gauge("pgha_etcd_endpoint_up",
      "1 if the configured endpoint answered a status request.", "endpoint");
  public static final GaugeFamily ETCD_MEMBER_UP = gauge("pgha_etcd_member_up",
      "1 if the member answered a status request.", MEMBER);
  public static final GaugeFamily ETCD_MEMBER_HEALTHY = gauge("pgha_etcd_member_healthy",
      "1 if a quorum (linearizable) read through the member succeeded, like etcdctl endpoint health.", MEMBER);
  public static final GaugeFamily ETCD_MEMBER_LEARNER = gauge("pgha_etcd_member_learner",
      "1 if the member is a non-voting learner.", MEMBER);
  public static final GaugeFamily ETCD_MEMBER_IS_LEADER = gauge("pgha_etcd_member_is_leader",
      "1 if the member says it is the raft leader; absent while it does not answer.", MEMBER);
  public static final GaugeFamily ETCD_MEMBER_RAFT_TERM = gauge("pgha_etcd_member_raft_term",
      "The raft term the member reports; absent while it does not answer.", MEMBER);
  public static final GaugeFamily ETCD_MEMBER_DB_SIZE_BYTES = gauge("pgha_etcd_member_db_size_bytes",
      "Size of the member's backend database file, in bytes.", MEMBER);
  public static final GaugeFamily ETCD_ALARM = gauge("pgha_etcd_alarm",
      "1 while the alarm is raised on the member (nospace: quota exceeded, writes refused; corrupt: data mismatch).",
      MEMBER, "alarm");

  // EtcdQuorumCollector
  public static final GaugeFamily ETCD_CLUSTER_MEMBERS = gauge("pgha_etcd_cluster_members",
      "Voting members in the etcd cluster (learners excluded).");
  public static final GaugeFamily ETCD_CLUSTER_MEMBERS_HEALTHY = gauge("pgha_etcd_cluster_members_healthy",
      "Voting members through which a quorum read succeeded.");
  public static final GaugeFamily ETCD_QUORUM_SIZE = gauge("pgha_etcd_quorum_size",
      "Votes needed for a raft quorum: members / 2 + 1.");
  public static final GaugeFamily ETCD_QUORUM_AVAILABLE = gauge("pgha_etcd_quorum_available",
      "1 while the healthy members reach the quorum size.");
  public static final GaugeFamily ETCD_FAILURES_TOLERABLE = gauge("pgha_etcd_failures_tolerable",
      "How many more members may fail before quorum is lost.");
  public static final GaugeFamily ETCD_CLUSTER_LEADERS_SEEN = gauge("pgha_etcd_cluster_leaders_seen",
      "Distinct raft leaders named by the members that answered: 1 normally, 0 without a leader, more if they disagree.");

  // DcsLeaderCollector (LeaderKeyMetrics): the leader key as the namespace watch (DcsWatcher) saw it
  // change, and the leader lease read in the background.
  public static final GaugeFamily DCS_WATCH_HEALTHY = gauge("pgha_dcs_watch_healthy",
      "1 while the watch on the namespace (the scope's keys) is established and answering.", SCOPE);
  public static final CounterFamily DCS_WATCH_RECONNECTS = counter("pgha_dcs_watch_reconnects_total",
      "Times the watch on the namespace was re-created (after an error, a silent stop or a resync finding).", SCOPE);
  public static final GaugeFamily DCS_WATCH_LAST_RESYNC_TIMESTAMP_SECONDS = gauge(
      "pgha_dcs_watch_last_resync_timestamp_seconds",
      "When a resync read last compared the keys in etcd with the watch, in Unix seconds.", SCOPE);
  public static final GaugeFamily DCS_LEADER = gauge("pgha_dcs_leader",
      "1 for the member holding the scope's leader key, 0 for members seen holding it before.", SCOPE, MEMBER);
  public static final GaugeFamily DCS_LEADER_KEY_PRESENT = gauge("pgha_dcs_leader_key_present",
      "1 while the scope's leader key exists.", SCOPE);
  public static final CounterFamily DCS_LEADER_CHANGES = counter("pgha_dcs_leader_changes_total",
      "Times the leader key was taken by a member other than its previous holder, by kind (switchover, failover, "
          + "released, expired, unknown), counted as the watch saw it.", SCOPE, KIND);
  /** Buckets around Patroni's ttl choices (10 s fast, 30 s default) and a planned switchover's second or two. */
  public static final HistogramFamily DCS_LEADER_VACANCY = histogram("pgha_dcs_leader_vacancy_seconds",
      "Time without a leader at each leader change, by kind (switchover, failover, released, expired): from the "
          + "old leader losing the key (its delete, or for an expired lease its last renewal) to the new leader holding it.",
      new double[] {0.25, 0.5, 1, 2, 5, 10, 15, 30, 60}, SCOPE, KIND);
  public static final GaugeFamily DCS_LAST_LEADER_CHANGE_INFO = gauge("pgha_dcs_last_leader_change_info",
      "The last leader change the watch saw: old leader, new leader, kind. Always 1; one series per scope, "
          + "replaced at each change.", SCOPE, "from", "to", KIND);
  public static final GaugeFamily DCS_LAST_FAILOVER_WAL_AT_RISK_BYTES = gauge("pgha_dcs_last_failover_wal_at_risk_bytes",
      "At the last leader change, the old leader's last reported WAL position beyond the new timeline's switch "
          + "point, in bytes: 0 for a clean switchover; what asynchronous replication lost up to that report "
          + "(Patroni reports once per loop_wait; WAL written after it is not counted).", SCOPE);
  public static final CounterFamily DCS_LEADER_VACANCIES = counter("pgha_dcs_leader_vacancies_total",
      "Times the leader key was deleted or expired, whoever took it next.", SCOPE);
  public static final CounterFamily DCS_WATCH_EVENTS = counter("pgha_dcs_watch_events_total",
      "Changes of the leader key applied, by type (put or delete).", SCOPE, "type");
  public static final CounterFamily DCS_WATCH_MISSED_EVENTS = counter("pgha_dcs_watch_missed_events_total",
      "Changes of the leader key that a resync found before the watch delivered them.", SCOPE);
  public static final GaugeFamily DCS_LAST_LEADER_CHANGE_TIMESTAMP_SECONDS = gauge(
      "pgha_dcs_last_leader_change_timestamp_seconds",
      "When the exporter saw the last new leader take the key, in Unix seconds.", SCOPE);
  public static final GaugeFamily DCS_LAST_LEADER_VACANCY_SECONDS = gauge("pgha_dcs_last_leader_vacancy_seconds",
      "How long the leader key stayed empty before it was last taken, in seconds.", SCOPE);
  public static final GaugeFamily DCS_LEADER_LEASE_TTL_SECONDS = gauge("pgha_dcs_leader_lease_ttl_seconds",
      "Seconds left on the leader key's lease: the holder must renew it before it reaches 0.", SCOPE);
  public static final GaugeFamily DCS_LEADER_LEASE_GRANTED_TTL_SECONDS = gauge("pgha_dcs_leader_lease_granted_ttl_seconds",
      "The TTL the leader key's lease was granted with (Patroni's ttl), in seconds.", SCOPE);

  // StateAgeCollector: how old what the scrape serves is.
  public static final GaugeFamily ETCD_STATE_AGE_SECONDS = gauge("pgha_etcd_state_age_seconds",
      "How old each piece of state served is, in seconds: cluster (member list, status, health, alarms, probed "
          + "in the background), dcs (the watched keys, since etcd last confirmed the watch current), leases "
          + "(leader lease TTLs).", "state");

  // DcsStateCollector: the scope's keys as the namespace watch keeps them.
  public static final GaugeFamily DCS_MEMBERS = gauge("pgha_dcs_members",
      "Members registered under the scope's members/ key (each holds a lease of Patroni's ttl).", SCOPE);
  public static final GaugeFamily DCS_INITIALIZED = gauge("pgha_dcs_initialized",
      "1 if the scope's initialize key exists (the cluster was bootstrapped).", SCOPE);
  public static final GaugeFamily DCS_FAILSAFE_MODE_ENABLED = gauge("pgha_dcs_failsafe_mode_enabled",
      "1 if failsafe_mode is on in the scope's dynamic configuration.", SCOPE);
  public static final GaugeFamily DCS_SYNCHRONOUS_MODE_ENABLED = gauge("pgha_dcs_synchronous_mode_enabled",
      "1 if synchronous_mode is on in the scope's dynamic configuration.", SCOPE);
  public static final GaugeFamily DCS_FAILSAFE_MEMBERS = gauge("pgha_dcs_failsafe_members",
      "Members in the failsafe key: those the leader must reach to keep running without the DCS.", SCOPE);
  public static final GaugeFamily DCS_HISTORY_ENTRIES = gauge("pgha_dcs_history_entries",
      "Entries in the scope's history key: one per promotion (timeline switch).", SCOPE);
  public static final GaugeFamily DCS_SYNC_STANDBY = gauge("pgha_dcs_sync_standby",
      "1 for the members the sync key names as synchronous standby, 0 for the other registered members.", SCOPE, MEMBER);

  /** Every family, the engine's included. */
  public static final List<MetricFamily> ALL = CORE.with(
      ETCD_UP, ETCD_ENDPOINT_UP, ETCD_MEMBER_UP, ETCD_MEMBER_HEALTHY, ETCD_MEMBER_LEARNER,
      ETCD_MEMBER_IS_LEADER, ETCD_MEMBER_RAFT_TERM, ETCD_MEMBER_DB_SIZE_BYTES, ETCD_ALARM, ETCD_CLUSTER_MEMBERS,
      ETCD_CLUSTER_MEMBERS_HEALTHY, ETCD_QUORUM_SIZE, ETCD_QUORUM_AVAILABLE, ETCD_FAILURES_TOLERABLE,
      ETCD_CLUSTER_LEADERS_SEEN, DCS_WATCH_HEALTHY, DCS_WATCH_RECONNECTS,
      DCS_WATCH_LAST_RESYNC_TIMESTAMP_SECONDS, DCS_LEADER, DCS_LEADER_KEY_PRESENT, DCS_LEADER_CHANGES,
      DCS_LEADER_VACANCIES, DCS_WATCH_EVENTS, DCS_WATCH_MISSED_EVENTS, DCS_LAST_LEADER_CHANGE_TIMESTAMP_SECONDS,
      DCS_LAST_LEADER_VACANCY_SECONDS, DCS_LEADER_LEASE_TTL_SECONDS, DCS_LEADER_LEASE_GRANTED_TTL_SECONDS,
      DCS_LEADER_VACANCY, DCS_LAST_LEADER_CHANGE_INFO, DCS_LAST_FAILOVER_WAL_AT_RISK_BYTES, ETCD_STATE_AGE_SECONDS,
      DCS_MEMBERS, DCS_INITIALIZED, DCS_FAILSAFE_MODE_ENABLED, DCS_SYNCHRONOUS_MODE_ENABLED,
      DCS_FAILSAFE_MEMBERS, DCS_HISTORY_ENTRIES, DCS_SYNC_STANDBY);

  private EtcdMetrics() {}
}
