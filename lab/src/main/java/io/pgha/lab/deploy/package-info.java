/**
 * {@code pgha up} and {@code pgha down}: the components and their command lines, configuration files,
 * secrets, database roles, readiness, the switchover, and the {@link io.pgha.lab.deploy.Supervisor}:
 * the one way pgha starts a process ({@code setsid}, clean environment) and stops it (by process
 * group, never by name). Imports topology, client, status and exporter-patroni's model.
 */
package io.pgha.lab.deploy;
