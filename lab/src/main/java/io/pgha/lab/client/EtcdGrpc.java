package io.pgha.lab.client;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.pgha.lab.topology.Topology;
import java.net.URI;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * jetcd clients of the tools (the bench's and the tests' own watches on Patroni's keys): on a TLS
 * cluster they trust its CA and present its client certificate, through {@link ClusterTls} like
 * every other lab client, since etcd runs with {@code --client-cert-auth}.
 */
public final class EtcdGrpc {
  private EtcdGrpc() {}

  /** A client of every etcd member of {@code t}. */
  public static Client client(Topology t) {
    return client(t.etcd().stream().map(e -> URI.create(e.clientUrl())).toList());
  }

  public static Client client(List<URI> endpoints) {
    ClientBuilder builder = Client.builder().endpoints(endpoints.toArray(URI[]::new))
        // jetcd pings idle connections by default, and etcd answers a ping without a stream with
        // GOAWAY (too_many_pings), seen in the bench's log; exporter-etcd does the same.
        .keepaliveWithoutCalls(false);
    if (endpoints.stream().anyMatch(e -> "https".equals(e.getScheme()))) {
      try {
        builder.sslContext(ssl -> ssl.trustManager(ClusterTls.trustManager()).keyManager(ClusterTls.keyManager()));
      } catch (SSLException e) {
        throw new IllegalStateException("cannot set up TLS for etcd: " + e.getMessage(), e);
      }
    }
    return builder.build();
  }
}
