package io.pgha.drills;

import java.util.List;

/**
 * Where HAProxy routes, from its stats CSV: the servers UP in the write and read backends.
 *
 * @param answered false when the stats page did not answer (HAProxy down)
 */
public record RouteSample(long atMillis, boolean answered, List<String> writeUp, List<String> readUp) {

  public RouteSample {
    writeUp = List.copyOf(writeUp);
    readUp = List.copyOf(readUp);
  }
}
