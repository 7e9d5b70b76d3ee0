package io.pgha.drills;

/** A moment of a drill worth a line on its timeline (the fault, the restore, a switchover request...). */
public record Mark(long atMillis, Kind kind, String label) {

  public enum Kind { FAULT, RESTORE, CONVERGED, EVENT }
}
