package io.pgha.patroni.api;

import java.util.Optional;

/**
 * The tags of a member that decide whether Patroni may promote it or make it a synchronous standby,
 * as {@code /cluster} and {@code /patroni} report them ({@code tags}). Patroni leaves out tags that
 * are false, so an absent tag is false.
 *
 * @param nofailover the {@code nofailover} tag, if the member sets it
 * @param failoverPriority the {@code failover_priority} tag (Patroni 4), if set
 * @param nosync the {@code nosync} tag
 */
public record MemberTags(Optional<Boolean> nofailover, Optional<Long> failoverPriority, boolean nosync) {
  public static final MemberTags NONE = new MemberTags(Optional.empty(), Optional.empty(), false);

  /**
   * Patroni's own rule (patroni/tags.py): {@code nofailover} decides when it is set; otherwise a
   * {@code failover_priority} of 0 or less forbids promotion.
   */
  public boolean forbidsPromotion() {
    return nofailover.orElseGet(() -> failoverPriority.map(p -> p <= 0).orElse(false));
  }

  /** The tags of either source: a member's own {@code /patroni} and the DCS's {@code /cluster} may lag each other. */
  public MemberTags or(MemberTags other) {
    return new MemberTags(nofailover.or(other::nofailover), failoverPriority.or(other::failoverPriority),
        nosync || other.nosync);
  }
}
