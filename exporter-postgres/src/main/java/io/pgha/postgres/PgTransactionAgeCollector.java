package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.OLDEST_BACKEND_XMIN_AGE;
import static io.pgha.postgres.PostgresMetrics.OLDEST_PREPARED_TRANSACTION_SECONDS;
import static io.pgha.postgres.PostgresMetrics.OLDEST_TRANSACTION_SECONDS;

import io.pgha.common.FamilyPoints;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The oldest transactions of each member, which hold back vacuum (and, through
 * hot_standby_feedback and slots, every member): per session state from {@code pg_stat_activity},
 * the oldest backend_xmin, and the oldest prepared transaction from {@code pg_prepared_xacts}.
 */
final class PgTransactionAgeCollector extends SqlCollector<PgTransactionAgeCollector.TransactionAgeRow> {

  /**
   * Ages by state count client sessions only: autovacuum workers and walsenders have their own
   * signals, and an anti-wraparound vacuum may rightly run for hours. PostgreSQL clears
   * xact_start when a transaction fails, so an aborted one left idle counts from when it went
   * idle. The xmin counts every backend. One row per state with a transaction, the
   * instance-wide columns repeated; one row with a NULL state when no session has a transaction.
   */
  static final String SQL = """
      WITH a AS MATERIALIZED (
        SELECT backend_type, state, coalesce(xact_start, state_change) AS since, xact_start, backend_xmin
        FROM pg_stat_activity)
      SELECT s.state, extract(epoch FROM now() - s.oldest)::float8 AS oldest_seconds,
             x.oldest_backend_xmin_age, x.oldest_prepared_seconds
      FROM (SELECT (SELECT max(age(backend_xmin)) FROM a)::float8 AS oldest_backend_xmin_age,
                   (SELECT extract(epoch FROM now() - min(prepared)) FROM pg_prepared_xacts)::float8
                     AS oldest_prepared_seconds) x
      LEFT JOIN (SELECT state, min(since) AS oldest FROM a
                 WHERE backend_type = 'client backend'
                   AND (xact_start IS NOT NULL OR state = 'idle in transaction (aborted)')
                 GROUP BY state) s ON true""";

  static final PgQuery<TransactionAgeRow> QUERY = new PgQuery<>("transaction_age", SQL, row -> new TransactionAgeRow(
      row.text("state"), nonNegative(row.number("oldest_seconds")), row.number("oldest_backend_xmin_age"),
      nonNegative(row.number("oldest_prepared_seconds"))));

  record TransactionAgeRow(String state, Double oldestSeconds, Double oldestBackendXminAge,
      Double oldestPreparedSeconds) {}

  PgTransactionAgeCollector(PostgresSampler sampler) {
    super(sampler, QUERY, OLDEST_TRANSACTION_SECONDS, OLDEST_BACKEND_XMIN_AGE, OLDEST_PREPARED_TRANSACTION_SECONDS);
  }

  @Override
  void addPoints(FamilyPoints points, PostgresTarget target, List<TransactionAgeRow> rows) {
    // Every state a session in a transaction can be in, 0 when none is: series stay put.
    Map<String, Double> byState = new LinkedHashMap<>();
    for (String state : PgStatActivityCollector.STATES.values()) {
      if (!state.equals("idle") && !state.equals("disabled")) {
        byState.put(state, 0.0);
      }
    }
    byState.put("other", 0.0);
    Double xminAge = null;
    Double preparedSeconds = null;
    for (TransactionAgeRow r : rows) {
      if (r.state() != null && r.oldestSeconds() != null) {
        String state = PgStatActivityCollector.STATES.getOrDefault(r.state(), "other");
        byState.merge(byState.containsKey(state) ? state : "other", r.oldestSeconds(), Math::max);
      }
      xminAge = r.oldestBackendXminAge();
      preparedSeconds = r.oldestPreparedSeconds();
    }
    byState.forEach((state, seconds) -> points.add(OLDEST_TRANSACTION_SECONDS, seconds, target.labelValues(state)));
    points.add(OLDEST_BACKEND_XMIN_AGE, xminAge, target.labelValues());
    if (!rows.isEmpty()) {
      points.add(OLDEST_PREPARED_TRANSACTION_SECONDS, preparedSeconds == null ? 0.0 : preparedSeconds,
          target.labelValues());
    }
  }
}
