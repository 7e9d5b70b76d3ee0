package io.pgha.bench;

import java.util.Map;

/**
 * The three pgha exporters together: as {@code pgha up} runs them, or the other way (one JVM each or all in one),
 * their memory summed over the processes after the same scrapes, and each one's median scrape.
 */
public record MemoryRow(String how, int jvms, ProcessFootprint memory, Map<String, Double> medianMs) {}
