package io.pgha.lab.deploy;

import io.pgha.lab.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The text of every configuration file {@code pgha up} writes. Pure: the same topology, secrets
 * and settings always give the same files, so a second {@code up} rewrites them unchanged.
 */
public record ConfigFiles(Topology topology, ClusterSettings settings, Path repoHome) {
  /**
   * How often exporter-patroni reads the members in the background, as {@code pgha up} runs it: a
   * scrape (every 5 s by default) is answered from a round at most about this old.
   */
  public static final Duration PATRONI_REFRESH_INTERVAL = Duration.ofSeconds(1);

  private Path wd() {
    return topology.workdirPath();
  }

  /** Unix socket directory of a member: members share the port, so each needs its own. */
  public static Path socketDir(Path workdir, String member) {
    return workdir.resolve(member).resolve("run");
  }

  /** The WAL archive every primary copies its finished WAL files into (archive_command). */
  public static Path archiveDir(Path workdir) {
    return workdir.resolve("archive");
  }

  /**
   * Rule files of this cluster's own, loaded by its Prometheus beside alerts/rules: empty after
   * {@code up}; tests put lowered thresholds there and reload Prometheus.
   */
  public static Path localRulesDir(Path workdir) {
    return workdir.resolve("rules");
  }

  /**
   * Copies a finished WAL file into the archive as the PostgreSQL docs ask: never overwrites a
   * different file (that fails, so the archiver retries and it shows), succeeds on an identical
   * one (a new leader may archive a file its predecessor already did), and writes under a
   * temporary name first so a half-copied file is never taken for a WAL file.
   *
   * <p>One {@code /bin/sh -c} with the paths as arguments, because two programs run it: PostgreSQL
   * through a shell, and Patroni 3.0.2 (archiving a leader's ready WAL before pg_rewind) split like
   * a shell's words but without one: shell syntax at the top level failed there ("No such file or
   * directory: 'f=...;'"), the WAL stayed unarchived, and the member later failed for good on an old
   * timeline's segment that differed from the one archived meanwhile.
   */
  public static String archiveCommand(Path archive) {
    return "/bin/sh -c 'a=\"" + archive + "/$2\"; if [ -f \"$a\" ]; then cmp -s \"$1\" \"$a\"; "
        + "else cp \"$1\" \"$a.tmp\" && mv \"$a.tmp\" \"$a\"; fi' pgha-archive \"%p\" \"%f\"";
  }

