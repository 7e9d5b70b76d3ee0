package io.pgha.patroni.api;

import java.util.List;

/**
 * The settings of Patroni's dynamic configuration ({@code GET /config}, kept in the DCS) that decide
 * whether and to whom it fails over, with Patroni's defaults for those not set.
 *
 * @param ttlSeconds {@code ttl}: how long the leader key lives without a renewal (default 30)
 * @param loopWaitSeconds {@code loop_wait}: the HA loop's sleep (default 10)
 * @param maximumLagOnFailoverBytes {@code maximum_lag_on_failover}: a replica further behind is not
 *     promoted (default 1 MiB)
 * @param synchronousMode {@code synchronous_mode} with {@code synchronous_mode_strict}
 * @param checkTimeline {@code check_timeline}: a replica on an older timeline is not promoted
 */
public record PatroniDynamicConfig(long ttlSeconds, long loopWaitSeconds, long maximumLagOnFailoverBytes,
                                   SynchronousMode synchronousMode, boolean checkTimeline) {
  public static final long DEFAULT_TTL = 30;
  public static final long DEFAULT_LOOP_WAIT = 10;
  public static final long DEFAULT_MAXIMUM_LAG_ON_FAILOVER = 1_048_576;

  /** {@code synchronous_mode} as the one-hot label values of {@code pgha_patroni_config_synchronous_mode}. */
  public enum SynchronousMode {
    OFF("off"),
    /** On: a commit waits for the synchronous standby, or is acknowledged without one when none is left. */
    ON("on"),
    /** On with {@code synchronous_mode_strict}: without a synchronous standby commits wait. */
    STRICT("strict"),
    /** Patroni 4's quorum commit ({@code synchronous_mode: quorum}), strict or not. */
    QUORUM("quorum");

    public static final List<String> LABELS = List.of("off", "on", "strict", "quorum");

    private final String label;

    SynchronousMode(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** Only the synchronous standby (or a quorum member) may be promoted. */
    public boolean restrictsCandidates() {
      return this != OFF;
    }
  }
}
