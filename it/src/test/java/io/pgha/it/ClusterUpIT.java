package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.lab.client.HaproxyStats;
import io.pgha.lab.client.Http;
import io.pgha.lab.client.PatroniApi;
import io.pgha.lab.status.ClusterStateReader;
import io.pgha.lab.topology.Topology;
import io.pgha.patroni.api.PatroniCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What {@code pgha up} promises: one leader, two streaming replicas, HAProxy routing, the contract file. */
@PghaCluster.Test
class ClusterUpIT {
  private final Http http = new Http();

  private static String leaderName(TestCluster cluster) {
    List<PatroniCluster.Member> members = new PatroniApi(new Http()).members(cluster.topology())
        .orElseThrow();
    List<String> leaders = members.stream().filter(PatroniCluster.Member::leader)
        .map(PatroniCluster.Member::name).toList();
    assertThat(leaders).hasSize(1);
    return leaders.get(0);
  }

  @Test
  void upGivesOneLeaderAndTwoStreamingReplicas(TestCluster cluster) throws Exception {
    List<PatroniCluster.Member> members = new PatroniApi(http).members(cluster.topology()).orElseThrow();
    assertThat(members).extracting(PatroniCluster.Member::name)
        .containsExactlyInAnyOrder("pg-1", "pg-2", "pg-3");
    assertThat(members.stream().filter(PatroniCluster.Member::leader)).hasSize(1);
    String leader = leaderName(cluster);
    Set<String> replicas = new TreeSet<>(Set.of("pg-1", "pg-2", "pg-3"));
    replicas.remove(leader);

    Set<String> streaming = new TreeSet<>();
    try (Connection c = cluster.connectMember(leader, "postgres"); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(
             "SELECT application_name, state FROM pg_stat_replication")) {
      while (rs.next()) {
        if ("streaming".equals(rs.getString("state"))) {
          streaming.add(rs.getString("application_name"));
        }
      }
    }
    assertThat(streaming).isEqualTo(replicas);
  }

  @Test
  void writePortLandsOnThePrimary(TestCluster cluster) throws Exception {
    String leader = leaderName(cluster);
    try (Connection c = cluster.connectWrite("app"); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery(), host(inet_server_addr())")) {
      rs.next();
      assertThat(rs.getBoolean(1)).as("pg_is_in_recovery() through the write port").isFalse();
      assertThat(rs.getString(2)).isEqualTo(cluster.topology().member(leader).host());
    }
  }

  @Test
  void readPortLandsOnAReplica(TestCluster cluster) throws Exception {
    String leader = leaderName(cluster);
    Set<String> served = new TreeSet<>();
    // Round robin over the two replicas: new connections alternate between them.
    for (int i = 0; i < 4; i++) {
      try (Connection c = cluster.connectRead("app"); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery(), host(inet_server_addr())")) {
        rs.next();
        assertThat(rs.getBoolean(1)).as("pg_is_in_recovery() through the read port").isTrue();
        served.add(rs.getString(2));
      }
    }
    assertThat(served).doesNotContain(cluster.topology().member(leader).host()).hasSize(2);
  }

