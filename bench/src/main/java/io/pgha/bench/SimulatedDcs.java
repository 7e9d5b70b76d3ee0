package io.pgha.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.pgha.lab.client.EtcdGrpc;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Many Patroni scopes on the cluster's own etcd, for the scale runs: the keys the cluster's Patroni
 * wrote under {@code <namespace><scope>/} (leader, members/*, config, status, history, initialize,
 * ...) copied, values as they are, under a namespace of the bench's own, once per simulated scope.
 * A key that Patroni attached to a lease (the leader key and each member's key, to that member's
 * lease) gets a lease of its own per simulated scope and member, as Patroni's would be; the leases
 * are not renewed (their TTL outlasts the run) and are revoked at the end, with every key under the
 * namespace. The cluster's own scope and namespace are not touched.
 */
final class SimulatedDcs implements AutoCloseable {
  static final String NAMESPACE = "/pgha-bench/";
  /** Longer than any scale run; leases left by a crashed bench expire with their keys. */
  private static final long LEASE_TTL_SECONDS = 900;
  private static final long TIMEOUT_SECONDS = 30;

  private final Client client;
  private final List<Long> leases = new ArrayList<>();
  private final List<String> scopes = new ArrayList<>();
  private int keys;

  private SimulatedDcs(Client client) {
    this.client = client;
  }

  /** Connects and clears whatever a crashed run may have left under {@link #NAMESPACE}. */
  static SimulatedDcs open(List<URI> endpoints) throws Exception {
    SimulatedDcs dcs = new SimulatedDcs(EtcdGrpc.client(endpoints));
    try {
      dcs.deleteAll();
      return dcs;
    } catch (Exception e) {
      dcs.client.close();
      throw e;
    }
  }

  static String scopeName(int i) {
    return String.format(Locale.ROOT, "sim-%03d", i);
  }

  /**
   * Makes {@code count} simulated scopes exist (adding to those written before), copies of the
   * keys under {@code sourcePrefix} (the cluster's own scope); returns the names of all of them.
   */
  List<String> grow(String sourcePrefix, int count) throws Exception {
    List<KeyValue> source = client.getKVClient().get(bytes(sourcePrefix),
        GetOption.builder().isPrefix(true).build()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getKvs();
    if (source.stream().noneMatch(kv -> kv.getKey().toString(StandardCharsets.UTF_8).equals(sourcePrefix + "leader"))) {
      throw new IllegalStateException("no leader key under " + sourcePrefix + " to copy (" + source.size() + " keys)");
    }
    while (scopes.size() < count) {
      String scope = scopeName(scopes.size() + 1);
      Map<Long, Long> leaseOf = new HashMap<>();
      List<CompletableFuture<?>> puts = new ArrayList<>();
      for (KeyValue kv : source) {
        String rest = kv.getKey().toString(StandardCharsets.UTF_8).substring(sourcePrefix.length());
        PutOption.Builder put = PutOption.builder();
        if (kv.getLease() != 0) {
          Long lease = leaseOf.get(kv.getLease());
          if (lease == null) {
            lease = client.getLeaseClient().grant(LEASE_TTL_SECONDS).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getID();
            leases.add(lease);
            leaseOf.put(kv.getLease(), lease);
          }
          put.withLeaseId(lease);
        }
        puts.add(client.getKVClient().put(bytes(NAMESPACE + scope + "/" + rest), kv.getValue(), put.build()));
      }
      CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      keys += puts.size();
      scopes.add(scope);
    }
    return List.copyOf(scopes);
  }

  /** Keys written so far. */
  int keys() {
    return keys;
  }

  private void deleteAll() throws Exception {
    client.getKVClient().delete(bytes(NAMESPACE), io.etcd.jetcd.options.DeleteOption.builder().isPrefix(true).build())
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      for (long lease : leases) {
        client.getLeaseClient().revoke(lease).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      deleteAll();
    } catch (Exception e) {
      throw new IllegalStateException("could not remove the simulated scopes under " + NAMESPACE
          + " (their leases expire within " + LEASE_TTL_SECONDS + " s): " + e.getMessage(), e);
    } finally {
      client.close();
    }
  }
}
