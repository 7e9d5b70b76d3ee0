package io.pgha.patroni;

import io.pgha.patroni.api.PatroniJson;
import io.pgha.common.DeclaredFamilies;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The declared families: documented as declared, and the only way the collectors write. */
class PatroniMetricsTest {

  @Test
  void everyFamilyIsInDocsMetricsMdWithItsTypeAndLabels() {
    DeclaredFamilies.assertDeclaredAndDocumented(PatroniExporter.NAME, PatroniMetrics.class, PatroniMetrics.ALL);
  }

  @Test
  void theCollectorsWriteOnlyDeclaredFamiliesAndEveryOneOfThem() {
    MemberProbe failsafe = new MemberProbe.Answered("patroni2", Recordings.apiUrl("patroni2"),
        PatroniJson.status(Recordings.json(Recordings.V4 + "patroni-failsafe.json")));
    List<MetricSnapshot> written = new ArrayList<>(Recordings.snapshots("demo", Optional.of(Recordings.cluster(Recordings.V4)),
        List.of(Recordings.answered(Recordings.V4, "patroni1"), failsafe, Recordings.unreachable("patroni3")),
        Recordings.history(Recordings.V4)));
    written.addAll(Recordings.snapshots("other", Optional.empty(), List.of(Recordings.unreachable("pg-1")), List.of()));
    written.addAll(PatroniConfigCollector.snapshots("demo", Recordings.config(Recordings.V4)));
    written.addAll(PatroniFailoverCollector.snapshots("demo", Recordings.cluster(Recordings.V4), Recordings.config(Recordings.V4),
        java.util.Map.of("patroni1", Recordings.answered(Recordings.V4, "patroni1")), HistorySummary.of(Recordings.history(Recordings.V4))));
    written.add(PatroniStateAgeCollector.snapshot("demo", Optional.of(1_250L)));

    DeclaredFamilies.assertWritesEveryFamily(PatroniExporter.NAME, written, PatroniMetrics.ALL);
  }
}
