package io.pgha.dashboards;

import static io.pgha.dashboards.Common.BLUE;
import static io.pgha.dashboards.Common.GREEN;
import static io.pgha.dashboards.Common.ORANGE;
import static io.pgha.dashboards.Common.RED;
import static io.pgha.dashboards.Common.base;
import static io.pgha.dashboards.Common.from;

import io.pgha.etcd.EtcdMetrics;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.postgres.PostgresMetrics;
import java.util.List;
import java.util.Map;

/**
 * Cluster overview, per scope: first whether it could fail over now and whether HAProxy routes to
 * the leader, with the etcd signals that predict a DCS outage; then who leads, who follows how far
 * behind, failovers, quorum, routing.
 */
final class ClusterOverviewDashboard {

  static final String UID = "pgha-cluster-overview";

  private static final String S = "scope=\"$scope\"";

  /** etcd's own metrics, as the etcd mixin selects them. */
  private static final String ETCD = "job=~\".*etcd.*\"";

  /** Members DCS, Patroni and PostgreSQL each name as primary, as one vector keyed by member. */
  private static final String PRIMARY_CLAIMS = EtcdMetrics.DCS_LEADER.name() + "{" + S + "} == 1"
      + " or " + PatroniMetrics.LEADER.name() + "{" + S + "} == 1"
      + " or " + PostgresMetrics.IN_RECOVERY.name() + "{" + S + "} == 0";

  /** How many of the three sources name some primary (0 to 3). */
  private static final String SOURCES_NAMING_A_PRIMARY =
      "(max(" + EtcdMetrics.DCS_LEADER.name() + "{" + S + "}) or vector(0))"
      + " + (max(" + PatroniMetrics.LEADER.name() + "{" + S + "}) or vector(0))"
      + " + (clamp_max(count(" + PostgresMetrics.IN_RECOVERY.name() + "{" + S + "} == 0), 1) or vector(0))";

  /** Joins a per-scope figure of exporter-etcd's last leader change to that change's from, to and kind. */
  private static final String WITH_CHANGE = " * on (scope, instance) group_left (from, to, kind) "
      + EtcdMetrics.DCS_LAST_LEADER_CHANGE_INFO.name() + "{" + S + "}";

  private ClusterOverviewDashboard() {}

  /** The latest value, per change, of a figure of the last change, over the dashboard's range. */
  private static String perChange(String figure) {
    return "max by (from, to, kind) (last_over_time((" + figure + WITH_CHANGE + ")[$__range:15s]))";
  }

  /** The slowest etcd member's 99th percentile of one of etcd's duration histograms over 5 minutes. */
  private static Panel slowestMemberP99(String title, String bucket, String legend) {
    return Panel.stat(title).unit("s")
        .query(Query.instant("max(histogram_quantile(0.99, rate(" + bucket + "{" + ETCD + "}[5m])))", legend));
  }

