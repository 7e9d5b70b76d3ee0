package io.pgha.lab.status;

import io.pgha.lab.client.EtcdApi;
import io.pgha.lab.client.HaproxyStats;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.PatroniApi;
import io.pgha.lab.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Asks Patroni, etcd and HAProxy for their state; each source may be down, none blocks long. */
public final class ClusterStateReader {
  private final Http http;
  private final PatroniApi patroni;
  private final EtcdApi etcd;

  public ClusterStateReader(Http http) {
    this.http = http;
    this.patroni = new PatroniApi(http);
    this.etcd = new EtcdApi(http);
  }

  public ClusterState read(Topology t) {
    List<ClusterState.EtcdView> etcdViews = new ArrayList<>();
    Optional<String> leader = etcd.leaderName(t.etcd());
    for (Topology.EtcdMember e : t.etcd()) {
      Http.Response health = http.get(e.clientUrl() + "/health");
      boolean healthy = health.status() == 200
          && "true".equals(health.json().path("health").asText());
      etcdViews.add(new ClusterState.EtcdView(e.name(), e.host(), health.status() != 0, healthy,
          leader.map(e.name()::equals).orElse(false)));
    }
    Http.Response csv = http.get(statsCsvUrl(t));
    Optional<List<HaproxyStats.ServerState>> servers = csv.ok()
        ? Optional.of(HaproxyStats.parse(csv.body())) : Optional.empty();
    return new ClusterState(t, patroni.members(t), List.copyOf(etcdViews), servers);
  }

  public static String statsCsvUrl(Topology t) {
    return "http://" + t.haproxy().host() + ":" + t.haproxy().statsPort() + "/;csv";
  }
}