  @Test
  void writesReplicateToTheReplicas(TestCluster cluster) throws Exception {
    String token = java.util.UUID.randomUUID().toString();
    try (Connection c = cluster.connectWrite("app"); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO events (owner_id, kind, token) SELECT min(id), 'it', '" + token
          + "' FROM owners");
    }
    String leader = leaderName(cluster);
    for (Topology.Member m : cluster.topology().members()) {
      if (m.name().equals(leader)) {
        continue;
      }
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
        try (Connection c = cluster.connectMember(m.name(), "app"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM events WHERE token = '" + token + "'")) {
          rs.next();
          assertThat(rs.getInt(1)).as("row on %s", m.name()).isEqualTo(1);
        }
      });
    }
  }

  @Test
  void demoSchemaIsOwnedByApp(TestCluster cluster) throws Exception {
    try (Connection c = cluster.connectRead("app"); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT tablename, tableowner FROM pg_tables "
             + "WHERE tablename IN ('owners', 'events') ORDER BY tablename")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1) + ":" + rs.getString(2));
      }
      assertThat(rows).containsExactly("events:app", "owners:app");
    }
  }

  @Test
  void monitoringRoleHasOnlyPgMonitor(TestCluster cluster) throws Exception {
    try (Connection c = cluster.connectRead("pgha_monitor"); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT r.rolname FROM pg_auth_members m "
             + "JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
             + "WHERE u.rolname = 'pgha_monitor'")) {
      List<String> granted = new ArrayList<>();
      while (rs.next()) {
        granted.add(rs.getString(1));
      }
      assertThat(granted).containsExactly("pg_monitor");
    }
    try (Connection c = cluster.connectRead("pgha_monitor"); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication "
             + "FROM pg_roles WHERE rolname = current_user")) {
      rs.next();
      for (int i = 1; i <= 4; i++) {
        assertThat(rs.getBoolean(i)).isFalse();
      }
    }
  }

  @Test
  void statsPageListsTheBackends(TestCluster cluster) {
    Topology.Haproxy h = cluster.topology().haproxy();
    Http.Response csv = http.get(ClusterStateReader.statsCsvUrl(cluster.topology()));
    assertThat(csv.status()).isEqualTo(200);
    List<HaproxyStats.ServerState> servers = HaproxyStats.parse(csv.body());
    assertThat(servers.stream().map(s -> s.proxy() + "/" + s.server()).collect(Collectors.toList()))
        .containsExactlyInAnyOrder("write/pg-1", "write/pg-2", "write/pg-3",
            "read/pg-1", "read/pg-2", "read/pg-3");
    assertThat(HaproxyStats.upIn(servers, "write")).hasSize(1);
    assertThat(HaproxyStats.upIn(servers, "read")).hasSize(2);

    Http.Response page = http.get("http://" + h.host() + ":" + h.statsPort() + "/");
    assertThat(page.body()).contains("write").contains("read").contains("pg-1");
    Http.Response metrics = http.get("http://" + h.host() + ":" + h.statsPort() + "/metrics");
    assertThat(metrics.body()).contains("haproxy_backend_active_servers{proxy=\"write\"} 1");
  }

  @Test
  void clusterJsonFollowsTheContract(TestCluster cluster) throws Exception {
    JsonNode json = new ObjectMapper().readTree(cluster.clusterJson());
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    List<String> contract = new ArrayList<>(List.of("scope", "namespace", "offset", "workdir", "etcd", "members",
        "haproxy", "prometheus", "alertmanager", "exporters", "receiver"));
    if (TestCluster.TLS) {
      contract.add("tls");
      assertThat(json.path("tls").toString()).isEqualTo("{\"ca_file\":\"" + TestCluster.WORKDIR + "/tls/ca.crt\","
          + "\"cert_file\":\"" + TestCluster.WORKDIR + "/tls/pgha.crt\",\"key_file\":\"" + TestCluster.WORKDIR + "/tls/pgha.key\","
          + "\"scrape_username\":\"prometheus\",\"scrape_password_file\":\"" + TestCluster.WORKDIR + "/secrets/prometheus.password\"}");
    }
    assertThat(keys).containsExactlyElementsOf(contract);
    assertThat(json.path("offset").asInt()).isEqualTo(TestCluster.OFFSET);
    assertThat(json.path("workdir").asText()).isEqualTo(TestCluster.WORKDIR);
    assertThat(json.at("/etcd/1").toString()).isEqualTo(
        "{\"name\":\"etcd-2\",\"host\":\"127.0.0.12\",\"client_port\":" + (2379 + TestCluster.OFFSET) + ",\"peer_port\":" + (2380 + TestCluster.OFFSET) + "}");
    assertThat(json.at("/members/2").toString()).isEqualTo(
        "{\"name\":\"pg-3\",\"host\":\"127.0.0.23\",\"pg_port\":" + (5432 + TestCluster.OFFSET) + ",\"rest_port\":" + (8008 + TestCluster.OFFSET) + ","
            + "\"data_dir\":\"" + TestCluster.WORKDIR + "/pg-3/data\"}");
    assertThat(json.path("haproxy").toString()).isEqualTo(
        "{\"host\":\"127.0.0.1\",\"write_port\":" + (5000 + TestCluster.OFFSET) + ",\"read_port\":" + (5001 + TestCluster.OFFSET) + ",\"stats_port\":" + (7001 + TestCluster.OFFSET) + "}");
    assertThat(json.path("exporters").toString())
        .isEqualTo("{\"patroni\":" + (9811 + TestCluster.OFFSET) + ",\"postgres\":" + (9812 + TestCluster.OFFSET)
            + ",\"etcd\":" + (9813 + TestCluster.OFFSET) + "}");
    assertThat(json.path("receiver").toString()).isEqualTo("{\"host\":\"127.0.0.1\",\"port\":" + (9814 + TestCluster.OFFSET) + "}");
  }

  @Test
  void everyPrometheusTargetIsUp(TestCluster cluster) {
    JsonNode targets = http.get(cluster.topology().prometheus().url() + "/api/v1/targets?state=active")
        .json().at("/data/activeTargets");
    Set<String> jobs = new TreeSet<>();
    for (JsonNode t : targets) {
      jobs.add(t.at("/labels/job").asText());
      assertThat(t.path("health").asText()).as(t.at("/labels/instance").asText()).isEqualTo("up");
    }
    assertThat(jobs).containsExactlyInAnyOrder("patroni", "etcd", "haproxy", "pgha-patroni",
        "pgha-postgres", "pgha-dcs", "prometheus", "alertmanager");
    assertThat(targets.size()).isEqualTo(12);
  }
}
