package io.pgha.patroni.api;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Patroni's words for roles and states across versions, mapped onto the fixed label values of the
 * one-hot metrics, so every series stays put through a failover or an upgrade. Anything not listed
 * becomes {@code other}.
 */
public final class PatroniVocabulary {
  public static final String OTHER = "other";

  /** Label values of {@code pgha_patroni_member_role}. */
  public static final List<String> ROLES = List.of("leader", "standby_leader", "sync_standby", "replica", OTHER);

  /**
   * Label values of {@code pgha_patroni_member_state}: PostgreSQL states as Patroni 3.x and 4.x
   * name them (spaces as underscores), and the replication states 4.x reports for replicas.
   */
  public static final List<String> STATES = List.of(
      "running", "streaming", "in_archive_recovery", "starting", "stopping", "stopped", "restarting",
      "crashed", "creating_replica", "initializing_new_cluster", "running_custom_bootstrap_script",
      "starting_after_custom_bootstrap", "start_failed", "restart_failed", "stop_failed", "initdb_failed",
      "custom_bootstrap_failed", "unknown", OTHER);

  private static final Set<String> LEADER_ROLES = Set.of("leader", "standby_leader");

  private PatroniVocabulary() {}

  /** The role label for a {@code /cluster} role. */
  public static String role(String clusterRole) {
    return switch (clusterRole) {
      case "leader", "master", "primary" -> "leader";
      case "standby_leader" -> "standby_leader";
      // Patroni 4 calls the synchronous standbys of quorum commit mode quorum_standby.
      case "sync_standby", "quorum_standby" -> "sync_standby";
      case "replica" -> "replica";
      default -> OTHER;
    };
  }

  public static boolean isLeaderRole(String clusterRole) {
    return LEADER_ROLES.contains(role(clusterRole));
  }

  /** The state label for a Patroni state such as {@code restart failed (running)}. */
  public static String state(String patroniState) {
    String s = patroniState.toLowerCase(Locale.ROOT).trim();
    int paren = s.indexOf(" (");
    if (paren > 0) {
      s = s.substring(0, paren);
    }
    s = s.replace(' ', '_');
    return STATES.contains(s) ? s : OTHER;
  }
}
