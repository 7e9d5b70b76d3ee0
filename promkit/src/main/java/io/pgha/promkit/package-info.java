/**
 * What pgha reads of Prometheus's formats: {@link io.pgha.promkit.Exposition}, the one reader of
 * the text exposition format (lenient about Patroni 3.0.2's space before {@code {}}, and setting
 * unreadable lines aside), and {@link io.pgha.promkit.PromQlMetricNames}, the one extractor of the
 * metric names a PromQL expression selects (for the alert rules and the dashboards alike).
 *
 * <p>Bottom of the module graph: JDK only, imports nothing of pgha's. The drills and the bench use
 * it in main code; the alerts, dashboards, compose and it tests use the same classes.
 */
package io.pgha.promkit;
