package io.pgha.dashboards;

import static io.pgha.dashboards.Common.GREEN;
import static io.pgha.dashboards.Common.RED;

import io.pgha.common.CoreMetrics;
import java.util.List;
import java.util.Map;

/** pgha watching itself: its exporters' targets, collectors and scrape times. */
final class PghaSelfDashboard {

  static final String UID = "pgha-self";

  private static final String EXPORTER_JOBS = "job=~\"pgha-patroni|pgha-postgres|pgha-dcs\"";

  private PghaSelfDashboard() {}

  static Dashboard build() {
    Dashboard d = Dashboard.create(UID, "pgha / Exporters", "pgha-self.json")
        .description("pgha's own health: whether Prometheus reaches the exporters and every other target, "
            + "which collectors fail, and how long collection and scrapes take.")
        .tag("exporters")
        .variable(Variable.datasource());

    d.row("Targets");
    d.add(Panel.stat("pgha exporters up")
        .description("Prometheus's up for the three pgha exporters (jobs pgha-patroni, pgha-postgres, "
            + "pgha-dcs).")
        .unit("none").colorBackground()
        .mapping("1", "up", GREEN).mapping("0", "DOWN", RED)
        .query(Query.instant("up{" + EXPORTER_JOBS + "}", "{{job}}")), 12, 4);
    d.add(Common.mergeTable(Panel.table("Exporter builds")
            .description("Version of each running exporter (" + CoreMetrics.BUILD_INFO.name() + ").")
            .unit("none")
            .query(Query.table("max by (exporter, version, job) (" + CoreMetrics.BUILD_INFO.name() + ")")),
        Map.of("exporter", "Exporter", "version", "Version", "job", "Job"),
        List.of("Value")), 12, 4);
    d.add(Panel.stateTimeline("Every scrape target")
        .description("Prometheus's up for every target it scrapes: Patroni, etcd, HAProxy, the pgha "
            + "exporters, Prometheus and Alertmanager.")
        .unit("none")
        .mapping("1", "up", GREEN).mapping("0", "DOWN", RED)
        .query(Query.range("up", "{{job}} {{instance}}")), 24, 8);

    d.row("Collectors");
    d.add(Panel.stateTimeline("Collector success")
        .description("Whether each collector of each exporter succeeded in its latest scrape. A failed or "
            + "overrun collector reports 0; the rest of the scrape is still served.")
        .unit("none")
        .mapping("1", "ok", GREEN).mapping("0", "FAILED", RED)
        .query(Query.range("min by (job, collector) (" + perExporter("collector_success") + ")",
            "{{job}} {{collector}}")), 12, 8);
    d.add(Panel.timeseries("Collector duration")
        .description("How long each collector took in the latest scrape; collectors run concurrently under "
            + "one deadline.")
        .unit("s").min(0)
        .query(Query.range("max by (job, collector) (" + perExporter("collector_duration_seconds") + ")",
            "{{job}} {{collector}}")), 12, 8);

    d.row("Scrapes");
    d.add(Panel.timeseries("Exporter scrape time (measured by the exporter)")
        .description("How long each exporter took to collect and render one scrape.")
        .unit("s").min(0)
        .query(Query.range("max by (job) (" + perExporter("scrape_duration_seconds") + ")", "{{job}}")), 8, 8);
    d.add(Panel.timeseries("Scrape time (measured by Prometheus)")
        .description("Prometheus's scrape_duration_seconds for each pgha exporter: the exporter's time plus "
            + "the network and parsing.")
        .unit("s").min(0)
        .query(Query.range("scrape_duration_seconds{" + EXPORTER_JOBS + "}", "{{job}}")), 8, 8);
    d.add(Panel.timeseries("Samples per scrape")
        .description("Series each pgha exporter returned per scrape: a jump means new label values, a drop "
            + "missing data.")
        .unit("short").min(0)
        .query(Query.range("scrape_samples_scraped{" + EXPORTER_JOBS + "}", "{{job}}")), 8, 8);
    return d;
  }

  private static String perExporter(String suffix) {
    return "pgha_patroni_" + suffix + " or pgha_postgres_" + suffix + " or pgha_etcd_" + suffix;
  }
}
