package io.pgha.postgres;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one round trip to one target brought back: either the target was unreachable (with the
 * reason), or, per query, its rows or its error.
 */
public record TargetSample(PostgresTarget target, Optional<String> downReason, Map<String, QueryResult> results) {

  /** The rows of one query, or the error PostgreSQL gave for it. */
  public record QueryResult(List<?> rows, String error) {
    static QueryResult ok(List<?> rows) {
      return new QueryResult(List.copyOf(rows), null);
    }

    static QueryResult failed(String error) {
      return new QueryResult(List.of(), error);
    }
  }

  public TargetSample {
    results = Map.copyOf(results);
  }

  public static TargetSample down(PostgresTarget target, String reason) {
    return new TargetSample(target, Optional.of(reason), Map.of());
  }

  public static TargetSample up(PostgresTarget target, Map<String, QueryResult> results) {
    return new TargetSample(target, Optional.empty(), results);
  }

  public boolean isUp() {
    return downReason.isEmpty();
  }

  /** The rows of {@code query}; fails, naming the target, when PostgreSQL refused the query. */
  @SuppressWarnings("unchecked")
  public <R> List<R> rows(PgQuery<R> query) {
    QueryResult result = results.get(query.name());
    if (result == null) {
      throw new QueryFailedException(target + ": " + query.name() + " was not run");
    }
    if (result.error() != null) {
      throw new QueryFailedException(target + ": " + result.error());
    }
    return (List<R>) result.rows();
  }
}
