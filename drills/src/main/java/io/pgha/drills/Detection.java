package io.pgha.drills;

import java.util.OptionalLong;

/**
 * When a source first showed the fault's effect, counted from the fault.
 *
 * @param what the metric and value looked for, e.g. {@code pgha_dcs_leader{member="pg-2"} 1}
 * @param afterMillis empty when it never showed it during the drill
 */
public record Detection(String what, OptionalLong afterMillis) {

  public boolean seen() {
    return afterMillis.isPresent();
  }
}
