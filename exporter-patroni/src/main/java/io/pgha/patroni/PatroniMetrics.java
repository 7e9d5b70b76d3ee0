package io.pgha.patroni;

import static io.pgha.common.MetricFamily.counter;
import static io.pgha.common.MetricFamily.gauge;

import io.pgha.common.CoreMetrics;
import io.pgha.common.CounterFamily;
import io.pgha.common.GaugeFamily;
import io.pgha.common.MetricFamily;
import java.util.List;

/**
 * Every metric family exporter-patroni writes, declared once (docs/metrics.md is checked against
 * these). Per scope from {@code GET /cluster} of any member, per member from its own
 * {@code GET /patroni}, the failover history from {@code GET /history}, the dynamic configuration
 * from {@code GET /config}, and from all of them whether the cluster could fail over now.
 */
public final class PatroniMetrics {
  /** The engine's families for this exporter ({@code collector_success} and the others). */
  public static final CoreMetrics CORE = CoreMetrics.of(PatroniExporter.NAME);

  // PatroniClusterCollector: GET /cluster, and every member's GET /patroni for the leader count and failsafe.
  public static final GaugeFamily UP = gauge("pgha_patroni_up",
      "1 if a member of the scope answered GET /cluster, 0 if none did.", "scope");
  public static final GaugeFamily CLUSTER_LEADERS = gauge("pgha_patroni_cluster_leaders",
      "How many members claim the leader role: the DCS leader key holder and every member whose PostgreSQL runs as"
          + " primary (or standby leader) by its own GET /patroni. More than 1 is a split brain.", "scope");
  public static final GaugeFamily CLUSTER_FAILSAFE_ACTIVE = gauge("pgha_patroni_cluster_failsafe_active",
      "1 if a member reports DCS failsafe mode active (GET /patroni failsafe_mode_is_active).", "scope");
  public static final GaugeFamily CLUSTER_HAS_LEADER = gauge("pgha_patroni_cluster_has_leader",
      "1 if a member holds the leader key (GET /cluster lists a leader or standby_leader).", "scope");
  public static final GaugeFamily CLUSTER_MEMBERS = gauge("pgha_patroni_cluster_members",
      "Members registered in the DCS (GET /cluster).", "scope");
  public static final GaugeFamily CLUSTER_PAUSED = gauge("pgha_patroni_cluster_paused",
      "1 if the cluster is in maintenance mode (patronictl pause): no automatic failover.", "scope");
  public static final GaugeFamily CLUSTER_SWITCHOVER_SCHEDULED = gauge("pgha_patroni_cluster_switchover_scheduled",
      "1 if a switchover is scheduled (GET /cluster scheduled_switchover).", "scope");
  public static final GaugeFamily LEADER = gauge("pgha_patroni_leader",
      "1 for the member that holds the leader key, 0 for the others (GET /cluster).", "scope", "member");
  public static final GaugeFamily MEMBER_ROLE = gauge("pgha_patroni_member_role",
      "The member's role in the cluster, one series per role, 1 for the current one "
          + "(GET /cluster; quorum_standby counts as sync_standby, unknown roles as other).", "scope", "member", "role");
  public static final GaugeFamily MEMBER_STATE = gauge("pgha_patroni_member_state",
      "The member's state, one series per state, 1 for the current one "
          + "(GET /cluster; spaces as underscores, unknown states as other).", "scope", "member", "state");
  public static final GaugeFamily MEMBER_TIMELINE = gauge("pgha_patroni_member_timeline",
      "PostgreSQL timeline the member last reported to the DCS (GET /cluster).", "scope", "member");
  public static final GaugeFamily MEMBER_LAG_BYTES = gauge("pgha_patroni_member_lag_bytes",
      "Bytes of WAL the member is behind the leader, as Patroni computes it from the DCS "
          + "(GET /cluster lag); 0 for the leader, absent when Patroni says unknown.", "scope", "member");
  public static final GaugeFamily MEMBER_PENDING_RESTART = gauge("pgha_patroni_member_pending_restart",
      "1 if the member needs a restart to apply its configuration (GET /cluster).", "scope", "member");

  // PatroniMemberCollector: GET /patroni of one member.
  public static final GaugeFamily MEMBER_UP = gauge("pgha_patroni_member_up",
      "1 if the member's REST API answered GET /patroni as Patroni of this scope, 0 if it could not be reached "
          + "in time or answered garbage.", "scope", "member");
  public static final GaugeFamily MEMBER_POSTGRES_RUNNING = gauge("pgha_patroni_member_postgres_running",
      "1 if Patroni reports PostgreSQL running on the member (GET /patroni state).", "scope", "member");
  public static final GaugeFamily MEMBER_DCS_LAST_SEEN_AGE_SECONDS = gauge("pgha_patroni_member_dcs_last_seen_age_seconds",
      "Seconds since the member last read the DCS, by its own GET /patroni dcs_last_seen.", "scope", "member");

