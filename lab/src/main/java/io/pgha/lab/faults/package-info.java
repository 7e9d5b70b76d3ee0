/**
 * The faults the drills, the bench and the integration tests cause, by PID, and between the cluster's
 * hosts on the network ({@link io.pgha.lab.faults.NetworkFaults}), and the way back
 * ({@link io.pgha.lab.faults.ClusterFaults}). Imports deploy, net, client, status and topology.
 */
package io.pgha.lab.faults;