  static Dashboard build() {
    Dashboard d = Dashboard.create(UID, "pgha / Cluster overview", "pgha-cluster-overview.json")
        .description("One Patroni cluster (scope): whether it could fail over now and writes reach the leader, "
            + "etcd's predictors, leader, members, replication lag, leader changes, etcd quorum, HAProxy routing, "
            + "and whether DCS, Patroni and PostgreSQL agree on the primary.")
        .tag("patroni")
        .variable(Variable.datasource())
        .variable(Common.scope())
        .variable(Variable.labelValues("write_backend", "HAProxy write backend",
                "label_values(haproxy_backend_active_servers{job=\"haproxy\"}, proxy)")
            .regex("/write|primary|leader/i")
            .description("HAProxy backend that routes to the leader (checks Patroni's /primary)"))
        .variable(Variable.labelValues("read_backend", "HAProxy read backend",
                "label_values(haproxy_backend_active_servers{job=\"haproxy\"}, proxy)")
            .regex("/read|replica|standby/i")
            .description("HAProxy backend that balances over the replicas (checks Patroni's /replica)"))
        .annotation(new Annotation("Leader change (DCS watch)",
            EtcdMetrics.DCS_LAST_LEADER_CHANGE_TIMESTAMP_SECONDS.name() + "{" + S + "} * 1000" + WITH_CHANGE,
            "{{from}} -> {{to}} ({{kind}}) in {{scope}}",
            "Seen by exporter-etcd's watch on the leader key, at the moment the key changed hands. Kind: "
                + "switchover, failover (manual), released (the leader gave up its key: stop, demotion), expired "
                + "(its lease ran out: crash, partition). More (vacancy, WAL at risk): ./pgha events.",
            "red", true))
        .annotation(new Annotation("Promotion (Patroni history)",
            PatroniMetrics.LAST_PROMOTION_TIMESTAMP_SECONDS.name() + "{" + S + "} * 1000"
                + " * on (scope) group_left (member) (" + PatroniMetrics.LEADER.name() + "{" + S + "} == 1)",
            "Promotion in {{scope}}, leader now {{member}}",
            "From Patroni's /history (kept in the DCS): every promotion starts a new timeline.",
            "orange", true));

    d.row("Can it fail over, and do writes reach the leader?");
    d.add(Panel.stat("Failover ready")
        .description("Members Patroni would promote if the leader failed now, by Patroni's own rules "
            + "(exporter-patroni: not nofailover, the synchronous standby in synchronous mode, reachable, "
            + "running, within maximum_lag_on_failover). 0 means losing the leader is an outage.")
        .unit("none").decimals(0).colorBackground()
        .thresholds(base(RED), from(1, ORANGE), from(2, GREEN))
        .query(Query.instant(PatroniMetrics.FAILOVER_CANDIDATES.name() + "{" + S + "}", "candidates")), 3, 4);
    d.add(Panel.stat("Why not a candidate")
        .description("For each member Patroni would not promote now, the first of its rules the member "
            + "fails: leader, nofailover, nosync, not_sync, unreachable, not_running, watchdog_failed, "
            + "lagging, timeline_behind.")
        .unit("none").showName()
        .query(Query.instant("max by (member, reason) (" + PatroniMetrics.MEMBER_FAILOVER_BLOCKER.name() + "{" + S + "} == 1)",
            "{{member}}: {{reason}}")), 5, 4);
    d.add(Panel.stat("Writes routed to leader")
        .description("Yes while every HAProxy write backend has exactly one server UP and it is the leader "
            + "holding the DCS key (recording rule pgha:haproxy_write_routed_to_leader; servers are named "
            + "after their members).")
        .unit("none").colorBackground()
        .mapping("1", "yes", GREEN).mapping("0", "NO", RED)
        .query(Query.instant("pgha:haproxy_write_routed_to_leader{" + S + "}", "writes")), 3, 4);
    d.add(Panel.stat("Reads routed to replicas")
        .description("Yes while every server UP in HAProxy's read backends is a streaming replica "
            + "(recording rule pgha:haproxy_read_routed_to_replicas).")
        .unit("none").colorBackground()
        .mapping("1", "yes", GREEN).mapping("0", "NO", ORANGE)
        .query(Query.instant("pgha:haproxy_read_routed_to_replicas{" + S + "}", "reads")), 3, 4);
    d.add(Panel.stat("Synchronous mode")
        .description("Patroni's synchronous_mode (off, on, strict, quorum), from its dynamic configuration.")
        .unit("none").showName()
        .query(Query.instant("max by (mode) (" + PatroniMetrics.CONFIG_SYNCHRONOUS_MODE.name() + "{" + S + "} == 1)", "{{mode}}")),
        3, 4);
    d.add(Panel.stat("Synchronous standbys")
        .description("Members that are synchronous standbys now. 0 with synchronous mode on means commits are "
            + "acknowledged without a synchronous copy (or, in strict mode, wait).")
        .unit("none").decimals(0)
        .query(Query.instant("count(" + PatroniMetrics.MEMBER_ROLE.name() + "{" + S + ", role=\"sync_standby\"} == 1) or vector(0)",
            "standbys")), 3, 4);
    d.add(Panel.stat("Maximum lag on failover")
        .description("Patroni's maximum_lag_on_failover: a replica further behind is not promoted.")
        .unit("bytes")
        .query(Query.instant(PatroniMetrics.CONFIG_MAXIMUM_LAG_ON_FAILOVER_BYTES.name() + "{" + S + "}", "max lag")), 4, 4);
    d.add(Panel.stat("etcd database of quota")
        .description("The largest etcd member's backend database as a share of its quota. At the quota etcd "
            + "refuses writes (NOSPACE) and Patroni can no longer renew the leader key.")
        .unit("percentunit").decimals(2)
        .thresholds(base(GREEN), from(0.8, ORANGE), from(0.95, RED))
        .query(Query.instant("max(etcd_mvcc_db_total_size_in_bytes{" + ETCD + "} / etcd_server_quota_backend_bytes{"
            + ETCD + "})", "of quota")), 4, 4);
    d.add(slowestMemberP99("etcd WAL fsync p99", "etcd_disk_wal_fsync_duration_seconds_bucket", "fsync p99")
        .description("The slowest member's 99th percentile WAL fsync over 5 minutes. Above 0.5 s (the etcd "
            + "mixin's threshold) heartbeats are late and elections follow.")
        .thresholds(base(GREEN), from(0.1, ORANGE), from(0.5, RED)), 5, 4);
    d.add(slowestMemberP99("etcd backend commit p99", "etcd_disk_backend_commit_duration_seconds_bucket", "commit p99")
        .description("The slowest member's 99th percentile backend commit over 5 minutes. Above 0.25 s (the "
            + "etcd mixin's threshold) writes, leader key renewals among them, queue.")
        .thresholds(base(GREEN), from(0.05, ORANGE), from(0.25, RED)), 5, 4);
    d.add(Panel.stat("etcd leader changes (15 min)")
        .description("Raft elections in the last 15 minutes (the members' largest count). 4 or more is the "
            + "etcd mixin's alert: each election pauses writes.")
        .unit("none").decimals(0)
        .thresholds(base(GREEN), from(1, ORANGE), from(4, RED))
        .query(Query.instant("max(increase(etcd_server_leader_changes_seen_total{" + ETCD + "}[15m]))", "elections")),
        5, 4);
    d.add(slowestMemberP99("etcd peer round trip p99", "etcd_network_peer_round_trip_time_seconds_bucket", "peer RTT p99")
        .description("The slowest 99th percentile round trip between etcd members over 5 minutes. Above "
            + "0.15 s (the etcd mixin's threshold) heartbeats are at risk.")
        .thresholds(base(GREEN), from(0.05, ORANGE), from(0.15, RED)), 5, 4);

    d.row("Leader");
    d.add(Panel.stat("Current leader")
        .description("The member exporter-patroni reads as leader from Patroni's /cluster. "
            + "Empty when no member holds the leader key.")
        .unit("none").showName()
        .query(Query.instant(PatroniMetrics.LEADER.name() + "{" + S + "} == 1", "{{member}}")), 6, 4);
    d.add(Panel.stat("Leader changes in range")
        .description("Leader changes (a new holder other than the previous one, i.e. failovers and "
            + "switchovers) during the selected time range, from Patroni's /history in the DCS: exact, "
            + "and unaffected by exporter restarts.")
        .unit("short").decimals(0).thresholds(base(GREEN), from(1, ORANGE))
        .query(Query.instant("max_over_time(" + PatroniMetrics.LEADER_CHANGES.name() + "{" + S + "}[$__range])"
            + " - min_over_time(" + PatroniMetrics.LEADER_CHANGES.name() + "{" + S + "}[$__range])", "changes")), 4, 4);
    d.add(Panel.stat("Leader changes (all time)")
        .description("Leader changes since the cluster was created, as recorded in Patroni's /history.")
        .unit("short").decimals(0)
        .query(Query.instant(PatroniMetrics.LEADER_CHANGES.name() + "{" + S + "}", "changes")), 4, 4);
    d.add(Panel.stat("Last promotion")
        .description("When the latest promotion in Patroni's /history happened (each promotion starts "
            + "a new timeline). Never, on a cluster that has not failed over or switched over since it was "
            + "created.")
        .unit("dateTimeFromNow")
        .mapping("0", "never", "text")
        .query(Query.instant("(" + PatroniMetrics.LAST_PROMOTION_TIMESTAMP_SECONDS.name() + "{" + S + "} * 1000)"
                + " or on () vector(0)",
            "promoted")),
        4, 4);
    d.add(Panel.stat("Members claiming leader")
        .description("How many members claim the leader role right now. 1 is healthy, 0 means no leader, "
            + "more than 1 is split brain.")
        .unit("short").decimals(0).colorBackground()
        .thresholds(base(RED), from(1, GREEN), from(2, RED))
        .query(Query.instant(PatroniMetrics.CLUSTER_LEADERS.name() + "{" + S + "}", "leaders")), 3, 4);
    d.add(Panel.stat("Paused")
        .description("Whether Patroni's maintenance mode is on: while paused, Patroni does not fail over.")
        .unit("none").colorBackground()
        .mapping("0", "no", GREEN).mapping("1", "PAUSED", ORANGE)
        .query(Query.instant(PatroniMetrics.CLUSTER_PAUSED.name() + "{" + S + "}", "paused")), 3, 4);
    d.add(Common.mergeTable(Panel.table("Leader changes in range (exporter-etcd)")
            .description("Each leader change exporter-etcd's watch saw during the selected range: from which "
                + "member to which, the kind (switchover, failover, released, expired), and the WAL the old "
                + "leader had reported beyond the new timeline's start (what asynchronous replication lost up to "
                + "that report). A change repeating the same from, to and kind shows once, with its "
                + "latest time. How long each left the scope without a leader, and every event, also from "
                + "before the exporter started: ./pgha events.")
            .unit("none")
            .override("When", "unit", "dateTimeAsIso")
            .override("WAL at risk", "unit", "bytes")
            .query(Query.table(perChange(EtcdMetrics.DCS_LAST_LEADER_CHANGE_TIMESTAMP_SECONDS.name() + "{" + S
                + "} * 1000")))
            .query(Query.table(perChange(EtcdMetrics.DCS_LAST_FAILOVER_WAL_AT_RISK_BYTES.name() + "{" + S + "}"))),
        Map.of("from", "From", "to", "To", "kind", "Kind", "Value #A", "When", "Value #B", "WAL at risk"),
        List.of()), 24, 6);

    d.row("Members");
    d.add(Common.mergeTable(Panel.table("Members")
            .description("Each member's role and state as Patroni reports them, its timeline, its lag "
                + "behind the leader in bytes (from /cluster, so known even when that member's own API is "
                + "down), and whether its REST API answered.")
            .unit("none")
            .override("Lag", "unit", "bytes")
            .override("REST API", "mappings", Common.valueMappings("1", "up", GREEN, "0", "DOWN", RED))
            .query(Query.table("max by (member, role) (" + PatroniMetrics.MEMBER_ROLE.name() + "{" + S + "} == 1)"))
            .query(Query.table("max by (member, state) (" + PatroniMetrics.MEMBER_STATE.name() + "{" + S + "} == 1)"))
            .query(Query.table("max by (member) (" + PatroniMetrics.MEMBER_TIMELINE.name() + "{" + S + "})"))
            .query(Query.table("max by (member) (" + PatroniMetrics.MEMBER_LAG_BYTES.name() + "{" + S + "})"))
            .query(Query.table("max by (member) (" + PatroniMetrics.MEMBER_UP.name() + "{" + S + "})")),
        Map.of("member", "Member", "role", "Role", "state", "State", "Value #C", "Timeline",
            "Value #D", "Lag", "Value #E", "REST API"),
        List.of("Value #A", "Value #B")), 14, 8);
    d.add(Panel.stateTimeline("Role per member")
        .description("Each member's Patroni role over time: a failover shows as the leader colour moving "
            + "from one member to another.")
        .unit("none")
        .mapping("4", "leader", BLUE).mapping("3", "standby leader", "purple")
        .mapping("2", "sync standby", GREEN).mapping("1", "replica", "light-green").mapping("0", "other", RED)
        .query(Query.range(roleCode(), "{{member}}")), 10, 8);

    d.row("Replication lag");
    d.add(Panel.timeseries("Replay lag per standby (bytes)")
        .description("WAL the leader has sent that each standby has not replayed yet, from the leader's "
            + "pg_stat_replication (exporter-postgres), and Patroni's own lag figure per member.")
        .unit("bytes").min(0)
        .query(Query.range("max by (standby) (" + PostgresMetrics.REPLICATION_LAG_BYTES.name() + "{" + S + ", stage=\"replay\"})",
            "{{standby}} (pg_stat_replication)"))
        .query(Query.range("max by (member) (" + PatroniMetrics.MEMBER_LAG_BYTES.name() + "{" + S + "})",
            "{{member}} (Patroni /cluster)")), 12, 8);
    d.add(Panel.timeseries("Replay lag per standby (seconds)")
        .description("PostgreSQL's replay_lag per standby: time between a commit on the leader and its "
            + "replay on the standby. On an idle leader it stays at the last value, then goes empty.")
        .unit("s").min(0)
        .query(Query.range("max by (standby) (" + PostgresMetrics.REPLICATION_LAG_SECONDS.name() + "{" + S + ", stage=\"replay\"})",
            "{{standby}}")), 12, 8);

    d.row("Leader key");
    d.add(Panel.stateTimeline("Leader key holder (DCS)")
        .description("Which member holds Patroni's leader key in etcd, from exporter-etcd's watch: it sees "
            + "a change the moment it happens, between scrapes of Patroni.")
        .unit("none")
        .mapping("1", "leader", BLUE).mapping("0", "-", "transparent")
        .query(Query.range("max by (member) (" + EtcdMetrics.DCS_LEADER.name() + "{" + S + "})", "{{member}}")), 18, 5);
    d.add(Panel.stat("Leader key present")
        .description("Whether the leader key exists in etcd. Absent means the leader is gone and no other "
            + "member has taken over yet.")
        .unit("none").colorBackground()
        .mapping("1", "yes", GREEN).mapping("0", "VACANT", RED)
        .query(Query.instant(EtcdMetrics.DCS_LEADER_KEY_PRESENT.name() + "{" + S + "}", "key")), 6, 5);

    d.row("Quorum and routing");
    d.add(Panel.stat("etcd quorum")
        .description("Whether enough etcd members are healthy to form a quorum. No data means exporter-etcd "
            + "reaches no etcd member at all: quorum unknown, not lost.")
        .unit("none").colorBackground()
        .mapping("1", "available", GREEN).mapping("0", "LOST", RED)
        .query(Query.instant(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name(), "quorum")), 4, 4);
    d.add(Panel.stat("etcd healthy members")
        .description("etcd members whose quorum read succeeded, out of all members.")
        .unit("short").decimals(0)
        .query(Query.instant(EtcdMetrics.ETCD_CLUSTER_MEMBERS_HEALTHY.name(), "healthy"))
        .query(Query.instant(EtcdMetrics.ETCD_CLUSTER_MEMBERS.name(), "members")), 5, 4);
    d.add(Panel.stat("etcd failures tolerable")
        .description("How many more etcd members may fail before quorum is lost.")
        .unit("short").decimals(0).colorBackground()
        .thresholds(base(RED), from(1, GREEN))
        .query(Query.instant(EtcdMetrics.ETCD_FAILURES_TOLERABLE.name(), "tolerable")), 5, 4);
    d.add(Panel.stat("HAProxy write: UP servers")
        .description("Servers UP in HAProxy's write backend (Patroni /primary check). Exactly 1 is right: "
            + "0 means writes are refused, more than 1 means writes may reach a replica.")
        .unit("short").decimals(0).colorBackground()
        .thresholds(base(RED), from(1, GREEN), from(2, RED))
        .query(Query.instant("sum(haproxy_backend_active_servers{job=\"haproxy\", proxy=~\"$write_backend\"})",
            "UP")), 5, 4);
    d.add(Panel.stat("HAProxy read: UP servers")
        .description("Servers UP in HAProxy's read backend (Patroni /replica check): the replicas that "
            + "take reads.")
        .unit("short").decimals(0).colorBackground()
        .thresholds(base(RED), from(1, ORANGE), from(2, GREEN))
        .query(Query.instant("sum(haproxy_backend_active_servers{job=\"haproxy\", proxy=~\"$read_backend\"})",
            "UP")), 5, 4);
    d.add(Panel.stateTimeline("HAProxy servers")
        .description("Each server of the write and read backends, UP or not, over time: through a failover "
            + "the write backend's UP server moves to the new leader.")
        .unit("none")
        .mapping("1", "UP", GREEN).mapping("0", "not UP", RED)
        .query(Query.range("max by (proxy, server) (haproxy_server_status{job=\"haproxy\", "
            + "proxy=~\"$write_backend|$read_backend\", state=\"UP\"})", "{{proxy}} / {{server}}")), 24, 6);

    d.row("Who is primary");
    d.add(Panel.stat("DCS, Patroni and PostgreSQL agree")
        .description("Yes when the leader key in etcd, Patroni's /cluster and PostgreSQL (the one member "
            + "not in recovery) all name the same single member as primary.")
        .unit("none").colorBackground()
        .mapping("1", "yes", GREEN).mapping("0", "NO", RED)
        .query(Query.instant("((count(group by (member) (" + PRIMARY_CLAIMS + ")) == bool 1)"
            + " * on () ((" + SOURCES_NAMING_A_PRIMARY + ") == bool 3)) or on () vector(0)", "agree")), 5, 6);
    d.add(Panel.stat("Distinct primaries named")
        .description("How many different members the three sources name as primary: 1 when they agree, "
            + "0 when none names a primary, more than 1 when they disagree.")
        .unit("short").decimals(0).colorBackground()
        .thresholds(base(RED), from(1, GREEN), from(2, RED))
        .query(Query.instant("count(group by (member) (" + PRIMARY_CLAIMS + ")) or vector(0)", "members")), 5, 6);
    d.add(Panel.stat("Sources naming a primary")
        .description("How many of the DCS leader key, Patroni's /cluster and PostgreSQL name some primary "
            + "(3 when all do).")
        .unit("short").decimals(0).colorBackground()
        .thresholds(base(RED), from(3, GREEN))
        .query(Query.instant(SOURCES_NAMING_A_PRIMARY, "sources")), 5, 6);
    d.add(Common.mergeTable(Panel.table("Primary per source")
            .description("Per member, whether it is primary according to etcd's leader key (exporter-etcd), "
                + "Patroni's /cluster (exporter-patroni) and PostgreSQL's pg_is_in_recovery() "
                + "(exporter-postgres).")
            .unit("none")
            .mapping("1", "primary", BLUE).mapping("0", "-", "text")
            .query(Query.table("max by (member) (" + EtcdMetrics.DCS_LEADER.name() + "{" + S + "})"))
            .query(Query.table("max by (member) (" + PatroniMetrics.LEADER.name() + "{" + S + "})"))
            .query(Query.table("max by (member) (1 - " + PostgresMetrics.IN_RECOVERY.name() + "{" + S + "})")),
        Map.of("member", "Member", "Value #A", "DCS leader key", "Value #B", "Patroni",
            "Value #C", "PostgreSQL"),
        List.of()), 9, 6);
    d.add(Panel.stat("Primary per Patroni's own /metrics")
        .description("Patroni's own /metrics (job patroni) flags its node as primary; it carries only the "
            + "scope label, so the member shows as the scraped instance.")
        .unit("none").showName()
        .query(Query.instant("patroni_primary{job=\"patroni\", " + S + "} == 1", "{{instance}}")), 8, 4);
    d.add(Panel.timeseries("Patroni: time since each member last reached the DCS")
        .description("From Patroni's own patroni_dcs_last_seen. Note it keeps advancing during an etcd "
            + "quorum loss (Patroni's reads are serializable): check etcd quorum above too.")
        .unit("s").min(0)
        .query(Query.range("time() - patroni_dcs_last_seen{job=\"patroni\", " + S + "}", "{{instance}}")), 16, 4);
    return d;
  }

  /** Patroni's one-hot role series folded into one number per member, for a state timeline. */
  private static String roleCode() {
    String[] roles = {"leader", "standby_leader", "sync_standby", "replica"};
    StringBuilder expr = new StringBuilder();
    for (int i = 0; i < roles.length; i++) {
      if (i > 0) {
        expr.append(" + ");
      }
      expr.append("max by (member) (" + PatroniMetrics.MEMBER_ROLE.name() + "{").append(S).append(", role=\"")
          .append(roles[i]).append("\"}) * ").append(roles.length - i);
    }
    return expr.toString();
  }
}
