package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.CONNECTIONS;
import static io.pgha.postgres.PostgresMetrics.CONNECTIONS_MAX;
import static io.pgha.postgres.PostgresMetrics.CONNECTIONS_RESERVED;

import io.pgha.common.FamilyPoints;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Client connections of each member by state, from {@code pg_stat_activity}. */
final class PgStatActivityCollector extends SqlCollector<PgStatActivityCollector.StateCount> {

  /**
   * Client backends only: walsenders and background workers are not connections users make (and
   * have slots of their own). reserved_connections exists from PostgreSQL 16: missing_ok reads NULL before.
   */
  static final String SQL = """
      SELECT state, count(*)::float8 AS connections,
             current_setting('max_connections')::float8 AS max_connections,
             (current_setting('superuser_reserved_connections')::int
              + coalesce(current_setting('reserved_connections', true)::int, 0))::float8 AS reserved_connections
      FROM pg_stat_activity
      WHERE backend_type = 'client backend'
      GROUP BY state""";

  static final PgQuery<StateCount> QUERY = new PgQuery<>("stat_activity", SQL, row -> new StateCount(
      row.text("state"), row.number("connections"), row.number("max_connections"),
      row.number("reserved_connections")));

  /** pg_stat_activity's states, snake_cased; every one is exported (0 when unused) so series stay put. */
  static final Map<String, String> STATES = states();

  record StateCount(String state, Double connections, Double maxConnections, Double reservedConnections) {}

  PgStatActivityCollector(PostgresSampler sampler) {
    super(sampler, QUERY, CONNECTIONS, CONNECTIONS_MAX, CONNECTIONS_RESERVED);
  }

  private static Map<String, String> states() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("active", "active");
    m.put("idle", "idle");
    m.put("idle in transaction", "idle_in_transaction");
    m.put("idle in transaction (aborted)", "idle_in_transaction_aborted");
    m.put("fastpath function call", "fastpath_function_call");
    m.put("disabled", "disabled");
    return m;
  }

  @Override
  void addPoints(FamilyPoints points, PostgresTarget target, List<StateCount> rows) {
    Map<String, Double> byState = new LinkedHashMap<>();
    STATES.values().forEach(s -> byState.put(s, 0.0));
    byState.put("other", 0.0);
    Double maxConnections = null;
    Double reservedConnections = null;
    for (StateCount r : rows) {
      String state = r.state() == null ? "other" : STATES.getOrDefault(r.state(), "other");
      byState.merge(state, r.connections() == null ? 0.0 : r.connections(), Double::sum);
      maxConnections = r.maxConnections();
      reservedConnections = r.reservedConnections();
    }
    byState.forEach((state, n) -> points.add(CONNECTIONS, n, target.labelValues(state)));
    points.add(CONNECTIONS_MAX, maxConnections, target.labelValues())
        .add(CONNECTIONS_RESERVED, reservedConnections, target.labelValues());
  }
}
