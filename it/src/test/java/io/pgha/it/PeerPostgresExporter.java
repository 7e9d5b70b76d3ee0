package io.pgha.it;

import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Debian's prometheus-postgres-exporter (0.11), started by the test beside ours against one member
 * and stopped by its PID. It logs in as pgha_monitor with the password read from the generated
 * secrets file (DATA_SOURCE_PASS_FILE), so the password is on no command line and in no environment.
 */
final class PeerPostgresExporter implements AutoCloseable {
  static final String BINARY = "/usr/bin/prometheus-postgres-exporter";
  /** Its default port, shifted by the test cluster's offset like every other port. */
  static final int PORT = 9187 + TestCluster.OFFSET;

  private final Process process;
  private final Path log;
  private final String url;

  private PeerPostgresExporter(Process process, Path log, String url) {
    this.process = process;
    this.log = log;
    this.url = url;
  }

  static PeerPostgresExporter start(TestCluster cluster, Topology.Member member, Path logDir) throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve("prometheus-postgres-exporter.log");
    String listen = "127.0.0.1:" + PORT;
    ProcessBuilder pb = new ProcessBuilder(BINARY, "--web.listen-address=" + listen,
        "--log.level=info")
        .redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    // As env -i: nothing inherited (no PGPASSWORD, no DATA_SOURCE_NAME from the caller).
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().put("DATA_SOURCE_URI", member.host() + ":" + member.pgPort() + "/postgres?sslmode=disable");
    pb.environment().put("DATA_SOURCE_USER", Secrets.MONITOR);
    pb.environment().put("DATA_SOURCE_PASS_FILE", Secrets.file(cluster.workdir(), Secrets.MONITOR).toString());
    PeerPostgresExporter peer = new PeerPostgresExporter(pb.start(), log, "http://" + listen + "/metrics");
    try {
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> {
            if (!peer.process.isAlive()) {
              throw new IllegalStateException("prometheus-postgres-exporter exited with "
                  + peer.process.exitValue() + ":\n" + Files.readString(log));
            }
            return peer.scrape().value("pg_up").orElse(0) == 1;
          });
    } catch (RuntimeException | Error e) {
      peer.close();
      throw e;
    }
    return peer;
  }

  long pid() {
    return process.pid();
  }

  MetricsPage scrape() {
    return MetricsPage.scrape(url);
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  /** SIGTERM to its PID, SIGKILL if it lingers. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
