package io.pgha.lab.topology;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TLS clusters this JVM has seen a topology of (read from cluster.json or built by
 * {@code up --tls}), by work dir: what lab's HTTP client needs to reach them without its callers
 * knowing whether a cluster is secured. Only paths are kept here; the files are read by the client.
 */
public final class ClusterTrust {
  /** One known cluster: its TLS files and the {@code host:port} of its exporters. */
  public record Known(String workdir, Topology.Tls tls, List<String> exporterAuthorities) {}

  private static final Map<String, Known> KNOWN = new ConcurrentHashMap<>();

  private ClusterTrust() {}

  static void remember(String workdir, Topology.Tls tls, Topology.Exporters exporters) {
    List<String> authorities = List.of(exporters.patroni(), exporters.postgres(), exporters.etcd()).stream()
        .map(port -> Topology.LOOPBACK + ":" + port).toList();
    KNOWN.put(workdir, new Known(workdir, tls, authorities));
  }

  public static Collection<Known> known() {
    return List.copyOf(KNOWN.values());
  }

  /** The known cluster whose exporter listens at {@code authority} ({@code host:port}), if any. */
  public static Optional<Known> exporterAt(String authority) {
    return KNOWN.values().stream().filter(k -> k.exporterAuthorities().contains(authority)).findFirst();
  }
}
