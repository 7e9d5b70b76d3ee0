package io.pgha.bench;

import java.util.Optional;

/** One of issue 10's goals, the figure it is judged on, and whether it was met (empty: not measured). */
public record Goal(String goal, String figure, Optional<Boolean> met) {
  public String verdict() {
    return met.map(m -> m ? "met" : "NOT met").orElse("not measured");
  }
}
