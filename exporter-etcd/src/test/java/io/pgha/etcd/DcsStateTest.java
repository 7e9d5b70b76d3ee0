package io.pgha.etcd;

import static io.pgha.common.Golden.golden;
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
    for (int n = 1; n <= 3; n++) {
      keys.put("members/pg-" + n, memberValue("127.0.0.2" + n, n == 1 ? "master" : "replica"));
    }
    keys.put("status", "{\"optime\":33554760,\"slots\":{\"pg_2\":33554760,\"pg_3\":33554760}}");
    keys.put("sync", "{\"leader\":\"pg-1\",\"sync_standby\":null}");
    return keys;
  }

  /** A member's key as Patroni 3.0.2 writes it (with its own word for the leader, master). */
  private static String memberValue(String host, String role) {
    return "{\"conn_url\":\"postgres://" + host + ":5432/postgres\",\"api_url\":\"http://" + host + ":8008/patroni\","
        + "\"state\":\"running\",\"role\":\"" + role + "\",\"version\":\"3.0.2\",\"xlog_location\":33554760,\"timeline\":3}";
  }

  @Test
  void patroniKeysBecomeScopeGauges() {
    assertThat(TextExposition.render(DcsStateCollector.snapshots("pgha", DcsState.parse(patroniKeys())))).isEqualTo(golden("DcsStateTest/patroniKeysBecomeScopeGauges"));
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
    assertThat(TextExposition.render(DcsStateCollector.snapshots("other", DcsState.parse(Map.of())))).isEqualTo(golden("DcsStateTest/anEmptyScopeHasNoMembers"));
  }
}
