/**
 * Alerts as the lab sees them: the receiver Alertmanager posts to, the log it keeps
 * ({@code <workdir>/alerts/notifications.jsonl}), Prometheus's pending and firing alerts, and the
 * tables {@code pgha alerts} prints. Imports nothing of pgha's.
 */
package io.pgha.lab.alerts;