  public String patroni(Topology.Member m, Secrets secrets) {
    String etcdHosts = topology.etcd().stream().map(e -> e.host() + ":" + e.clientPort())
        .collect(Collectors.joining(","));
    Path home = wd().resolve(m.name());
    return """
        # Written by `pgha up`; rewritten on every up. Holds passwords: mode 600.
        scope: %1$s
        namespace: %2$s
        name: %3$s
        restapi:
          listen: %4$s:%5$d
          connect_address: %4$s:%5$d
          authentication:
            username: %6$s
            password: %7$s
        %24$setcd3:
          hosts: %8$s
        %25$sbootstrap:
          dcs:
            ttl: %9$d
            loop_wait: %10$d
            retry_timeout: %11$d
            maximum_lag_on_failover: 1048576
            failsafe_mode: %12$s
            synchronous_mode: %13$s
            postgresql:
              use_pg_rewind: true
              use_slots: true
              parameters:
                wal_level: replica
                hot_standby: 'on'
                wal_log_hints: 'on'
                max_wal_senders: 10
                max_replication_slots: 10
                wal_keep_size: 64MB
                max_connections: 100
                # A real WAL archive, as production clusters have (README: the WAL archive).
                archive_mode: 'on'
                archive_command: '%23$s'
                # A slot may hold back at most this much WAL; beyond it the slot is lost and its
                # standby must be rebuilt, instead of pg_wal filling the disk.
                max_slot_wal_keep_size: 1GB
                # A replica that comes up before the leader made its slot (or that follows a new
                # leader) retries streaming after this; PostgreSQL's 5 s default is most of a
                # cold start's spread.
                wal_retrieve_retry_interval: 1s
          # no-sync (initdb, pg_basebackup): a fresh lab cluster is cheap to recreate, and fsyncing
          # ~40 MB per member costs seconds of start-up on a small VM. The running servers keep fsync on.
          initdb:
            - encoding: UTF8
            - locale: C.UTF-8
            - data-checksums
            - no-sync
        postgresql:
          listen: %4$s:%14$d
          connect_address: %4$s:%14$d
          data_dir: %15$s
          bin_dir: /usr/lib/postgresql/15/bin
          pgpass: %16$s
          authentication:
            superuser:
              username: %17$s
              password: %18$s
            replication:
              username: %19$s
              password: %20$s
        %26$s  parameters:
            unix_socket_directories: '%21$s'
            %27$sshared_buffers: 32MB
            # What each client's statements cost (pgha bench measures the load of a scrape with it);
            # loading it needs a restart, so it is on from the start. About 1 MB of shared memory.
            shared_preload_libraries: pg_stat_statements
            logging_collector: 'on'
            log_directory: '%22$s'
            log_filename: 'postgresql-%%a.log'
            log_truncate_on_rotation: 'on'
            log_line_prefix: '%%m [%%p] %%q%%u@%%d '
          basebackup:
            - checkpoint: fast
            - no-sync
          pg_hba:
            # Only postgres can enter the socket directory (mode 700), so local trust is peer in effect.
            - local all all trust
            %28$s- host all all 127.0.0.0/8 scram-sha-256
        tags:
          nofailover: false
          noloadbalance: false
          clonefrom: false
          nosync: false
        """.formatted(topology.scope(), topology.namespace(), m.name(), m.host(), m.restPort(),
        Secrets.PATRONI_REST, secrets.password(Secrets.PATRONI_REST), etcdHosts,
        settings.ttl(), settings.loopWait(), settings.retryTimeout(), settings.failsafeMode(),
        settings.synchronousMode(), m.pgPort(), m.dataDir(), home.resolve("pgpass"),
        Secrets.SUPERUSER, secrets.password(Secrets.SUPERUSER), Secrets.REPLICATION,
        secrets.password(Secrets.REPLICATION), socketDir(wd(), m.name()),
        wd().resolve("logs").resolve("postgresql-" + m.name()), archiveCommand(archiveDir(wd())).replace("'", "''"),
        restapiTls(m), etcdTls(m), replicationTls(), postgresTls(m), hba());
  }

  // ---- TLS (pgha up --tls): only what differs from the plain cluster ----

  private ClusterPki pki() {
    return new ClusterPki(topology);
  }

  /**
   * Patroni's REST API over HTTPS; a client certificate signed by the cluster's CA is required for
   * the unsafe endpoints (switchover, restart, config: Patroni's {@code verify_client: optional}
   * asks for one on those only, so HAProxy's checks and reads stay light). {@code ctl} is what
   * Patroni itself (and patronictl) present to the other members. Lines of restapi, then ctl.
   */
  private String restapiTls(Topology.Member m) {
    if (!topology.secured()) {
      return "";
    }
    ClusterPki pki = pki();
    return lines(0, "  certfile: " + pki.cert(m.name()), "  keyfile: " + pki.key(m.name()),
        "  cafile: " + topology.tls().caFile(), "  verify_client: optional",
        "ctl:", "  certfile: " + pki.cert(m.name()), "  keyfile: " + pki.key(m.name()), "  cacert: " + topology.tls().caFile());
  }

  /** Patroni to etcd over TLS with the member's own certificate (etcd runs with --client-cert-auth). */
  private String etcdTls(Topology.Member m) {
    if (!topology.secured()) {
      return "";
    }
    ClusterPki pki = pki();
    return lines(2, "protocol: https", "cacert: " + topology.tls().caFile(), "cert: " + pki.cert(m.name()),
        "key: " + pki.key(m.name()));
  }

