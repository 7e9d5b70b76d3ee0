package io.pgha.traffic;

import java.util.List;

/**
 * The result of looking every acknowledged write up on the primary.
 *
 * @param complete false when the primary could not be reached (or answered only partly) in time; then
 *     {@code missing} holds only the writes known to be missing so far and {@code problem} says why
 * @param missing the acknowledged writes the primary does not have
 */
public record LedgerCheck(int acknowledged, int found, List<LedgerEntry> missing, boolean complete,
                          String problem) {

  public LedgerCheck {
    missing = List.copyOf(missing);
  }

  public static LedgerCheck complete(int acknowledged, List<LedgerEntry> missing) {
    return new LedgerCheck(acknowledged, acknowledged - missing.size(), missing, true, null);
  }

  public static LedgerCheck incomplete(int acknowledged, int found, List<LedgerEntry> missing, String problem) {
    return new LedgerCheck(acknowledged, found, missing, false, problem);
  }

  /** Acknowledged writes the primary does not have (a lower bound when the check is incomplete). */
  public int lost() {
    return missing.size();
  }
}
