package io.pgha.etcd;

import static io.pgha.etcd.RecordedEtcd.E1;
import static io.pgha.etcd.RecordedEtcd.E2;
import static io.pgha.etcd.RecordedEtcd.E3;
import static io.pgha.etcd.RecordedEtcd.ETCD_1;
import static io.pgha.etcd.RecordedEtcd.ETCD_2;
import static io.pgha.etcd.RecordedEtcd.ETCD_3;

import io.pgha.common.DeclaredFamilies;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The declared families: documented as declared, and the only way the collectors write. */
class EtcdMetricsTest {

  @Test
  void everyFamilyIsInDocsMetricsMdWithItsTypeAndLabels() {
    DeclaredFamilies.assertDeclaredAndDocumented(EtcdExporter.NAME, EtcdMetrics.class, EtcdMetrics.ALL);
  }

  @Test
  void theCollectorsWriteOnlyDeclaredFamiliesAndEveryOneOfThem() {
    ClusterProbe probe = RecordedEtcd.probe(RecordedEtcd.alarms(ETCD_2, 0),
        RecordedEtcd.up(E1, RecordedEtcd.status(ETCD_1, ETCD_3, 13), true),
        RecordedEtcd.up(E2, RecordedEtcd.status(ETCD_2, ETCD_3, 13), false),
        RecordedEtcd.down(E3));
    List<MetricSnapshot> written = new ArrayList<>(EtcdMembersCollector.snapshots(probe, RecordedEtcd.CONFIGURED));
    written.addAll(EtcdQuorumCollector.snapshots(probe));
    written.addAll(DcsStateCollector.snapshots("pgha", DcsState.parse(DcsStateTest.patroniKeys())));
    DcsView view = new DcsView(Map.of("pgha", LeaderKeyMetricsTest.switchedOver()), true, 1, 1_795_000_001_000L,
        1_795_000_001_000L);
    written.addAll(LeaderKeyMetrics.snapshots("pgha", view, Optional.of(new LeaderKeyMetrics.LeaseTtl(28, 30))));
    written.add(StateAgeCollector.snapshot(Optional.of(120L), Optional.of(900L), Optional.of(1_200L)));

    DeclaredFamilies.assertWritesEveryFamily(EtcdExporter.NAME, written, EtcdMetrics.ALL);
  }
}