  /** Replicas stream over SSL, checking the primary's certificate and address. */
  private String replicationTls() {
    return topology.secured() ? lines(6, "sslmode: verify-full", "sslrootcert: " + topology.tls().caFile()) : "";
  }

  /** PostgreSQL with ssl on; the CA lets clients present certificates (the exporters do). */
  private String postgresTls(Topology.Member m) {
    if (!topology.secured()) {
      return "";
    }
    ClusterPki pki = pki();
    return lines(0, "ssl: 'on'", "    ssl_cert_file: " + pki.cert(m.name()), "    ssl_key_file: " + pki.key(m.name()),
        "    ssl_ca_file: " + topology.tls().caFile()) + "    ";
  }

  /** Replication and the monitoring role only over SSL on a TLS cluster; the others either way. */
  private String hba() {
    if (!topology.secured()) {
      return "- host replication " + Secrets.REPLICATION + " 127.0.0.0/8 scram-sha-256\n    ";
    }
    return lines(0, "- hostssl replication " + Secrets.REPLICATION + " 127.0.0.0/8 scram-sha-256",
        "    - hostssl all " + Secrets.MONITOR + " 127.0.0.0/8 scram-sha-256",
        "    - hostnossl all " + Secrets.MONITOR + " 127.0.0.0/8 reject") + "    ";
  }

