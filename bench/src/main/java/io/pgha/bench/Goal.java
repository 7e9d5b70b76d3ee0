package io.pgha.bench;

import java.util.Optional;

/** One of the bench's goals (issues 10 and 19), the figure it is judged on, and whether it was met (empty: not measured). */
public record Goal(String goal, String figure, Optional<Boolean> met, String whyNot) {
  public Goal(String goal, String figure, Optional<Boolean> met) {
    this(goal, figure, met, "");
  }

  /** What stands in the way, shown when the goal is not met; empty when not known. */
  public Goal because(String why) {
    return new Goal(goal, figure, met, why);
  }

  public String verdict() {
    return met.map(m -> m ? "met" : "NOT met").orElse("not measured");
  }
}
