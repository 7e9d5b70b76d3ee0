/**
 * Network faults on loopback, for one cluster only: a cgroup per "host" (each etcd member, each Patroni
 * member with its PostgreSQL) that its processes start in ({@link io.pgha.lab.net.HostCgroups}),
 * iptables rules in a chain of the cluster's own that name one of its addresses and ports
 * ({@link io.pgha.lab.net.FaultRule}, {@link io.pgha.lab.net.FaultChain}), its established connections
 * ({@link io.pgha.lab.net.Sockets}, {@code ss}), a TCP relay that adds latency
 * ({@link io.pgha.lab.net.DelayProxy}), and the record in the work dir that lets the next {@code up} or
 * {@code down} remove what a dead run left ({@link io.pgha.lab.net.NetFaultRecord}). Imports topology
 * only; deploy and faults build on it.
 */
package io.pgha.lab.net;
