package io.pgha.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.common.TextExposition;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The keys Patroni 3.0.2 keeps under {@code /service/pgha/}, written after its etcd3 DCS code
 * (patroni/dcs/etcd3.py, patroni/dcs/__init__.py): values as Patroni stores them.
 */
class DcsStateTest {

  static Map<String, String> patroniKeys() {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("config", "{\"ttl\":30,\"loop_wait\":10,\"retry_timeout\":10,\"maximum_lag_on_failover\":1048576,"
        + "\"failsafe_mode\":true,\"postgresql\":{\"use_pg_rewind\":true,\"use_slots\":true}}");
    keys.put("failsafe", "{\"pg-1\":\"http://127.0.0.21:8008/patroni\",\"pg-2\":\"http://127.0.0.22:8008/patroni\","
        + "\"pg-3\":\"http://127.0.0.23:8008/patroni\"}");
    keys.put("history", "[[1,25165984,\"no recovery target specified\",\"2026-11-26T03:10:11.123456+00:00\",\"pg-2\"],"
        + "[2,33554592,\"no recovery target specified\",\"2026-11-26T03:20:42.654321+00:00\",\"pg-1\"]]");
    keys.put("initialize", "7441234567890123456");
    keys.put("leader", "pg-1");
    keys.put("members/pg-1", "{\"conn_url\":\"postgres://127.0.0.21:5432/postgres\",\"api_url\":\"http://127.0.0.21:8008/patroni\","
        + "\"state\":\"running\",\"role\":\"master\",\"version\":\"3.0.2\",\"xlog_location\":33554760,\"timeline\":3}");
    keys.put("members/pg-2", "{\"conn_url\":\"postgres://127.0.0.22:5432/postgres\",\"api_url\":\"http://127.0.0.22:8008/patroni\","
        + "\"state\":\"running\",\"role\":\"replica\",\"version\":\"3.0.2\",\"xlog_location\":33554760,\"timeline\":3}");
    keys.put("members/pg-3", "{\"conn_url\":\"postgres://127.0.0.23:5432/postgres\",\"api_url\":\"http://127.0.0.23:8008/patroni\","
        + "\"state\":\"running\",\"role\":\"replica\",\"version\":\"3.0.2\",\"xlog_location\":33554760,\"timeline\":3}");
    keys.put("status", "{\"optime\":33554760,\"slots\":{\"pg_2\":33554760,\"pg_3\":33554760}}");
    keys.put("sync", "{\"leader\":\"pg-1\",\"sync_standby\":null}");
    return keys;
  }

  @Test
  void patroniKeysBecomeScopeGauges() {
    assertThat(TextExposition.render(DcsStateCollector.snapshots("pgha", DcsState.parse(patroniKeys())))).isEqualTo("""
        # HELP pgha_dcs_failsafe_members Members in the failsafe key: those the leader must reach to keep running without the DCS.
        # TYPE pgha_dcs_failsafe_members gauge
        pgha_dcs_failsafe_members{scope="pgha"} 3.0
        # HELP pgha_dcs_failsafe_mode_enabled 1 if failsafe_mode is on in the scope's dynamic configuration.
        # TYPE pgha_dcs_failsafe_mode_enabled gauge
        pgha_dcs_failsafe_mode_enabled{scope="pgha"} 1.0
        # HELP pgha_dcs_history_entries Entries in the scope's history key: one per promotion (timeline switch).
        # TYPE pgha_dcs_history_entries gauge
        pgha_dcs_history_entries{scope="pgha"} 2.0
        # HELP pgha_dcs_initialized 1 if the scope's initialize key exists (the cluster was bootstrapped).
        # TYPE pgha_dcs_initialized gauge
        pgha_dcs_initialized{scope="pgha"} 1.0
        # HELP pgha_dcs_members Members registered under the scope's members/ key (each holds a lease of Patroni's ttl).
        # TYPE pgha_dcs_members gauge
        pgha_dcs_members{scope="pgha"} 3.0
        # HELP pgha_dcs_sync_standby 1 for the members the sync key names as synchronous standby, 0 for the other registered members.
        # TYPE pgha_dcs_sync_standby gauge
        pgha_dcs_sync_standby{member="pg-1",scope="pgha"} 0.0
        pgha_dcs_sync_standby{member="pg-2",scope="pgha"} 0.0
        pgha_dcs_sync_standby{member="pg-3",scope="pgha"} 0.0
        # HELP pgha_dcs_synchronous_mode_enabled 1 if synchronous_mode is on in the scope's dynamic configuration.
        # TYPE pgha_dcs_synchronous_mode_enabled gauge
        pgha_dcs_synchronous_mode_enabled{scope="pgha"} 0.0
        """);
  }

  @Test
  void synchronousStandbysAreNamedInBothPatroniFormats() {
    assertThat(DcsState.syncStandbys("{\"leader\":\"pg-1\",\"sync_standby\":\"pg-3\"}")).containsExactly("pg-3");
    // Patroni 3.1+ with synchronous_node_count > 1
    assertThat(DcsState.syncStandbys("{\"leader\":\"pg-1\",\"sync_standby\":\"pg-2,pg-3\"}")).containsExactly("pg-2", "pg-3");
    assertThat(DcsState.syncStandbys("{\"leader\":\"pg-1\",\"sync_standby\":null}")).isEmpty();
    assertThat(DcsState.syncStandbys(null)).isEmpty();
  }

  @Test
  void garbageValuesLeaveTheirFieldsEmptyAndTheRestIsServed() {
    Map<String, String> keys = patroniKeys();
    keys.put("config", "not json {");
    keys.put("history", "{\"not\":\"a list\"}");
    keys.put("members/pg-2/extra", "ignored: not a member key");
    DcsState s = DcsState.parse(keys);

    assertThat(s.failsafeMode()).isEmpty();
    assertThat(s.synchronousMode()).isEmpty();
    assertThat(s.historyEntries()).isEmpty();
    assertThat(s.members()).containsExactly("pg-1", "pg-2", "pg-3");
  }

  @Test
  void anEmptyScopeHasNoMembers() {
    assertThat(TextExposition.render(DcsStateCollector.snapshots("other", DcsState.parse(Map.of())))).isEqualTo("""
        # HELP pgha_dcs_initialized 1 if the scope's initialize key exists (the cluster was bootstrapped).
        # TYPE pgha_dcs_initialized gauge
        pgha_dcs_initialized{scope="other"} 0.0
        # HELP pgha_dcs_members Members registered under the scope's members/ key (each holds a lease of Patroni's ttl).
        # TYPE pgha_dcs_members gauge
        pgha_dcs_members{scope="other"} 0.0
        """);
  }
}
