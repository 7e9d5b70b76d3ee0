package io.pgha.dashboards;

import static io.pgha.dashboards.Common.BLUE;
import static io.pgha.dashboards.Common.GREEN;
import static io.pgha.dashboards.Common.ORANGE;
import static io.pgha.dashboards.Common.RED;
import static io.pgha.dashboards.Common.base;
import static io.pgha.dashboards.Common.from;

import io.pgha.etcd.EtcdMetrics;
import java.util.List;
import java.util.Map;

/** etcd, the DCS: quorum and members from exporter-etcd, disk and network latency from etcd itself. */
final class EtcdDashboard {

  static final String UID = "pgha-etcd";

  private static final String ETCD = "job=\"etcd\"";

  private EtcdDashboard() {}

  static Dashboard build() {
    Dashboard d = Dashboard.create(UID, "pgha / etcd", "pgha-etcd.json")
        .description("The etcd cluster Patroni uses as its DCS: quorum, members, leader, raft term and "
            + "database size (exporter-etcd), and WAL fsync, backend commit and peer round-trip latency "
            + "(etcd's own metrics).")
        .tag("etcd")
        .variable(Variable.datasource());

    d.row("Quorum");
    d.add(Panel.stat("Quorum")
        .description("Whether healthy members reach the quorum size. No data means exporter-etcd reaches "
            + "no member: quorum unknown, not lost.")
        .unit("none").colorBackground()
        .mapping("1", "available", GREEN).mapping("0", "LOST", RED)
        .query(Query.instant(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name(), "quorum")), 4, 4);
    d.add(Panel.stat("Healthy members")
        .description("Members whose quorum read (like etcdctl endpoint health) succeeded.")
        .unit("short").decimals(0)
        .query(Query.instant(EtcdMetrics.ETCD_CLUSTER_MEMBERS_HEALTHY.name(), "healthy")), 4, 4);
    d.add(Panel.stat("Members")
        .description("Members in etcd's member list.")
        .unit("short").decimals(0)
        .query(Query.instant(EtcdMetrics.ETCD_CLUSTER_MEMBERS.name(), "members")), 4, 4);
    d.add(Panel.stat("Quorum size")
        .description("Members needed for a quorum: n/2+1.")
        .unit("short").decimals(0)
        .query(Query.instant(EtcdMetrics.ETCD_QUORUM_SIZE.name(), "quorum size")), 4, 4);
    d.add(Panel.stat("Failures tolerable")
        .description("How many more members may fail before quorum is lost.")
        .unit("short").decimals(0).colorBackground()
        .thresholds(base(RED), from(1, GREEN))
        .query(Query.instant(EtcdMetrics.ETCD_FAILURES_TOLERABLE.name(), "tolerable")), 4, 4);
    d.add(Panel.stat("Leaders seen")
        .description("Distinct leaders the members report: 1 is right, 0 is no leader, more than 1 means "
            + "members disagree (e.g. one is partitioned).")
        .unit("short").decimals(0).colorBackground()
        .thresholds(base(RED), from(1, GREEN), from(2, RED))
        .query(Query.instant(EtcdMetrics.ETCD_CLUSTER_LEADERS_SEEN.name(), "leaders")), 4, 4);

    d.row("Members");
    d.add(Common.mergeTable(Panel.table("Members")
            .description("Per member: answers its status call, passes the quorum read, is the raft leader, "
                + "its raft term and database size.")
            .unit("none")
            .override("DB size", "unit", "bytes")
            .override("Up", "mappings", Common.valueMappings("1", "up", GREEN, "0", "DOWN", RED))
            .override("Healthy", "mappings", Common.valueMappings("1", "healthy", GREEN, "0", "UNHEALTHY", RED))
            .override("Leader", "mappings", Common.valueMappings("1", "leader", BLUE, "0", "-", "text"))
            .query(Query.table("max by (member) (" + EtcdMetrics.ETCD_MEMBER_UP.name() + ")"))
            .query(Query.table("max by (member) (" + EtcdMetrics.ETCD_MEMBER_HEALTHY.name() + ")"))
            .query(Query.table("max by (member) (" + EtcdMetrics.ETCD_MEMBER_IS_LEADER.name() + ")"))
            .query(Query.table("max by (member) (" + EtcdMetrics.ETCD_MEMBER_RAFT_TERM.name() + ")"))
            .query(Query.table("max by (member) (" + EtcdMetrics.ETCD_MEMBER_DB_SIZE_BYTES.name() + ")")),
        Map.of("member", "Member", "Value #A", "Up", "Value #B", "Healthy", "Value #C", "Leader",
            "Value #D", "Raft term", "Value #E", "DB size"),
        List.of()), 16, 7);
    d.add(Panel.stat("Active alarms")
        .description("etcd alarms raised on any member (NOSPACE stops writes, CORRUPT needs a restore).")
        .unit("short").decimals(0).colorBackground()
        .thresholds(base(GREEN), from(1, RED))
        .query(Query.instant("sum(" + EtcdMetrics.ETCD_ALARM.name() + ") or vector(0)", "alarms")), 8, 7);
    d.add(Panel.stateTimeline("Raft leader")
        .description("Which member is the raft leader over time (exporter-etcd's status calls).")
        .unit("none")
        .mapping("1", "leader", BLUE).mapping("0", "follower", "transparent")
        .query(Query.range("max by (member) (" + EtcdMetrics.ETCD_MEMBER_IS_LEADER.name() + ")", "{{member}}")), 12, 6);
    d.add(Panel.stateTimeline("Has a leader (etcd's own metric)")
        .description("etcd_server_has_leader of each member: 0 means that member sees no leader, which is "
            + "how a quorum loss shows in etcd itself.")
        .unit("none")
        .mapping("1", "has leader", GREEN).mapping("0", "NO LEADER", RED)
        .query(Query.range("etcd_server_has_leader{" + ETCD + "}", "{{instance}}")), 12, 6);
    d.add(Panel.timeseries("Raft term")
        .description("The raft term of each member: it rises by one (or more) with every election.")
        .unit("none").decimals(0)
        .query(Query.range(EtcdMetrics.ETCD_MEMBER_RAFT_TERM.name(), "{{member}}")), 12, 7);
    d.add(Panel.timeseries("Database size")
        .description("Size of each member's backend database file; the default quota is 2 GiB, past which "
            + "etcd raises NOSPACE.")
        .unit("bytes").min(0)
        .query(Query.range(EtcdMetrics.ETCD_MEMBER_DB_SIZE_BYTES.name(), "{{member}}")), 12, 7);

    d.row("Disk and network (etcd's own metrics)");
    d.add(p99AndMedianPerMember("WAL fsync latency", "etcd_disk_wal_fsync_duration_seconds_bucket")
        .description("99th and 50th percentile of etcd's WAL fsync duration per member. Above about 10 ms "
            + "the disk is too slow for etcd and leader elections follow.")
        .thresholds(base(GREEN), from(0.01, ORANGE)), 8, 8);
    d.add(p99AndMedianPerMember("Backend commit latency", "etcd_disk_backend_commit_duration_seconds_bucket")
        .description("99th and 50th percentile of etcd's backend (bbolt) commit duration per member. Above "
            + "about 25 ms the disk is too slow."), 8, 8);
    d.add(Panel.timeseries("Peer round-trip time")
        .description("99th percentile of the round-trip time from each member to each peer (etcd's prober). "
            + "High values delay heartbeats and cause elections.")
        .unit("s").min(0)
        .query(Query.range(quantile(0.99, "etcd_network_peer_round_trip_time_seconds_bucket", "instance, To"),
            "{{instance}} to {{To}}")), 8, 8);
    return d;
  }

  /** A duration histogram of etcd's over time: its 99th and 50th percentile on each member. */
  private static Panel p99AndMedianPerMember(String title, String bucket) {
    return Panel.timeseries(title).unit("s").min(0)
        .query(Query.range(quantile(0.99, bucket, "instance"), "p99 {{instance}}"))
        .query(Query.range(quantile(0.5, bucket, "instance"), "p50 {{instance}}"));
  }

  private static String quantile(double q, String bucket, String by) {
    return "histogram_quantile(" + q + ", sum by (" + by + ", le) (rate(" + bucket + "{" + ETCD
        + "}[$__rate_interval])))";
  }
}
