package io.pgha.common;

import static io.pgha.common.MetricFamily.gauge;

import java.util.ArrayList;
import java.util.List;

/**
 * The families {@link ScrapeEngine} writes for every exporter: {@code pgha_<exporter>_collector_success},
 * {@code _collector_duration_seconds}, {@code _scrape_duration_seconds}, and
 * {@code pgha_exporter_build_info}. Each exporter's metrics class holds its own instance.
 */
public record CoreMetrics(String exporter, GaugeFamily collectorSuccess, GaugeFamily collectorDuration,
    GaugeFamily scrapeDuration) {
  public static final GaugeFamily BUILD_INFO = gauge("pgha_exporter_build_info",
      "Build information of the pgha exporter; always 1.", "exporter", "version");

  /** The families of the exporter named {@code exporter} ({@code patroni}, {@code postgres}, {@code etcd}). */
  public static CoreMetrics of(String exporter) {
    String prefix = "pgha_" + exporter;
    return new CoreMetrics(exporter,
        gauge(prefix + "_collector_success",
            "1 if the collector's last run succeeded within the scrape deadline, 0 if it failed or overran.",
            "collector"),
        gauge(prefix + "_collector_duration_seconds", "How long the collector's last run took, in seconds.",
            "collector"),
        gauge(prefix + "_scrape_duration_seconds", "How long the whole collection of this scrape took, in seconds."));
  }

  /** Every family the engine writes for this exporter, build info included. */
  public List<MetricFamily> all() {
    return List.of(BUILD_INFO, collectorSuccess, collectorDuration, scrapeDuration);
  }

  /** The exporter's families: the engine's, then its collectors' {@code own}. */
  public List<MetricFamily> with(MetricFamily... own) {
    List<MetricFamily> families = new ArrayList<>(all());
    families.addAll(List.of(own));
    return List.copyOf(families);
  }
}
