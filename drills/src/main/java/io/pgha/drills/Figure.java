package io.pgha.drills;

/** A drill-specific figure for the report, e.g. {@code recovery after etcd restore = 2.4 s}. */
public record Figure(String name, String value) {
}
