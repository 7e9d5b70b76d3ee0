package io.pgha.bench;

import io.pgha.lab.client.Http;
import io.pgha.lab.client.PatroniApi;
import io.pgha.lab.deploy.Components;
import io.pgha.lab.deploy.Database;
import io.pgha.lab.deploy.Installation;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.deploy.Supervisor;
import io.pgha.lab.topology.Topology;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** What every part of the bench needs: the cluster, its credentials, where to put files, the plan. */
final class BenchContext {
  final Topology t;
  final BenchPlan plan;
  final Secrets secrets;
  final Database db;
  final Supervisor supervisor;
  final Installation installation;
  /** {@code <workdir>/bench}: configs, logs and secrets of the bench's own processes. */
  final Path dir;
  final BenchExporters exporters;
  /** One HTTP client for every scrape the suites make. */
  final Scraper scraper = new Scraper();
  private final PrintStream out;
  private final long t0 = System.nanoTime();
  private final PatroniApi patroni = new PatroniApi(new Http());

  BenchContext(Topology t, BenchPlan plan, Installation installation, PrintStream out) {
    this.t = t;
    this.plan = plan;
    this.secrets = new Secrets(t.workdirPath());
    this.db = new Database(secrets);
    this.supervisor = new Supervisor(t.workdirPath());
    this.installation = installation;
    this.dir = t.workdirPath().resolve("bench");
    this.exporters = new BenchExporters(t, dir, installation);
    this.out = out;
  }

  /** A progress line: time since the bench started, the load average, the text. */
  void say(String format, Object... args) {
    out.printf(Locale.ROOT, "[%6.1fs load %4.1f] %s%n", (System.nanoTime() - t0) / 1e9,
        LoadAverage.now(), String.format(Locale.ROOT, format, args));
    out.flush();
  }

  PrintStream out() {
    return out;
  }

  /** The one running leader Patroni reports, if there is exactly one. */
  Optional<Topology.Member> leader() {
    return patroni.runningLeader(t).map(t::member);
  }

  Topology.Member awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Topology.Member> l = leader();
      if (l.isPresent()) {
        return l.get();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no single running leader after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(200);
    }
  }

  /** The process serving one of the cluster's exporters: its own JVM, or the one they share. */
  long exporterPid(String exporter) {
    return pid(Components.describe(t).exporterProcess(exporter));
  }

  long pid(String component) {
    return supervisor.pid(component).orElseThrow(() -> new IllegalStateException(component
        + " does not run (pgha status shows what is missing; pgha up starts it)"));
  }
}
