package io.pgha.patroni;

import static io.pgha.patroni.PatroniMetrics.CONFIG_LOOP_WAIT_SECONDS;
import static io.pgha.patroni.PatroniMetrics.CONFIG_MAXIMUM_LAG_ON_FAILOVER_BYTES;
import static io.pgha.patroni.PatroniMetrics.CONFIG_SYNCHRONOUS_MODE;
import static io.pgha.patroni.PatroniMetrics.CONFIG_TTL_SECONDS;

import io.pgha.common.ScrapeCollector;
import io.pgha.patroni.api.PatroniDynamicConfig;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/**
 * Patroni's dynamic configuration from {@code GET /config} (read from the member that answered
 * {@code /cluster}): the settings rules and dashboards would otherwise hard-code.
 */
final class PatroniConfigCollector {
  private PatroniConfigCollector() {}

  static ScrapeCollector of(PatroniScope scope) {
    return new ScopeCollector("config", scope, scrape -> scrape.config().map(c -> snapshots(scope.name(), c)));
  }

  /** Pure. */
  static List<MetricSnapshot> snapshots(String scope, PatroniDynamicConfig config) {
    return List.of(
        CONFIG_TTL_SECONDS.snapshot(config.ttlSeconds(), scope),
        CONFIG_LOOP_WAIT_SECONDS.snapshot(config.loopWaitSeconds(), scope),
        CONFIG_MAXIMUM_LAG_ON_FAILOVER_BYTES.snapshot(config.maximumLagOnFailoverBytes(), scope),
        CONFIG_SYNCHRONOUS_MODE.snapshot(CONFIG_SYNCHRONOUS_MODE.oneHot(PatroniDynamicConfig.SynchronousMode.LABELS,
            config.synchronousMode().label(), scope)));
  }
}
