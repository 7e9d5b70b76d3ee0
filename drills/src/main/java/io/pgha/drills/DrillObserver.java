package io.pgha.drills;

import io.pgha.common.MetricFamily;
import io.pgha.etcd.EtcdMetrics;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.status.ClusterStateReader;
import io.pgha.lab.topology.Topology;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.postgres.PostgresMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Watches the cluster while a drill runs, each source on its own schedule: exporter-patroni,
 * exporter-etcd and Patroni's own {@code /metrics} every 250 ms, exporter-postgres every second, every
 * member's PostgreSQL, the leader key and HAProxy's routing every 100 ms, the receiver's notifications
 * every 250 ms. Stamps everything with the traffic run's clock.
 */
public final class DrillObserver implements AutoCloseable {

  static final long METRICS_PERIOD_MILLIS = 250;
  /** exporter-postgres queries every member at each collection: polled less often. */
  static final long POSTGRES_EXPORTER_PERIOD_MILLIS = 1000;
  static final long POSITION_PERIOD_MILLIS = 100;
  static final long KEY_PERIOD_MILLIS = 100;
  static final long ROUTE_PERIOD_MILLIS = 100;
  static final long NOTIFICATION_PERIOD_MILLIS = 250;

  static final Set<String> EXPORTER_PATRONI_SERIES = names(PatroniMetrics.MEMBER_UP, PatroniMetrics.MEMBER_ROLE,
      PatroniMetrics.LEADER, PatroniMetrics.LEADER_CHANGES, PatroniMetrics.CLUSTER_FAILSAFE_ACTIVE, PatroniMetrics.UP,
      PatroniMetrics.MEMBER_LAG_BYTES, PatroniMetrics.CLUSTER_HAS_LEADER, PatroniMetrics.CLUSTER_LEADERS);
  static final Set<String> EXPORTER_ETCD_SERIES = names(EtcdMetrics.ETCD_UP, EtcdMetrics.DCS_LEADER,
      EtcdMetrics.DCS_LEADER_CHANGES, EtcdMetrics.DCS_LEADER_KEY_PRESENT, EtcdMetrics.ETCD_QUORUM_AVAILABLE,
      EtcdMetrics.ETCD_FAILURES_TOLERABLE, EtcdMetrics.ETCD_MEMBER_UP, EtcdMetrics.DCS_FAILSAFE_MODE_ENABLED,
      EtcdMetrics.DCS_FAILSAFE_MEMBERS, EtcdMetrics.DCS_SYNCHRONOUS_MODE_ENABLED, EtcdMetrics.DCS_SYNC_STANDBY,
      EtcdMetrics.ETCD_MEMBER_HEALTHY, EtcdMetrics.ETCD_CLUSTER_LEADERS_SEEN, EtcdMetrics.DCS_LEADER_LEASE_TTL_SECONDS);
  static final Set<String> EXPORTER_POSTGRES_SERIES = names(PostgresMetrics.UP, PostgresMetrics.IN_RECOVERY,
      PostgresMetrics.REPLICATION_LAG_BYTES, PostgresMetrics.REPLICATION_STATE, PostgresMetrics.WAL_RECEIVER_STREAMING,
      PostgresMetrics.STANDBYS_STREAMING);
  static final Set<String> PATRONI_SERIES = Set.of("patroni_primary", "patroni_replica",
      "patroni_failsafe_mode_is_active", "patroni_xlog_location", "patroni_postgres_running",
      "patroni_cluster_unlocked", "patroni_sync_standby", "patroni_dcs_last_seen", "patroni_xlog_received_location",
      "patroni_xlog_replayed_location");

  private final ScheduledExecutorService pool;
  private final List<PositionPoller> positionPollers = new ArrayList<>();
  private final Recorder<MetricsSample> metrics = new Recorder<>();
  private final Recorder<PositionSample> positions = new Recorder<>();
  private final Recorder<LeaderKeySample> leaderKeys = new Recorder<>();
  private final Recorder<AlertSeen> alerts = new Recorder<>();
  private final Recorder<RouteSample> routes = new Recorder<>();

  private static Set<String> names(MetricFamily... families) {
    return Arrays.stream(families).map(MetricFamily::name).collect(Collectors.toUnmodifiableSet());
  }

  private DrillObserver(int threads) {
    this.pool = Executors.newScheduledThreadPool(threads, r -> {
      Thread t = new Thread(r, "pgha-drill-observer");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts every poller; notifications already in the receiver's file are not counted. */
  public static DrillObserver start(Topology t, Path notifications, LongSupplier clock) throws IOException {
    DrillObserver o = new DrillObserver(5 + 2 * t.members().size());
    o.every(METRICS_PERIOD_MILLIS, new MetricsPoller(MetricsSample.EXPORTER_PATRONI,
        t.exporters().metricsUrl("patroni"), EXPORTER_PATRONI_SERIES, clock, o.metrics));
    o.every(METRICS_PERIOD_MILLIS, new MetricsPoller(MetricsSample.EXPORTER_ETCD,
        t.exporters().metricsUrl("etcd"), EXPORTER_ETCD_SERIES, clock, o.metrics));
    o.every(POSTGRES_EXPORTER_PERIOD_MILLIS, new MetricsPoller(MetricsSample.EXPORTER_POSTGRES,
        t.exporters().metricsUrl("postgres"), EXPORTER_POSTGRES_SERIES, clock, o.metrics));
    String monitorPassword = new Secrets(t.workdirPath()).password(Secrets.MONITOR);
    for (Topology.Member m : t.members()) {
      o.every(METRICS_PERIOD_MILLIS, new MetricsPoller(MetricsSample.patroni(m.name()), m.restUrl() + "/metrics",
          PATRONI_SERIES, clock, o.metrics));
      PositionPoller p = new PositionPoller(m, t.jdbcUrl(m.host(), m.pgPort(), "postgres"), Secrets.MONITOR,
          monitorPassword, clock, o.positions);
      o.positionPollers.add(p);
      o.every(POSITION_PERIOD_MILLIS, p);
    }
    o.every(KEY_PERIOD_MILLIS, new LeaderKeyPoller(t.etcd(), LeaderKeyPoller.leaderKey(t), clock, o.leaderKeys));
    o.every(ROUTE_PERIOD_MILLIS, new RoutePoller(ClusterStateReader.statsCsvUrl(t), clock, o.routes));
    o.every(NOTIFICATION_PERIOD_MILLIS, new NotificationTail(notifications, clock, o.alerts));
    return o;
  }

  private void every(long millis, Runnable task) {
    pool.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        // A poller that trips once must keep its schedule: the next poll tries again.
      }
    }, 0, millis, TimeUnit.MILLISECONDS);
  }

  void record(PositionSample sample) {
    positions.add(sample);
  }

  public List<MetricsSample> metrics() {
    return metrics.snapshot();
  }

  public List<PositionSample> positions() {
    return positions.snapshot();
  }

  public List<LeaderKeySample> leaderKeys() {
    return leaderKeys.snapshot();
  }

  public List<RouteSample> routes() {
    return routes.snapshot();
  }

  public List<AlertSeen> alerts() {
    return alerts.snapshot();
  }

  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
    // The pollers' connections belong to the pool's threads, which are done now.
    positionPollers.forEach(PositionPoller::close);
  }
}
