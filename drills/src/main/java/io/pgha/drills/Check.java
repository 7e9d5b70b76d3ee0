package io.pgha.drills;

/**
 * One expectation of a drill (or one goal of the issue) with what was measured.
 *
 * @param goal true for the goals (reported, they do not fail the drill), false for an expectation
 * @param status NOT_MEASURED only when the drill could not measure it for a reason it names in
 *     {@code measured} (an alert already firing before the fault cannot be delivered again)
 */
public record Check(boolean goal, String name, String expected, String measured, Status status) {

  public enum Status { PASS, FAIL, NOT_MEASURED }

  public static Check expect(String name, String expected, String measured, boolean ok) {
    return new Check(false, name, expected, measured, ok ? Status.PASS : Status.FAIL);
  }

  public static Check goal(String name, String expected, String measured, boolean ok) {
    return new Check(true, name, expected, measured, ok ? Status.PASS : Status.FAIL);
  }

  public static Check notMeasured(String name, String expected, String why) {
    return new Check(false, name, expected, why, Status.NOT_MEASURED);
  }

  /** An expectation that failed (goals never fail a drill). */
  public boolean missed() {
    return !goal && status == Status.FAIL;
  }
}
