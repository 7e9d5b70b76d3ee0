package io.pgha.traffic;

import java.util.Objects;
import java.util.UUID;

/**
 * One write acknowledged to the client: its token, when the commit was acknowledged, by whom, and on
 * which timeline of the cluster (the primary's, as it wrote it).
 *
 * @param timeline the PostgreSQL timeline the write went to; 0 when unknown (a ledger file from before
 *     timelines were recorded)
 */
public record LedgerEntry(UUID token, long ackedAtMillis, String member, long timeline) {

  public LedgerEntry {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(member, "member");
    if (timeline < 0) {
      throw new IllegalArgumentException("timeline must not be negative: " + timeline);
    }
  }

  /** A write whose timeline is not known. */
  public LedgerEntry(UUID token, long ackedAtMillis, String member) {
    this(token, ackedAtMillis, member, 0);
  }
}
