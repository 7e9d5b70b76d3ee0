package io.pgha.traffic;

import java.util.Objects;
import java.util.UUID;

/** One write acknowledged to the client: its token, when the commit was acknowledged, and by whom. */
public record LedgerEntry(UUID token, long ackedAtMillis, String member) {

  public LedgerEntry {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(member, "member");
  }
}
