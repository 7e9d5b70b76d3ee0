/**
 * Blocking clients of the cluster's HTTP endpoints over one helper ({@link io.pgha.lab.client.Http}):
 * Patroni's REST API (its JSON read by exporter-patroni's model, {@code io.pgha.patroni.api}), etcd's
 * v3 gateway, HAProxy's stats CSV, Prometheus's targets and alerts; and the tools' jetcd clients
 * ({@link io.pgha.lab.client.EtcdGrpc}). Imports topology and alerts.
 */
package io.pgha.lab.client;
