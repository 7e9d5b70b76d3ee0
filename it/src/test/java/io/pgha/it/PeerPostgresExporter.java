package io.pgha.it;

import io.pgha.lab.deploy.HelperProcess;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * Debian's prometheus-postgres-exporter (0.11), started by the test beside ours against one member
 * (as lab's {@link HelperProcess}) and stopped by its PID. It logs in as pgha_monitor with the
 * password read from the generated secrets file (DATA_SOURCE_PASS_FILE), so the password is on no
 * command line and in no environment.
 */
final class PeerPostgresExporter implements AutoCloseable {
  static final String BINARY = "/usr/bin/prometheus-postgres-exporter";
  /** Its default port, shifted by the test cluster's offset like every other port. */
  static final int PORT = 9187 + TestCluster.OFFSET;

  private final HelperProcess process;
  private final String url;

  private PeerPostgresExporter(HelperProcess process, String url) {
    this.process = process;
    this.url = url;
  }

  static PeerPostgresExporter start(TestCluster cluster, Topology.Member member, Path logDir) throws IOException {
    String listen = "127.0.0.1:" + PORT;
    // Started as the cluster's own processes are: nothing inherited (no PGPASSWORD, no DATA_SOURCE_NAME).
    HelperProcess process = HelperProcess.start("prometheus-postgres-exporter",
        List.of(BINARY, "--web.listen-address=" + listen, "--log.level=info"),
        Map.of("DATA_SOURCE_URI", member.host() + ":" + member.pgPort() + "/postgres?" + cluster.topology().libpqSslQuery(),
            "DATA_SOURCE_USER", Secrets.MONITOR,
            "DATA_SOURCE_PASS_FILE", Secrets.file(cluster.workdir(), Secrets.MONITOR).toString()),
        logDir.resolve("prometheus-postgres-exporter.log"));
    PeerPostgresExporter peer = new PeerPostgresExporter(process, "http://" + listen + "/metrics");
    try {
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> {
            if (!process.alive()) {
              throw new IllegalStateException("prometheus-postgres-exporter exited:\n" + peer.log());
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
    return Files.readString(process.log());
  }

  /** SIGTERM to its process group, SIGKILL if it lingers. */
  @Override
  public void close() {
    process.close();
  }
}
