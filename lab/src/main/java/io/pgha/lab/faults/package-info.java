/**
 * The faults the drills, the bench and the integration tests cause, by PID, and the way back
 * ({@link io.pgha.lab.faults.ClusterFaults}). Imports deploy, client, status and topology.
 */
package io.pgha.lab.faults;
