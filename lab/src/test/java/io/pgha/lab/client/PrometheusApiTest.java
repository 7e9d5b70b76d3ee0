package io.pgha.lab.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.testkit.Recorded;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusApiTest {

  @Test
  void parsesEveryActiveTarget() throws Exception {
    List<PrometheusApi.Target> targets = PrometheusApi.parseTargets(
        Http.JSON.readTree(Recorded.text("prometheus-targets.json")));
    assertThat(targets).hasSize(12).allMatch(PrometheusApi.Target::up);
    assertThat(targets).extracting(PrometheusApi.Target::job).containsOnly("patroni", "etcd",
        "haproxy", "pgha-patroni", "pgha-postgres", "pgha-dcs", "prometheus", "alertmanager");
    assertThat(targets).filteredOn(t -> t.job().equals("etcd")).extracting(PrometheusApi.Target::instance)
        .containsExactlyInAnyOrder("127.0.0.11:2379", "127.0.0.12:2379", "127.0.0.13:2379");
    assertThat(targets).allMatch(t -> t.lastScrape() != null
        && t.lastScrape().toString().startsWith("2026-11-26T03:5"));
  }

  @Test
  void aTargetNeverScrapedHasNoLastScrape() throws Exception {
    List<PrometheusApi.Target> targets = PrometheusApi.parseTargets(Http.JSON.readTree(
        "{\"status\":\"success\",\"data\":{\"activeTargets\":[{\"labels\":{\"job\":\"etcd\","
            + "\"instance\":\"127.0.0.11:2379\"},\"health\":\"unknown\",\"lastError\":\"\","
            + "\"lastScrape\":\"0001-01-01T00:00:00Z\"}]}}"));
    assertThat(targets).containsExactly(
        new PrometheusApi.Target("etcd", "127.0.0.11:2379", "unknown", "", null));
  }
}