  /** YAML lines, each indented by {@code indent} spaces and ended by a newline. */
  private static String lines(int indent, String... lines) {
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      sb.append(" ".repeat(indent)).append(line).append('\n');
    }
    return sb.toString();
  }

  /**
   * etcd takes flags, not a file; the same flags restart a member ({@code existing} with data). On
   * a TLS cluster both ports serve TLS and ask for a client certificate of the cluster's CA.
   */
  public List<String> etcdCommand(Topology.EtcdMember e, boolean hasData) {
    String initialCluster = topology.etcd().stream().map(x -> x.name() + "=" + x.peerUrl())
        .collect(Collectors.joining(","));
    List<String> flags = new ArrayList<>(List.of("etcd",
        "--name", e.name(),
        "--data-dir", wd().resolve(e.name()).toString(),
        "--listen-client-urls", e.clientUrl(),
        "--advertise-client-urls", e.clientUrl(),
        "--listen-peer-urls", e.peerUrl(),
        "--initial-advertise-peer-urls", e.peerUrl(),
        "--initial-cluster", initialCluster,
        "--initial-cluster-state", hasData ? "existing" : "new",
        "--initial-cluster-token", topology.scope() + "-" + topology.offset(),
        "--heartbeat-interval", "100",
        "--election-timeout", "1000",
        "--snapshot-count", "10000",
        "--auto-compaction-mode", "periodic",
        "--auto-compaction-retention", "1h",
        "--logger", "zap",
        "--log-outputs", "stderr"));
    if (topology.secured()) {
      ClusterPki pki = pki();
      String cert = pki.cert(e.name()).toString();
      String key = pki.key(e.name()).toString();
      flags.addAll(List.of("--cert-file", cert, "--key-file", key, "--trusted-ca-file", topology.tls().caFile(),
          "--client-cert-auth", "--peer-cert-file", cert, "--peer-key-file", key,
          "--peer-trusted-ca-file", topology.tls().caFile(), "--peer-client-cert-auth"));
    }
    return List.copyOf(flags);
  }

  public String haproxy() {
    StringBuilder write = new StringBuilder();
    StringBuilder read = new StringBuilder();
    for (Topology.Member m : topology.members()) {
      // On a TLS cluster the checks speak HTTPS to Patroni, check its certificate (CA and name)
      // and show the pgha client certificate; PostgreSQL's own traffic passes through as it is.
      String tls = !topology.secured() ? "" : " check-ssl verify required ca-file %s crt %s verifyhost %s"
          .formatted(topology.tls().caFile(), pki().haproxyPem(), m.name());
      String server = "    server %s %s:%d check port %d%s%n".formatted(m.name(), m.host(), m.pgPort(),
          m.restPort(), tls);
      write.append(server);
      read.append(server);
    }
    Topology.Haproxy h = topology.haproxy();
    return """
        # Written by `pgha up`.
        global
            maxconn 1000
            log stderr format short local0 notice
            # The runtime API (root only): tests and drills force server states through it.
            stats socket %7$s mode 600 level admin

        defaults
            mode tcp
            log global
            # A connection refused by a server that just went away is retried once, on another
            # server, at once: HAProxy's own retry of the same server waits 1 s, and the client's
            # login times out meanwhile (the drills measured that second after every leader change).
            retries 1
            option redispatch 1
            timeout connect 2s
            timeout client 30m
            timeout server 30m
            timeout check 1s
            # Fast failover (docs/drills.md): a server is marked DOWN at its first refused connection
            # or after two failed checks 100 ms apart; a DOWN one (the replica about to be promoted)
            # is checked every 100 ms and UP after one good check.
            default-server inter 1s fastinter 100ms downinter 100ms fall 2 rise 1 observe layer4 error-limit 1 on-error mark-down on-marked-down shutdown-sessions

        frontend stats
            mode http
            bind %1$s:%4$d
            http-request use-service prometheus-exporter if { path /metrics }
            stats enable
            stats uri /
            stats refresh 5s

        listen write
            bind %1$s:%2$d
            option httpchk
            http-check send meth OPTIONS uri /primary
            http-check expect status 200
        %5$s
        listen read
            bind %1$s:%3$d
            balance roundrobin
            option httpchk
            http-check send meth OPTIONS uri /replica
            http-check expect status 200
        %6$s""".formatted(h.host(), h.writePort(), h.readPort(), h.statsPort(), write, read,
        topology.haproxySocket());
  }

  public String prometheus() {
    StringBuilder sb = new StringBuilder();
    sb.append("""
        # Written by `pgha up`.
        global:
          scrape_interval: %1$s
          scrape_timeout: %2$s
          evaluation_interval: %1$s
          external_labels:
            cluster: %3$s
        rule_files:
          - %4$s
          - %7$s
        alerting:
          alertmanagers:
            - static_configs:
                - targets: ['%5$s:%6$d']
        scrape_configs:
        """.formatted(settings.scrapeIntervalText(), settings.scrapeTimeout(), topology.scope(),
        repoHome.resolve("alerts").resolve("rules").resolve("*.yml"),
        topology.alertmanager().host(), topology.alertmanager().port(), localRulesDir(wd()).resolve("*.yml")));
    sb.append("  - job_name: patroni\n").append(clientCertificate()).append("    static_configs:\n");
    for (Topology.Member m : topology.members()) {
      sb.append("      - targets: ['%s:%d']%n        labels: {member: %s}%n"
          .formatted(m.host(), m.restPort(), m.name()));
    }
    sb.append("  - job_name: etcd\n").append(clientCertificate()).append("    static_configs:\n");
    for (Topology.EtcdMember e : topology.etcd()) {
      sb.append("      - targets: ['%s:%d']%n        labels: {member: %s}%n"
          .formatted(e.host(), e.clientPort(), e.name()));
    }
    String lo = topology.haproxy().host();
    job(sb, "haproxy", lo, topology.haproxy().statsPort(), "");
    job(sb, "pgha-patroni", lo, topology.exporters().patroni(), exporterLogin());
    job(sb, "pgha-postgres", lo, topology.exporters().postgres(), exporterLogin());
    job(sb, "pgha-dcs", lo, topology.exporters().etcd(), exporterLogin());
    job(sb, "prometheus", topology.prometheus().host(), topology.prometheus().port(), "");
    job(sb, "alertmanager", topology.alertmanager().host(), topology.alertmanager().port(), "");
    return sb.toString();
  }

  private static void job(StringBuilder sb, String name, String host, int port, String scheme) {
    sb.append("  - job_name: %s%n%s    static_configs:%n      - targets: ['%s:%d']%n"
        .formatted(name, scheme, host, port));
  }

  /** Prometheus to Patroni and etcd on a TLS cluster: https, their CA, the pgha client certificate. */
  private String clientCertificate() {
    if (!topology.secured()) {
      return "";
    }
    return lines(4, "scheme: https", "tls_config:", "  ca_file: " + topology.tls().caFile(),
        "  cert_file: " + topology.tls().certFile(), "  key_file: " + topology.tls().keyFile());
  }

  /** Prometheus to the exporters on a TLS cluster: https and basic auth (their web config). */
  private String exporterLogin() {
    if (!topology.secured()) {
      return "";
    }
    return lines(4, "scheme: https", "basic_auth:", "  username: " + topology.tls().scrapeUsername(),
        "  password_file: " + topology.tls().scrapePasswordFile(), "tls_config:", "  ca_file: " + topology.tls().caFile());
  }

  public String alertmanager() {
    return """
        # Written by `pgha up`: every notification goes to the pgha receiver.
        route:
          receiver: pgha
          group_by: [scope, alertname]
          group_wait: 2s
          group_interval: 10s
          repeat_interval: 1h
          routes:
            # One alert per leader change: each in a group of its own, sent after group_wait even
            # while the previous change's group still exists (see alerts/README.md#alertmanager).
            - matchers: ['alertname="PghaPatroniFailover"']
              group_by: [scope, alertname, from, to, kind]
        receivers:
          - name: pgha
            webhook_configs:
              - url: %s/alerts
                send_resolved: true
        """.formatted(topology.receiver().url());
  }

  public String exporterPatroni() {
    return secured(exporterPatroni(topology.haproxy().host(), topology.exporters().patroni(), topology.scope(),
        topology.members().stream().map(Topology.Member::restUrl).toList()),
        clientFiles("ca_file", "cert_file", "key_file"));
  }

  public String exporterPostgres() {
    return secured(exporterPostgres(topology.haproxy().host(), topology.exporters().postgres(), Secrets.MONITOR,
        Secrets.file(wd(), Secrets.MONITOR), topology.scope(), topology.members()),
        topology.secured() ? "  sslmode: verify-full\n" + clientFiles("sslrootcert", "sslcert", "sslkey") : "");
  }

  public String exporterEtcd() {
    return secured(exporterEtcd(topology.haproxy().host(), topology.exporters().etcd(),
        topology.etcd().stream().map(Topology.EtcdMember::clientUrl).toList(), topology.namespace(),
        List.of(topology.scope())), clientFiles("ca_file", "cert_file", "key_file"));
  }

  /** exporter-etcd on these etcd endpoints, watching these scopes under {@code namespace}, listening on host:port. */
  public static String exporterEtcd(String host, int port, List<String> endpoints, String namespace,
      List<String> scopes) {
    return exporterHead(host, port) + """
        etcd:
          endpoints: [%s]
          namespace: %s
          scopes: [%s]
        """.formatted(String.join(", ", endpoints), namespace, String.join(", ", scopes));
  }

  /** Where the exporters' web config lives on a TLS cluster. */
  public Path exportersWebConfig() {
    return wd().resolve("config").resolve("exporters-web.yml");
  }

  /**
   * The exporters' web config on a TLS cluster (exporter-toolkit format): https with the pgha
   * certificate, and Prometheus's login. The bcrypt hash is salted from the password itself, so
   * the same password always gives the same file.
   */
  public String exportersWebConfig(Secrets secrets) {
    String password = secrets.password(Secrets.SCRAPE);
    byte[] salt;
    try {
      salt = java.util.Arrays.copyOf(java.security.MessageDigest.getInstance("SHA-256")
          .digest(("pgha exporters web config " + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)), 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String hash = new String(at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hash(10, salt,
        password.getBytes(java.nio.charset.StandardCharsets.UTF_8)), java.nio.charset.StandardCharsets.US_ASCII);
    return """
        # Written by `pgha up --tls`: the exporters serve https and want Prometheus to log in.
        tls_server_config:
          cert_file: %s
          key_file: %s
        basic_auth_users:
          %s: '%s'
        """.formatted(topology.tls().certFile(), topology.tls().keyFile(), topology.tls().scrapeUsername(), hash);
  }

  /** An exporter's file as on a plain cluster, plus on a TLS cluster its web config and {@code tlsLines} (at the end of its section). */
  private String secured(String plain, String tlsLines) {
    if (!topology.secured()) {
      return plain;
    }
    return plain.replaceFirst("(?m)^  telemetry_path: /metrics$",
        "  telemetry_path: /metrics\n  config_file: " + exportersWebConfig()) + tlsLines;
  }

  /** The cluster's CA and the pgha client certificate under these key names, as section lines. */
  private String clientFiles(String ca, String cert, String key) {
    return clientFiles(topology, ca, cert, key);
  }

  /**
   * {@code t}'s CA and the pgha client certificate under these key names, as lines of an
   * exporter's section (nothing on a plain cluster): for exporters the tools run on it.
   */
  public static String clientFiles(Topology t, String ca, String cert, String key) {
    return !t.secured() ? "" : lines(2, ca + ": " + t.tls().caFile(), cert + ": " + t.tls().certFile(),
        key + ": " + t.tls().keyFile());
  }

  /** exporter-patroni watching one scope through these members' REST APIs, listening on host:port. */
  public static String exporterPatroni(String host, int port, String scope, List<String> memberUrls) {
    return exporterPatroni(host, port, Map.of(scope, memberUrls));
  }

  /**
   * exporter-patroni watching several scopes, each through its members' REST APIs, listening on
   * host:port, reading them in the background every {@link #PATRONI_REFRESH_INTERVAL}.
   */
  public static String exporterPatroni(String host, int port, Map<String, List<String>> memberUrlsByScope) {
    return exporterPatroni(host, port, memberUrlsByScope, Optional.of(PATRONI_REFRESH_INTERVAL));
  }

  /** As above, with this {@code refresh_interval}; none: the members are read on each scrape. */
  public static String exporterPatroni(String host, int port, Map<String, List<String>> memberUrlsByScope,
      Optional<Duration> refreshInterval) {
    StringBuilder clusters = new StringBuilder();
    memberUrlsByScope.forEach((scope, urls) -> clusters.append("""
            - scope: %s
              members: [%s]
        """.formatted(scope, String.join(", ", urls))));
    String refresh = refreshInterval.map(d -> "  refresh_interval: " + d.toMillis() + "ms\n").orElse("");
    return exporterHead(host, port) + """
        patroni:
        %s  clusters:
        %s""".formatted(refresh, clusters);
  }

  /**
   * exporter-postgres logged in as {@code user} (password in {@code passwordFile}), one target per
   * member, each with its data directory (CPU and memory from /proc), listening on host:port.
   */
  public static String exporterPostgres(String host, int port, String user, Path passwordFile, String scope,
      List<Topology.Member> targets) {
    return exporterPostgres(host, port, user, passwordFile, targets.stream()
        .map(m -> new PostgresTarget(scope, m.name(), m)).toList());
  }

  /** One target of exporter-postgres: the scope and member names it is shown under, and the member it reads. */
  public record PostgresTarget(String scope, String name, Topology.Member member) {}

  /** exporter-postgres with these targets, logged in as {@code user}, listening on host:port. */
  public static String exporterPostgres(String host, int port, String user, Path passwordFile,
      List<PostgresTarget> targets) {
    StringBuilder list = new StringBuilder();
    for (PostgresTarget target : targets) {
      Topology.Member m = target.member();
      list.append("""
              - scope: %s
                member: %s
                host: %s
                port: %d
                database: postgres
                data_directory: %s
          """.formatted(target.scope(), target.name(), m.host(), m.pgPort(), m.dataDir()));
    }
    return exporterHead(host, port) + """
        postgres:
          username: %s
          password_file: %s
          targets:
        %s""".formatted(user, passwordFile, list);
  }

  /** What every exporter's file starts with: where it listens and its scrape deadline. */
  private static String exporterHead(String host, int port) {
    return """
        web:
          listen_address: %s:%d
          telemetry_path: /metrics
        scrape:
          timeout: 4s
        """.formatted(host, port);
  }
}
