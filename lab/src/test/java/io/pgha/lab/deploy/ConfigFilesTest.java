package io.pgha.lab.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgha.lab.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path wd;
  Topology t;
  Secrets secrets;
  ConfigFiles files;

  @BeforeEach
  void setUp() throws Exception {
    t = Topology.of(wd, 10000);
    secrets = new Secrets(wd);
    secrets.ensure();
    files = new ConfigFiles(t, ClusterSettings.DEFAULTS, Path.of("/repo"));
  }

  @Test
  void patroniConfigHasTheFastFailoverProfileAndItsOwnSocketDir() throws Exception {
    JsonNode p = YAML.readTree(files.patroni(t.member("pg-2"), secrets));
    assertThat(p.path("scope").asText()).isEqualTo("pgha");
    assertThat(p.path("namespace").asText()).isEqualTo("/service/");
    assertThat(p.path("name").asText()).isEqualTo("pg-2");
    assertThat(p.at("/restapi/listen").asText()).isEqualTo("127.0.0.22:18008");
    assertThat(p.at("/etcd3/hosts").asText())
        .isEqualTo("127.0.0.11:12379,127.0.0.12:12379,127.0.0.13:12379");
    JsonNode dcs = p.at("/bootstrap/dcs");
    assertThat(dcs.path("ttl").asInt()).isEqualTo(10);
    assertThat(dcs.path("loop_wait").asInt()).isEqualTo(2);
    assertThat(dcs.path("retry_timeout").asInt()).isEqualTo(4);
    assertThat(dcs.path("failsafe_mode").asBoolean()).isFalse();
    assertThat(dcs.path("synchronous_mode").asBoolean()).isFalse();
    assertThat(dcs.at("/postgresql/use_pg_rewind").asBoolean()).isTrue();
    assertThat(dcs.at("/postgresql/use_slots").asBoolean()).isTrue();
    assertThat(dcs.at("/postgresql/parameters/archive_mode").asText()).isEqualTo("on");
    assertThat(dcs.at("/postgresql/parameters/archive_command").asText())
        .isEqualTo(ConfigFiles.archiveCommand(Path.of(wd + "/archive")));
    assertThat(dcs.at("/postgresql/parameters/max_slot_wal_keep_size").asText()).isEqualTo("1GB");
    assertThat(p.at("/postgresql/listen").asText()).isEqualTo("127.0.0.22:15432");
    assertThat(p.at("/postgresql/data_dir").asText()).isEqualTo(wd + "/pg-2/data");
    assertThat(p.at("/postgresql/parameters/unix_socket_directories").asText()).isEqualTo(wd + "/pg-2/run");
    assertThat(p.at("/postgresql/authentication/replication/password").asText())
        .isEqualTo(secrets.password(Secrets.REPLICATION));
  }

  /**
   * The command as PostgreSQL runs it (%p relative to the data directory, through /bin/sh) and as
   * Patroni 3.0.2 runs it before pg_rewind (%p absolute, split with Python's shlex, no shell): both
   * must give the same exit code, which is returned.
   */
  private static int archive(Path dataDir, Path archive, String walFile) throws Exception {
    String command = ConfigFiles.archiveCommand(archive).replace("%f", walFile);
    int postgres = run(dataDir, "/bin/sh", "-c", command.replace("%p", "pg_wal/" + walFile));
    int patroni = run(dataDir, "python3", "-c", "import shlex, subprocess, sys; sys.exit(subprocess.call(shlex.split(sys.argv[1])))",
        command.replace("%p", dataDir.resolve("pg_wal").resolve(walFile).toString()));
    assertThat(patroni).as("Patroni's way, as PostgreSQL's").isEqualTo(postgres);
    return postgres;
  }

  private static int run(Path dir, String... command) throws Exception {
    return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
  }

  @Test
  void archiveCommandCopiesOnceAcceptsTheSameFileAgainAndRefusesADifferentOne() throws Exception {
    Path data = Files.createDirectories(wd.resolve("data/pg_wal"));
    Path archive = Files.createDirectories(wd.resolve("archive"));
    Files.writeString(data.resolve("000000010000000000000001"), "segment one");

    assertThat(archive(data.getParent(), archive, "000000010000000000000001")).isZero();
    assertThat(Files.readString(archive.resolve("000000010000000000000001"))).isEqualTo("segment one");
    assertThat(archive(data.getParent(), archive, "000000010000000000000001")).as("the same file again").isZero();

    Files.writeString(data.resolve("000000010000000000000001"), "another history");
    assertThat(archive(data.getParent(), archive, "000000010000000000000001")).as("a different file").isNotZero();
    assertThat(Files.readString(archive.resolve("000000010000000000000001"))).isEqualTo("segment one");
    assertThat(archive(data.getParent(), archive, "000000010000000000000002")).as("a missing file").isNotZero();
    try (var left = Files.list(archive)) {
      assertThat(left.map(f -> f.getFileName().toString())).containsExactly("000000010000000000000001");
    }
  }

  @Test
  void failsafeAndSynchronousModeAreOptions() throws Exception {
    ConfigFiles f = new ConfigFiles(t, new ClusterSettings(30, 10, 10, true, true,
        java.time.Duration.ofSeconds(15)), Path.of("/repo"));
    JsonNode dcs = YAML.readTree(f.patroni(t.member("pg-1"), secrets)).at("/bootstrap/dcs");
    assertThat(dcs.path("ttl").asInt()).isEqualTo(30);
    assertThat(dcs.path("failsafe_mode").asBoolean()).isTrue();
    assertThat(dcs.path("synchronous_mode").asBoolean()).isTrue();
  }

  @Test
  void haproxyChecksAreTunedForFastFailover() {
    assertThat(files.haproxy()).contains("    retries 1\n    option redispatch 1\n").contains("    default-server "
        + "inter 1s fastinter 100ms downinter 100ms fall 2 rise 1 observe layer4 error-limit 1 on-error mark-down "
        + "on-marked-down shutdown-sessions\n");
  }

  @Test
  void haproxyChecksPatroniWithOptions() {
    String cfg = files.haproxy();
    assertThat(cfg).contains("""
        listen write
            bind 127.0.0.1:15000
            option httpchk
            http-check send meth OPTIONS uri /primary
            http-check expect status 200
            server pg-1 127.0.0.21:15432 check port 18008
            server pg-2 127.0.0.22:15432 check port 18008
            server pg-3 127.0.0.23:15432 check port 18008
        """);
    assertThat(cfg).contains("bind 127.0.0.1:15001").contains("http-check send meth OPTIONS uri /replica")
        .contains("bind 127.0.0.1:17001")
        .contains("http-request use-service prometheus-exporter if { path /metrics }")
        .contains("on-marked-down shutdown-sessions");
  }

  @Test
  void prometheusScrapesTheJobsOfTheBrief() throws Exception {
    JsonNode p = YAML.readTree(files.prometheus());
    assertThat(p.at("/global/scrape_interval").asText()).isEqualTo("5000ms");
    assertThat(p.at("/rule_files/0").asText()).isEqualTo("/repo/alerts/rules/*.yml");
    assertThat(p.at("/rule_files/1").asText()).isEqualTo(wd + "/rules/*.yml");
    assertThat(p.at("/alerting/alertmanagers/0/static_configs/0/targets/0").asText())
        .isEqualTo("127.0.0.1:19093");
    List<String> jobs = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    for (JsonNode job : p.path("scrape_configs")) {
      jobs.add(job.path("job_name").asText());
      for (JsonNode sc : job.path("static_configs")) {
        sc.path("targets").forEach(x -> targets.add(job.path("job_name").asText() + "=" + x.asText()));
      }
    }
    assertThat(jobs).containsExactly("patroni", "etcd", "haproxy", "pgha-patroni", "pgha-postgres",
        "pgha-dcs", "prometheus", "alertmanager");
    assertThat(targets).containsExactly("patroni=127.0.0.21:18008", "patroni=127.0.0.22:18008",
        "patroni=127.0.0.23:18008", "etcd=127.0.0.11:12379", "etcd=127.0.0.12:12379",
        "etcd=127.0.0.13:12379", "haproxy=127.0.0.1:17001", "pgha-patroni=127.0.0.1:19811",
        "pgha-postgres=127.0.0.1:19812", "pgha-dcs=127.0.0.1:19813", "prometheus=127.0.0.1:19090",
        "alertmanager=127.0.0.1:19093");
  }

  @Test
  void alertmanagerRoutesToTheReceiverGroupedByScopeAndAlertname() throws Exception {
    JsonNode a = YAML.readTree(files.alertmanager());
    assertThat(a.at("/route/receiver").asText()).isEqualTo("pgha");
    assertThat(a.at("/route/group_by").toString()).isEqualTo("[\"scope\",\"alertname\"]");
    assertThat(a.at("/route/routes/0/matchers/0").asText()).isEqualTo("alertname=\"PghaPatroniFailover\"");
    assertThat(a.at("/route/routes/0/group_by").toString())
        .isEqualTo("[\"scope\",\"alertname\",\"from\",\"to\",\"kind\"]");
    assertThat(a.at("/receivers/0/webhook_configs/0/url").asText()).isEqualTo("http://127.0.0.1:19814/alerts");
  }

  @Test
  void exporterConfigsFollowTheBrief() throws Exception {
    JsonNode patroni = YAML.readTree(files.exporterPatroni());
    assertThat(patroni.at("/web/listen_address").asText()).isEqualTo("127.0.0.1:19811");
    assertThat(patroni.at("/patroni/clusters/0/scope").asText()).isEqualTo("pgha");
    assertThat(patroni.at("/patroni/refresh_interval").asText()).isEqualTo("1000ms");
    assertThat(patroni.at("/patroni/clusters/0/members").toString()).isEqualTo(
        "[\"http://127.0.0.21:18008\",\"http://127.0.0.22:18008\",\"http://127.0.0.23:18008\"]");

    JsonNode postgres = YAML.readTree(files.exporterPostgres());
    assertThat(postgres.at("/web/listen_address").asText()).isEqualTo("127.0.0.1:19812");
    assertThat(postgres.at("/postgres/username").asText()).isEqualTo("pgha_monitor");
    assertThat(postgres.at("/postgres/password_file").asText()).isEqualTo(wd + "/secrets/pgha_monitor.password");
    assertThat(postgres.at("/postgres/targets").size()).isEqualTo(3);
    assertThat(postgres.at("/postgres/targets/2").toString()).isEqualTo(
        "{\"scope\":\"pgha\",\"member\":\"pg-3\",\"host\":\"127.0.0.23\",\"port\":15432,"
            + "\"database\":\"postgres\",\"data_directory\":\"" + wd + "/pg-3/data\"}");

    JsonNode etcd = YAML.readTree(files.exporterEtcd());
    assertThat(etcd.at("/web/listen_address").asText()).isEqualTo("127.0.0.1:19813");
    assertThat(etcd.at("/etcd/endpoints").toString()).isEqualTo(
        "[\"http://127.0.0.11:12379\",\"http://127.0.0.12:12379\",\"http://127.0.0.13:12379\"]");
    assertThat(etcd.at("/etcd/namespace").asText()).isEqualTo("/service/");
    assertThat(etcd.at("/etcd/scopes/0").asText()).isEqualTo("pgha");
  }

  @Test
  void exporterConfigsForOtherTargetsAndPorts() throws Exception {
    Topology.Member primary = t.member("pg-2");
    JsonNode postgres = YAML.readTree(ConfigFiles.exporterPostgres("127.0.0.1", 19822, "pgha_bench",
        Path.of("/w/bench/secrets/pgha_bench.password"), "pgha", List.of(primary)));
    assertThat(postgres.at("/web/listen_address").asText()).isEqualTo("127.0.0.1:19822");
    assertThat(postgres.at("/scrape/timeout").asText()).isEqualTo("4s");
    assertThat(postgres.at("/postgres/username").asText()).isEqualTo("pgha_bench");
    assertThat(postgres.at("/postgres/password_file").asText()).isEqualTo("/w/bench/secrets/pgha_bench.password");
    assertThat(postgres.at("/postgres/targets").size()).isEqualTo(1);
    assertThat(postgres.at("/postgres/targets/0/member").asText()).isEqualTo("pg-2");

    JsonNode patroni = YAML.readTree(ConfigFiles.exporterPatroni("127.0.0.1", 19821, "pgha-sim",
        List.of("http://127.0.0.1:40001", "http://127.0.0.1:40002")));
    assertThat(patroni.at("/web/listen_address").asText()).isEqualTo("127.0.0.1:19821");
    assertThat(patroni.at("/patroni/clusters/0/scope").asText()).isEqualTo("pgha-sim");
    assertThat(patroni.at("/patroni/clusters/0/members").toString())
        .isEqualTo("[\"http://127.0.0.1:40001\",\"http://127.0.0.1:40002\"]");
    JsonNode onEachScrape = YAML.readTree(ConfigFiles.exporterPatroni("127.0.0.1", 19829,
        Map.of("pgha", List.of("http://127.0.0.1:40001")), Optional.empty()));
    assertThat(onEachScrape.at("/patroni/refresh_interval").isMissingNode()).isTrue();
    assertThat(onEachScrape.at("/patroni/clusters/0/scope").asText()).isEqualTo("pgha");
  }

  @Test
  void onlyPatroniConfigHoldsPasswords() {
    for (String user : Secrets.USERS) {
      String pw = secrets.password(user);
      assertThat(files.haproxy() + files.prometheus() + files.alertmanager() + files.exporterPatroni()
          + files.exporterPostgres() + files.exporterEtcd()).doesNotContain(pw);
    }
  }

  @Test
  void etcdRestartsAsExistingWhenItHasData() {
    List<String> fresh = files.etcdCommand(t.etcd().get(0), false);
    assertThat(String.join(" ", fresh)).contains("--name etcd-1")
        .contains("--initial-cluster etcd-1=http://127.0.0.11:12380,etcd-2=http://127.0.0.12:12380,"
            + "etcd-3=http://127.0.0.13:12380")
        .contains("--initial-cluster-state new")
        .contains("--listen-client-urls http://127.0.0.11:12379");
    assertThat(files.etcdCommand(t.etcd().get(0), true)).containsSequence("--initial-cluster-state", "existing");
  }

  @Test
  void secretsAreMode600InADirectoryOfMode700AndStable() throws Exception {
    assertThat(Files.getPosixFilePermissions(wd.resolve("secrets")))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    for (String user : Secrets.USERS) {
      Path f = Secrets.file(wd, user);
      assertThat(Files.getPosixFilePermissions(f))
          .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      assertThat(secrets.password(user)).matches("[A-Za-z0-9]{32}");
    }
    String before = secrets.password(Secrets.APP);
    secrets.ensure();
    assertThat(secrets.password(Secrets.APP)).isEqualTo(before);
  }
}
