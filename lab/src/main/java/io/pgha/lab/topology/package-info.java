/**
 * Where every piece of one pgha cluster lives ({@link io.pgha.lab.topology.Topology}) and the one
 * reader and writer of {@code <workdir>/cluster.json} ({@link io.pgha.lab.topology.ClusterFile}).
 * Imports nothing of pgha's.
 */
package io.pgha.lab.topology;
