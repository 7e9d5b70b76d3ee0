package io.pgha.postgres;

import io.pgha.common.TextExposition;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Targets and helpers shared by the golden-text tests. */
final class Fixtures {
  static final PostgresTarget PG1 = target("pg-1", "127.0.3.1");
  static final PostgresTarget PG2 = target("pg-2", "127.0.3.2");
  static final PostgresTarget PG3 = target("pg-3", "127.0.3.3");

  private Fixtures() {}

  static PostgresTarget target(String member, String host) {
    return new PostgresTarget("pgha", member, "jdbc:postgresql://" + host + ":5432/postgres",
        host + ":5432/postgres", Optional.empty());
  }

  /** Each target's recorded rows of the collector's query, rendered as Prometheus text. */
  static <R> String render(SqlCollector<R> collector, Object... targetsAndScenarios) {
    return render(snapshots(collector, targetsAndScenarios));
  }

  /** What the collector makes of each target's recorded rows. */
  static <R> List<MetricSnapshot> snapshots(SqlCollector<R> collector, Object... targetsAndScenarios) {
    Map<PostgresTarget, List<R>> rows = new LinkedHashMap<>();
    for (int i = 0; i < targetsAndScenarios.length; i += 2) {
      rows.put((PostgresTarget) targetsAndScenarios[i],
          CsvRows.read((String) targetsAndScenarios[i + 1], collector.query()));
    }
    return SqlCollector.nonEmpty(collector.snapshots(rows));
  }

  static String render(List<MetricSnapshot> snapshots) {
    return TextExposition.render(snapshots);
  }
}
