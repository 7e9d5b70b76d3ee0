package io.pgha.lab.topology;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where every piece of one pgha cluster lives: addresses, ports (already shifted by the offset) and
 * directories. Serialised as {@code <workdir>/cluster.json}, the contract read by the other commands,
 * the tests and the drills; the field order and names follow that contract exactly.
 */
@JsonPropertyOrder({"scope", "namespace", "offset", "workdir", "etcd", "members", "haproxy",
    "prometheus", "alertmanager", "exporters", "receiver"})
public record Topology(
    String scope,
    String namespace,
    int offset,
    String workdir,
    List<EtcdMember> etcd,
    List<Member> members,
    Haproxy haproxy,
    Endpoint prometheus,
    Endpoint alertmanager,
    Exporters exporters,
    Endpoint receiver) {

  public static final String SCOPE = "pgha";
  public static final String NAMESPACE = "/service/";
  /** Highest default port (HAProxy write 5000 ... receiver 9814, Patroni 8008); the offset must keep it valid. */
  private static final int HIGHEST_DEFAULT_PORT = 9814;

  /** One etcd member. */
  @JsonPropertyOrder({"name", "host", "client_port", "peer_port"})
  public record EtcdMember(
      String name,
      String host,
      @JsonProperty("client_port") int clientPort,
      @JsonProperty("peer_port") int peerPort) {
    public String clientUrl() {
      return "http://" + host + ":" + clientPort;
    }

    public String peerUrl() {
      return "http://" + host + ":" + peerPort;
    }
  }

  /** One Patroni member with its PostgreSQL. */
  @JsonPropertyOrder({"name", "host", "pg_port", "rest_port", "data_dir"})
  public record Member(
      String name,
      String host,
      @JsonProperty("pg_port") int pgPort,
      @JsonProperty("rest_port") int restPort,
      @JsonProperty("data_dir") String dataDir) {
    public String restUrl() {
      return "http://" + host + ":" + restPort;
    }
  }

  /** HAProxy's listeners. */
  @JsonPropertyOrder({"host", "write_port", "read_port", "stats_port"})
  public record Haproxy(
      String host,
      @JsonProperty("write_port") int writePort,
      @JsonProperty("read_port") int readPort,
      @JsonProperty("stats_port") int statsPort) {}

  /** Ports of the pgha exporters, all on 127.0.0.1. */
  @JsonPropertyOrder({"patroni", "postgres", "etcd"})
  public record Exporters(int patroni, int postgres, int etcd) {}

  /** A single HTTP service on one address. */
  @JsonPropertyOrder({"host", "port"})
  public record Endpoint(String host, int port) {
    public String url() {
      return "http://" + host + ":" + port;
    }
  }

  /** The topology of the brief, every port shifted by {@code offset}. */
  public static Topology of(Path workdir, int offset) {
    if (offset < 0 || HIGHEST_DEFAULT_PORT + offset > 65535) {
      throw new IllegalArgumentException(
          "--offset must be between 0 and " + (65535 - HIGHEST_DEFAULT_PORT) + ", got " + offset);
    }
    String wd = workdir.toAbsolutePath().normalize().toString();
    List<EtcdMember> etcd = new ArrayList<>();
    List<Member> members = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      etcd.add(new EtcdMember("etcd-" + i, "127.0.0.1" + i, 2379 + offset, 2380 + offset));
      members.add(new Member("pg-" + i, "127.0.0.2" + i, 5432 + offset, 8008 + offset,
          wd + "/pg-" + i + "/data"));
    }
    String lo = "127.0.0.1";
    return new Topology(SCOPE, NAMESPACE, offset, wd, List.copyOf(etcd), List.copyOf(members),
        new Haproxy(lo, 5000 + offset, 5001 + offset, 7001 + offset),
        new Endpoint(lo, 9090 + offset), new Endpoint(lo, 9093 + offset),
        new Exporters(9811 + offset, 9812 + offset, 9813 + offset),
        new Endpoint(lo, 9814 + offset));
  }

  public Path workdirPath() {
    return Path.of(workdir);
  }

  /** HAProxy's runtime API socket (stats socket, level admin). */
  public Path haproxySocket() {
    return workdirPath().resolve("run").resolve("haproxy.sock");
  }

  public Member member(String name) {
    return members.stream().filter(m -> m.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no member named " + name
            + " (members: " + members.stream().map(Member::name).toList() + ")"));
  }

  public EtcdMember etcdMember(String name) {
    return etcd.stream().filter(m -> m.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no etcd member named " + name
            + " (members: " + etcd.stream().map(EtcdMember::name).toList() + ")"));
  }
}
