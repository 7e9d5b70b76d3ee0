package io.pgha.lab.topology;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where every piece of one pgha cluster lives: addresses, ports (already shifted by the offset) and
 * directories. Serialised as {@code <workdir>/cluster.json}, the contract read by the other commands,
 * the tests and the drills; the field order and names follow that contract exactly.
 *
 * <p>A cluster set up with {@code pgha up --tls} has a {@code tls} object (absent otherwise): etcd,
 * Patroni and the exporters then speak https, and the URLs here say so. Whoever builds or reads a
 * TLS topology makes it known to lab's HTTP client ({@link ClusterTrust}), which then trusts its CA,
 * presents its client certificate and logs in to its exporters: the callers change nothing.
 */
@JsonPropertyOrder({"scope", "namespace", "offset", "workdir", "etcd", "members", "haproxy",
    "prometheus", "alertmanager", "exporters", "receiver", "tls"})
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
    Endpoint receiver,
    @JsonInclude(JsonInclude.Include.NON_NULL) Tls tls) {

  public static final String SCOPE = "pgha";
  /** Where the exporters listen (and HAProxy, Prometheus, Alertmanager, the receiver). */
  public static final String LOOPBACK = "127.0.0.1";

  public Topology {
    if (tls != null) {
      // Every URL of a TLS cluster is https: the members know it themselves.
      etcd = etcd.stream().map(e -> new EtcdMember(e.name(), e.host(), e.clientPort(), e.peerPort(), true)).toList();
      members = members.stream().map(m -> new Member(m.name(), m.host(), m.pgPort(), m.restPort(), m.dataDir(), true)).toList();
      exporters = new Exporters(exporters.patroni(), exporters.postgres(), exporters.etcd(), true);
      ClusterTrust.remember(workdir, tls, exporters);
    }
  }

  /** A plain cluster (no TLS). */
  public Topology(String scope, String namespace, int offset, String workdir, List<EtcdMember> etcd,
      List<Member> members, Haproxy haproxy, Endpoint prometheus, Endpoint alertmanager, Exporters exporters,
      Endpoint receiver) {
    this(scope, namespace, offset, workdir, etcd, members, haproxy, prometheus, alertmanager, exporters, receiver, null);
  }

  /**
   * The TLS material of a cluster set up with {@code --tls}: the CA every certificate is signed by,
   * the client certificate and key tools present (etcd and Patroni's unsafe endpoints ask for one),
   * and the basic-auth user and password file the exporters' {@code /metrics} need.
   */
  @JsonPropertyOrder({"ca_file", "cert_file", "key_file", "scrape_username", "scrape_password_file"})
  public record Tls(
      @JsonProperty("ca_file") String caFile,
      @JsonProperty("cert_file") String certFile,
      @JsonProperty("key_file") String keyFile,
      @JsonProperty("scrape_username") String scrapeUsername,
      @JsonProperty("scrape_password_file") String scrapePasswordFile) {

    /** Where {@code pgha up --tls} keeps it: {@code <workdir>/tls/} and the scrape password in secrets/. */
    public static Tls in(Path workdir) {
      Path dir = workdir.resolve("tls");
      return new Tls(dir.resolve("ca.crt").toString(), dir.resolve("pgha.crt").toString(),
          dir.resolve("pgha.key").toString(), "prometheus",
          workdir.resolve("secrets").resolve("prometheus.password").toString());
    }
  }

  /** Whether the cluster runs with TLS ({@code pgha up --tls}). */
  public boolean secured() {
    return tls != null;
  }

  /**
   * A JDBC URL of this cluster's PostgreSQL at host:port (a member or HAProxy): on a TLS cluster
   * with {@code sslmode=verify-full} against the cluster's CA.
   */
  public String jdbcUrl(String host, int port, String database) {
    String url = "jdbc:postgresql://" + host + ":" + port + "/" + database;
    return tls == null ? url : url + "?sslmode=verify-full&sslrootcert=" + tls.caFile();
  }

  /**
   * The SSL query of a libpq URI to this cluster's PostgreSQL (postgres_exporter's
   * {@code DATA_SOURCE_URI}, say): {@code sslmode=disable} on a plain cluster, verify-full against
   * the cluster's CA on a TLS one.
   */
  public String libpqSslQuery() {
    return tls == null ? "sslmode=disable" : "sslmode=verify-full&sslrootcert=" + tls.caFile();
  }

  private static String scheme(boolean tls) {
    return tls ? "https" : "http";
  }
  public static final String NAMESPACE = "/service/";
  /** Highest default port (HAProxy write 5000 ... receiver 9814, Patroni 8008); the offset must keep it valid. */
  private static final int HIGHEST_DEFAULT_PORT = 9814;

  /** One etcd member. */
  @JsonPropertyOrder({"name", "host", "client_port", "peer_port"})
  public record EtcdMember(
      String name,
      String host,
      @JsonProperty("client_port") int clientPort,
      @JsonProperty("peer_port") int peerPort,
      @JsonIgnore boolean tls) {
    public EtcdMember(String name, String host, int clientPort, int peerPort) {
      this(name, host, clientPort, peerPort, false);
    }

    public String clientUrl() {
      return scheme(tls) + "://" + host + ":" + clientPort;
    }

    public String peerUrl() {
      return scheme(tls) + "://" + host + ":" + peerPort;
    }
  }

  /** One Patroni member with its PostgreSQL. */
  @JsonPropertyOrder({"name", "host", "pg_port", "rest_port", "data_dir"})
  public record Member(
      String name,
      String host,
      @JsonProperty("pg_port") int pgPort,
      @JsonProperty("rest_port") int restPort,
      @JsonProperty("data_dir") String dataDir,
      @JsonIgnore boolean tls) {
    public Member(String name, String host, int pgPort, int restPort, String dataDir) {
      this(name, host, pgPort, restPort, dataDir, false);
    }

    public String restUrl() {
      return scheme(tls) + "://" + host + ":" + restPort;
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
  public record Exporters(int patroni, int postgres, int etcd, @JsonIgnore boolean tls) {
    public Exporters(int patroni, int postgres, int etcd) {
      this(patroni, postgres, etcd, false);
    }

    /** The port of exporter {@code patroni}, {@code postgres} or {@code etcd}. */
    public int port(String exporter) {
      return switch (exporter) {
        case "patroni" -> patroni;
        case "postgres" -> postgres;
        case "etcd" -> etcd;
        default -> throw new IllegalArgumentException("no exporter " + exporter + " (patroni, postgres, etcd)");
      };
    }

    /** Its {@code /metrics} (https with basic auth on a TLS cluster: lab's HTTP client logs in by itself). */
    public String metricsUrl(String exporter) {
      return url(exporter, "/metrics");
    }

    /** Any path of it ({@code /events}, say), https on a TLS cluster. */
    public String url(String exporter, String path) {
      return scheme(tls) + "://" + LOOPBACK + ":" + port(exporter) + path;
    }
  }

  /** A single HTTP service on one address. */
  @JsonPropertyOrder({"host", "port"})
  public record Endpoint(String host, int port) {
    public String url() {
      return "http://" + host + ":" + port;
    }
  }

  /** The topology of the brief, every port shifted by {@code offset}, without TLS. */
  public static Topology of(Path workdir, int offset) {
    return of(workdir, offset, false);
  }

  /** The topology of the brief, every port shifted by {@code offset}; with TLS when {@code tls}. */
  public static Topology of(Path workdir, int offset, boolean tls) {
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
    String lo = LOOPBACK;
    return new Topology(SCOPE, NAMESPACE, offset, wd, List.copyOf(etcd), List.copyOf(members),
        new Haproxy(lo, 5000 + offset, 5001 + offset, 7001 + offset),
        new Endpoint(lo, 9090 + offset), new Endpoint(lo, 9093 + offset),
        new Exporters(9811 + offset, 9812 + offset, 9813 + offset),
        new Endpoint(lo, 9814 + offset), tls ? Tls.in(Path.of(wd)) : null);
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