  // PatroniConfigCollector: GET /config, the dynamic configuration (Patroni's defaults where it sets nothing).
  public static final GaugeFamily CONFIG_TTL_SECONDS = gauge("pgha_patroni_config_ttl_seconds",
      "Patroni's ttl: how long the leader key lives without a renewal (GET /config).", "scope");
  public static final GaugeFamily CONFIG_LOOP_WAIT_SECONDS = gauge("pgha_patroni_config_loop_wait_seconds",
      "Patroni's loop_wait: the pause between two runs of the HA loop (GET /config).", "scope");
  public static final GaugeFamily CONFIG_MAXIMUM_LAG_ON_FAILOVER_BYTES = gauge(
      "pgha_patroni_config_maximum_lag_on_failover_bytes",
      "Patroni's maximum_lag_on_failover: a replica further behind is not promoted (GET /config).", "scope");
  public static final GaugeFamily CONFIG_SYNCHRONOUS_MODE = gauge("pgha_patroni_config_synchronous_mode",
      "Patroni's synchronous_mode, one series per mode (off, on, strict, quorum), 1 for the current one "
          + "(GET /config; strict is synchronous_mode_strict).", "scope", "mode");

  // PatroniFailoverCollector: /cluster, /config and every /patroni judged by Patroni's failover rules.
  public static final GaugeFamily FAILOVER_CANDIDATES = gauge("pgha_patroni_failover_candidates",
      "Members Patroni would promote if the leader failed now, by its own rules (not nofailover, "
          + "synchronous standby in synchronous mode, reachable, running, within maximum_lag_on_failover, "
          + "timeline with check_timeline).", "scope");
  public static final GaugeFamily MEMBER_FAILOVER_ELIGIBLE = gauge("pgha_patroni_member_failover_eligible",
      "1 if Patroni would promote the member if the leader failed now, 0 if not (the leader itself is 0).",
      "scope", "member");
  public static final GaugeFamily MEMBER_FAILOVER_BLOCKER = gauge("pgha_patroni_member_failover_blocker",
      "Why the member would not be promoted: one series per reason (leader, nofailover, nosync, not_sync, "
          + "unreachable, not_running, watchdog_failed, lagging, timeline_behind), 1 for the first that "
          + "applies, all 0 for an eligible member.", "scope", "member", "reason");

  // PatroniHistoryCollector: GET /history.
  public static final CounterFamily PROMOTIONS = counter("pgha_patroni_promotions_total",
      "Promotions in the cluster's timeline history (GET /history): each one started a new "
          + "timeline. Entries Patroni dropped (max_timelines_history) are counted from the first kept timeline.", "scope");
  public static final CounterFamily LEADER_CHANGES = counter("pgha_patroni_leader_changes_total",
      "Promotions whose new leader differs from the previous entry's: failovers and "
          + "switchovers. A leader re-promoted after demoting itself is not counted; an entry without a leader is.", "scope");
  public static final GaugeFamily LAST_PROMOTION_TIMESTAMP_SECONDS = gauge("pgha_patroni_last_promotion_timestamp_seconds",
      "When the latest promotion happened, in seconds since the epoch (GET /history).", "scope");

  // PatroniStateAgeCollector: with refresh_interval, the round of requests the scope's answers come from.
  public static final GaugeFamily STATE_AGE_SECONDS = gauge("pgha_patroni_state_age_seconds",
      "How old what the scrape serves of the scope is, in seconds, when the members are read in the background "
          + "(refresh_interval): since the last round of requests started. Absent without refresh_interval "
          + "and until the first round ended.", "scope");

  /** Every family, the engine's included. */
  public static final List<MetricFamily> ALL = CORE.with(
      UP, CLUSTER_LEADERS, CLUSTER_FAILSAFE_ACTIVE, CLUSTER_HAS_LEADER, CLUSTER_MEMBERS, CLUSTER_PAUSED,
      CLUSTER_SWITCHOVER_SCHEDULED, LEADER, MEMBER_ROLE, MEMBER_STATE, MEMBER_TIMELINE, MEMBER_LAG_BYTES,
      MEMBER_PENDING_RESTART, MEMBER_UP, MEMBER_POSTGRES_RUNNING, MEMBER_DCS_LAST_SEEN_AGE_SECONDS,
      CONFIG_TTL_SECONDS, CONFIG_LOOP_WAIT_SECONDS, CONFIG_MAXIMUM_LAG_ON_FAILOVER_BYTES, CONFIG_SYNCHRONOUS_MODE,
      FAILOVER_CANDIDATES, MEMBER_FAILOVER_ELIGIBLE, MEMBER_FAILOVER_BLOCKER, PROMOTIONS, LEADER_CHANGES,
      LAST_PROMOTION_TIMESTAMP_SECONDS, STATE_AGE_SECONDS);

  private PatroniMetrics() {}
}
