package io.pgha.testkit;

/** Responses recorded from a live cluster (offset 0), under a module's src/test/resources/recorded. */
public final class Recorded {
  private Recorded() {}

  public static String text(String name) {
    return TestResources.text("/recorded/" + name);
  }
}
