/**
 * What {@code pgha status} shows: Patroni's members, etcd's members and HAProxy's servers, and the
 * problems that make the cluster degraded. Imports topology, client and exporter-patroni's model.
 */
package io.pgha.lab.status;
