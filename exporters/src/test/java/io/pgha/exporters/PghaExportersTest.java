package io.pgha.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgha.common.CoreMetrics;
import io.pgha.etcd.EtcdMetrics;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.postgres.PostgresMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PghaExportersTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return PghaExporters.execute(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Ports nothing listens on: the exporters' targets, unreachable (each exporter then says so in its metrics). */
  private Path configs(int patroniPort, int postgresPort, int etcdPort, int deadPort) throws IOException {
    Files.writeString(dir.resolve("patroni.yml"), """
        web: {listen_address: '127.0.0.1:%d'}
        patroni:
          clusters:
            - {scope: pgha, members: ['http://127.0.0.1:%d']}
        """.formatted(patroniPort, deadPort));
    Files.writeString(dir.resolve("pw"), "secret\n");
    Files.setPosixFilePermissions(dir.resolve("pw"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Files.writeString(dir.resolve("postgres.yml"), """
        web: {listen_address: '127.0.0.1:%d'}
        postgres:
          username: pgha_monitor
          password_file: %s
          connect_timeout: 500ms
          targets:
            - {scope: pgha, member: pg-1, host: 127.0.0.1, port: %d}
        """.formatted(postgresPort, dir.resolve("pw"), deadPort));
    Files.writeString(dir.resolve("etcd.yml"), """
        web: {listen_address: '127.0.0.1:%d'}
        etcd:
          endpoints: ['http://127.0.0.1:%d']
          scopes: [pgha]
        """.formatted(etcdPort, deadPort));
    return dir;
  }

  private List<String> groups() {
    return List.of("patroni", "--config", dir.resolve("patroni.yml").toString(), "--",
        "postgres", "--config", dir.resolve("postgres.yml").toString(), "--",
        "etcd", "--config", dir.resolve("etcd.yml").toString());
  }

  @Test
  void groupsAreTheExportersAndTheFlagsOfTheirOwnJars() {
    assertThat(PghaExporters.groups(new String[] {"etcd", "--config", "e.yml", "--", "patroni", "--config", "p.yml",
        "--web.listen-address=127.0.0.1:1", "--", "postgres"}))
        .containsExactly(new PghaExporters.Group("etcd", List.of("--config", "e.yml")),
            new PghaExporters.Group("patroni", List.of("--config", "p.yml", "--web.listen-address=127.0.0.1:1")),
            new PghaExporters.Group("postgres", List.of()));
  }

  @Test
  void aConfigErrorInOneExporterNamesItAndExitsTwoBeforeAnythingListens() throws Exception {
    int patroni = freePort();
    int etcd = freePort();
    configs(patroni, freePort(), etcd, freePort());
    Files.writeString(dir.resolve("postgres.yml"), Files.readString(dir.resolve("postgres.yml")).replace("port: ", "port: 7"));

    assertThat(run(groups().toArray(String[]::new))).isEqualTo(2);

    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
        "pgha-exporters: configuration error in exporter-postgres: postgres.targets[0].port: must be between 1 and 65535\n");
    for (int port : new int[] {patroni, etcd}) {
      try (ServerSocket free = new ServerSocket(port)) {
        assertThat(free.getLocalPort()).as("nothing listened on %d", port).isEqualTo(port);
      }
    }
  }

  @Test
  void everyProblemOfTheCommandLineIsNamed() throws Exception {
    int port = freePort();
    configs(port, port, freePort(), freePort());
    List<String> args = new ArrayList<>(List.of("--log.level", "loud", "haproxy", "--", "patroni", "--confg", "x", "--"));
    args.addAll(groups());
    assertThat(run(args.toArray(String[]::new))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        "pgha-exporters: configuration error: unknown exporter 'haproxy' (patroni, postgres, etcd)",
        "pgha-exporters: configuration error: exporter 'patroni' given twice",
        "pgha-exporters: configuration error: --log.level: want debug, info, warn or error, got loud");

    err.reset();
    assertThat(run(groups().toArray(String[]::new))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("pgha-exporters: configuration error in exporter-postgres:"
        + " web.listen_address: 127.0.0.1:" + port + " is exporter-patroni's too\n");

    err.reset();
    assertThat(run("--log.level", "debug")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
        "pgha-exporters: configuration error: no exporter given (patroni, postgres, etcd)\n");
  }

  @Test
  void configCheckValidatesAllThreeAndVersionNamesTheBuild() throws Exception {
    configs(freePort(), freePort(), freePort(), freePort());
    List<String> args = new ArrayList<>(List.of("--config.check"));
    args.addAll(groups());
    assertThat(run(args.toArray(String[]::new))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("pgha-exporters: configuration is valid (exporter-patroni, exporter-postgres, exporter-etcd)\n");
    out.reset();
    assertThat(run("--version")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("pgha-exporters dev\n");
  }

  /** The real thing: a JVM of its own, all three serving, then SIGTERM. */
  @Test
  void allThreeServeFromOneJvmAndStopOnSigterm() throws Exception {
    int[] ports = {freePort(), freePort(), freePort()};
    configs(ports[0], ports[1], ports[2], freePort());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), PghaExporters.class.getName(), "--log.format", "json"));
    command.addAll(groups());
    Path log = dir.resolve("exporters.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      String[] names = {"patroni", "postgres", "etcd"};
      String[] down = {PatroniMetrics.UP.name() + "{scope=\"pgha\"} 0.0",
          PostgresMetrics.UP.name() + "{member=\"pg-1\",scope=\"pgha\"} 0.0", EtcdMetrics.ETCD_UP.name() + " 0.0"};
      for (int i = 0; i < 3; i++) {
        URI metrics = URI.create("http://127.0.0.1:" + ports[i] + "/metrics");
        String body = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(
            () -> http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body(),
            b -> b.contains(CoreMetrics.BUILD_INFO.name()));
        assertThat(body).contains(CoreMetrics.BUILD_INFO.name() + "{exporter=\"" + names[i] + "\",version=\"dev\"} 1.0")
            .contains(down[i]);
      }

      long start = System.nanoTime();
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      long stoppedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(process.exitValue()).isEqualTo(143);
      String logged = Files.readString(log);
      assertThat(logged).contains("\"msg\":\"exporter-patroni, exporter-postgres, exporter-etcd stopped in ")
          .doesNotContain("secret\"");
      System.out.println("pgha-exporters stopped " + stoppedMillis + " ms after SIGTERM");
      for (int port : ports) {
        try (ServerSocket free = new ServerSocket(port)) {
          assertThat(free.getLocalPort()).isEqualTo(port);
        }
      }
    } finally {
      process.destroyForcibly();
    }
  }
}
