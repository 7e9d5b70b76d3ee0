package io.pgha.bench;

import io.pgha.lab.deploy.ClusterDown;
import io.pgha.lab.deploy.ClusterSettings;
import io.pgha.lab.deploy.ClusterUp;
import io.pgha.lab.deploy.Component;
import io.pgha.lab.deploy.Components;
import io.pgha.lab.deploy.Supervisor;
import io.pgha.lab.topology.Topology;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pgha bench tls}: what TLS costs a scrape. The bench's cluster and a twin of it with the
 * other setting ({@code pgha up --tls} beside a plain one, or plain beside a TLS one), at the
 * offset given, run at once; each exporter of both is scraped by one scraper in interleaved
 * rounds, so a change of the machine's load hits both alike. The twin is started for the run and
 * stopped (its work dir wiped) afterwards, unless it already ran.
 */
record TlsSuite(BenchContext c, int twinOffset) {
  /** The twin's work dir: the bench's with {@code -tls} (or {@code -plain}) appended. */
  static Path twinWorkdir(Topology t) {
    return Path.of(t.workdir() + (t.secured() ? "-plain" : "-tls"));
  }

  List<TlsRow> run() throws Exception {
    Topology twin = Topology.of(twinWorkdir(c.t), twinOffset, !c.t.secured());
    Topology plain = c.t.secured() ? twin : c.t;
    Topology tls = c.t.secured() ? c.t : twin;
    Supervisor sup = new Supervisor(twin.workdirPath());
    List<Component> all = Components.describe(twin).all();
    boolean startedHere = all.stream().anyMatch(x -> sup.pid(x.name()).isEmpty());
    if (startedHere) {
      c.say("starting a %s twin of the cluster in %s, offset %d", twin.secured() ? "TLS" : "plain",
          twin.workdir(), twinOffset);
      new ClusterUp(twin, ClusterSettings.DEFAULTS, c.installation, c.out()).run(300);
    }
    try {
      return measure(plain, tls);
    } finally {
      if (startedHere) {
        c.say("stopping the twin the bench started");
        new ClusterDown(twin, c.out()).run(true);
      }
    }
  }

  private List<TlsRow> measure(Topology plain, Topology tls) throws InterruptedException {
    int perRound = Math.max(1, c.plan.scrapes() / c.plan.rounds());
    c.say("TLS cost: %d rounds of %d scrapes per exporter, the plain and the TLS cluster taking turns",
        c.plan.rounds(), perRound);
    List<TlsRow> rows = new ArrayList<>();
    for (String exporter : Components.EXPORTERS) {
      URI[] urls = {URI.create(plain.exporters().metricsUrl(exporter)), URI.create(tls.exporters().metricsUrl(exporter))};
      long[] pids = {exporterPid(plain, exporter), exporterPid(tls, exporter)};
      List<List<Scraper.Run>> runs = List.of(new ArrayList<>(), new ArrayList<>());
      Duration[] cpu = {Duration.ZERO, Duration.ZERO};
      for (URI url : urls) {
        c.scraper.warmUp(url, c.plan.warmUp());
      }
      LoadAverage.Start load = LoadAverage.start();
      for (int round = 0; round < c.plan.rounds(); round++) {
        for (int k = 0; k < 2; k++) {
          // Each round the other cluster goes first, so neither always follows the other's series.
          int i = (round + k) % 2;
          Duration before = ProcessFootprint.cpu(pids[i]).orElse(Duration.ZERO);
          runs.get(i).add(c.scraper.run(urls[i], perRound, 1));
          cpu[i] = cpu[i].plus(ProcessFootprint.cpu(pids[i]).orElse(before).minus(before));
        }
      }
      Scraper.Run p = Scraper.Run.concat(runs.get(0));
      Scraper.Run s = Scraper.Run.concat(runs.get(1));
      TlsRow row = new TlsRow("pgha " + Components.exporterName(exporter), watching(plain, exporter), p.stats(), s.stats(),
          perThousand(cpu[0], p), perThousand(cpu[1], s), load.until());
      rows.add(row);
      c.say("%-24s plain median %6.2f ms, TLS median %6.2f ms (%+.2f ms)", row.name(), row.plain().medianMs(),
          row.tls().medianMs(), row.medianCostMs());
    }
    return rows;
  }

  private static double perThousand(Duration cpu, Scraper.Run run) {
    return run.nanos().length == 0 ? Double.NaN : cpu.toNanos() / 1e9 / run.nanos().length * 1000;
  }

  private static String watching(Topology t, String exporter) {
    return switch (exporter) {
      case "patroni" -> t.members().size() + " Patroni members";
      case "postgres" -> t.members().size() + " PostgreSQL members";
      default -> t.etcd().size() + " etcd members, 1 scope";
    };
  }

  private static long exporterPid(Topology t, String exporter) {
    String process = Components.describe(t).exporterProcess(exporter);
    return new Supervisor(t.workdirPath()).pid(process).orElseThrow(() -> new IllegalStateException(
        process + " of " + t.workdir() + " does not run"));
  }
}
