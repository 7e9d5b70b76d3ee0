package io.pgha.bench;

import io.pgha.lab.deploy.Components;
import io.pgha.lab.deploy.ConfigFiles;
import io.pgha.lab.deploy.ExporterJvms;
import io.pgha.lab.deploy.HelperProcess;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pgha bench scrape}: latency, memory, CPU and PostgreSQL load of every exporter of the
 * cluster and of the peers a user might run instead (postgres_exporter on the same primary,
 * Patroni's and etcd's own /metrics).
 */
record ScrapeSuite(BenchContext c) {
  /**
   * One endpoint to scrape and the process that serves it; or, for {@link ScrapeRow.Kind#PATRONI_REQUESTS},
   * several URLs asked at once and the processes serving them.
   */
  record Target(String name, String scope, List<URI> urls, List<Long> pids, ScrapeRow.Kind kind) {
    Target(String name, String scope, URI url, long pid, ScrapeRow.Kind kind) {
      this(name, scope, List.of(url), List.of(pid), kind);
    }

    long pid() {
      return pids.get(0);
    }

    Duration cpu() {
      return pids.stream().map(p -> ProcessFootprint.cpu(p).orElse(Duration.ZERO)).reduce(Duration.ZERO, Duration::plus);
    }

    /** One process's memory; none for a row of several processes. */
    Optional<ProcessFootprint> memory() {
      return pids.size() == 1 ? ProcessFootprint.of(pids.get(0)) : Optional.empty();
    }
  }

  /** What the suite found; {@code notes} say what could not be measured and why. */
  record Result(List<ScrapeRow> rows, List<MemoryRow> memory, List<String> notes) {}


  Result run() throws Exception {
    List<String> notes = new ArrayList<>();
    Topology.Member leader = c.awaitLeader(Duration.ofSeconds(30));
    BenchRole role = BenchRole.create(leader, c.db, c.dir);
    StringBuilder why = new StringBuilder();
    Optional<StatementLoad> load = StatementLoad.open(c.t, leader, c.db, why);
    if (load.isEmpty()) {
      notes.add("PostgreSQL load not measured: " + why);
      c.say("%s", notes.get(notes.size() - 1));
    }
    List<HelperProcess> helpers = new ArrayList<>();
    try {
      c.say("starting pgha exporter-postgres and postgres_exporter on the primary %s, as %s",
          leader.name(), BenchRole.NAME);
      HelperProcess pghaPrimary = c.exporters.pghaPostgres(leader, role.passwordFile());
      helpers.add(pghaPrimary);
      HelperProcess peer = c.exporters.postgresExporter(leader, role.passwordFile());
      helpers.add(peer);
      c.say("starting a pgha exporter-patroni that reads the members on each scrape (no refresh_interval)");
      HelperProcess patroniOnScrape = c.exporters.pghaPatroniOnScrape();
      helpers.add(patroniOnScrape);
      List<Target> targets = targets(leader, pghaPrimary, peer, patroniOnScrape);
      for (Target t : targets) {
        c.scraper.warmUp(t.urls(), c.plan.warmUp());
      }
      if (load.isPresent()) {
        c.say("measuring the cluster's own statement rate for %d s", c.plan.baseline().toSeconds());
        load.get().measureBaseline(c.plan.baseline());
        c.say("baseline: %.1f statements/s on the three members", load.get().baselineCallsPerSecond());
      }
      List<ScrapeRow> rows = measure(targets, load);
      List<MemoryRow> memory = List.of(asDeployed(rows, targets), otherWay());
      String password = Files.readString(role.passwordFile()).strip();
      for (HelperProcess h : helpers) {
        if (Files.isRegularFile(h.log()) && Files.readString(h.log()).contains(password)) {
          notes.add("the password of " + BenchRole.NAME + " appears in " + h.log());
        }
      }
      return new Result(rows, memory, notes);
    } finally {
      helpers.forEach(HelperProcess::close);
      load.ifPresent(StatementLoad::close);
      role.drop(leader, c.db);
    }
  }

  /** The cluster's three exporters as `pgha up` runs them (one JVM for all, or one each), as measured above. */
  private static MemoryRow asDeployed(List<ScrapeRow> rows, List<Target> targets) {
    Map<Long, ProcessFootprint> byProcess = new LinkedHashMap<>();
    Map<String, Double> medians = new LinkedHashMap<>();
    for (ScrapeRow.Kind k : List.of(ScrapeRow.Kind.PGHA_PATRONI, ScrapeRow.Kind.PGHA_POSTGRES,
        ScrapeRow.Kind.PGHA_ETCD)) {
      int i = indexOf(rows, k);
      byProcess.put(targets.get(i).pid(), rows.get(i).memory().orElse(new ProcessFootprint(0, 0)));
      medians.put(rows.get(i).name(), rows.get(i).single().medianMs());
    }
    ProcessFootprint sum = byProcess.values().stream().reduce(new ProcessFootprint(0, 0), ProcessFootprint::plus);
    int jvms = byProcess.size();
    return new MemoryRow((jvms == 1 ? "all three in one JVM" : "one JVM each") + ", as `pgha up` runs them",
        jvms, sum, medians);
  }

  private static int indexOf(List<ScrapeRow> rows, ScrapeRow.Kind kind) {
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).kind() == kind) {
        return i;
      }
    }
    throw new IllegalStateException("no " + kind + " row");
  }

  /** The same three exporters, same configuration, the other way, after the same number of scrapes. */
  private MemoryRow otherWay() throws IOException, InterruptedException {
    ExporterJvms deployed = Components.describe(c.t).exporterJvms();
    String how = deployed == ExporterJvms.ONE ? "one JVM each" : "all three in one JVM";
    c.say("the three exporters %s: %d scrapes each", how, c.plan.scrapes());
    List<HelperProcess> processes = c.exporters.otherWay(deployed);
    try {
      int[] ports = c.exporters.otherWayPorts();
      Map<String, Double> medians = new LinkedHashMap<>();
      for (int i = 0; i < ports.length; i++) {
        URI url = c.exporters.metricsUrl(ports[i]);
        c.scraper.warmUp(url, c.plan.warmUp());
        medians.put("pgha " + Components.exporterName(Components.EXPORTERS.get(i)),
            c.scraper.run(url, c.plan.scrapes(), 1).stats().medianMs());
      }
      for (int i = 0; i < ports.length; i++) {
        c.scraper.run(c.exporters.metricsUrl(ports[i]), c.plan.scrapes(), c.plan.concurrency());
      }
      ProcessFootprint m = processes.stream()
          .map(p -> ProcessFootprint.of(p.pid()).orElse(new ProcessFootprint(0, 0)))
          .reduce(new ProcessFootprint(0, 0), ProcessFootprint::plus);
      c.say("%s: RSS %.0f MB, PSS %.0f MB", how, m.rssMb(), m.pssMb());
      return new MemoryRow(how + " (run by the bench)", processes.size(), m, medians);
    } finally {
      processes.forEach(HelperProcess::close);
    }
  }

  private List<Target> targets(Topology.Member leader, HelperProcess pghaPrimary, HelperProcess peer,
      HelperProcess patroniOnScrape) {
    Topology t = c.t;
    int members = t.members().size();
    List<Target> out = new ArrayList<>();
    out.add(new Target("pgha exporter-patroni", members + " Patroni members (as deployed: read every "
        + ConfigFiles.PATRONI_REFRESH_INTERVAL.toSeconds() + " s)", URI.create(t.exporters().metricsUrl("patroni")),
        c.exporterPid("patroni"), ScrapeRow.Kind.PGHA_PATRONI));
    out.add(new Target("pgha exporter-patroni", members + " Patroni members, read on each scrape",
        c.exporters.metricsUrl(c.exporters.pghaPatroniOnScrapePort()), patroniOnScrape.pid(),
        ScrapeRow.Kind.PGHA_PATRONI_ON_SCRAPE));
    out.add(new Target("pgha exporter-postgres", members + " members (as deployed)",
        URI.create(t.exporters().metricsUrl("postgres")),
        c.exporterPid("postgres"), ScrapeRow.Kind.PGHA_POSTGRES));
    out.add(new Target("pgha exporter-postgres", "primary " + leader.name() + " only",
        c.exporters.metricsUrl(c.exporters.pghaPostgresPort()), pghaPrimary.pid(),
        ScrapeRow.Kind.PGHA_POSTGRES_PRIMARY));
    out.add(new Target("postgres_exporter", "primary " + leader.name() + " only, defaults",
        c.exporters.metricsUrl(c.exporters.postgresExporterPort()), peer.pid(),
        ScrapeRow.Kind.POSTGRES_EXPORTER));
    out.add(new Target("pgha exporter-etcd", t.etcd().size() + " etcd members, 1 scope",
        URI.create(t.exporters().metricsUrl("etcd")),
        c.exporterPid("etcd"), ScrapeRow.Kind.PGHA_ETCD));
    out.add(new Target("Patroni /metrics", "leader " + leader.name() + " (whole Patroni process)",
        URI.create(leader.restUrl() + "/metrics"), c.pid(leader.name()), ScrapeRow.Kind.PATRONI));
    out.add(patroniRequests(leader));
    Topology.EtcdMember etcd = t.etcd().get(0);
    out.add(new Target("etcd /metrics", etcd.name() + " (whole etcd process)",
        URI.create(etcd.clientUrl() + "/metrics"), c.pid(etcd.name()), ScrapeRow.Kind.ETCD));
    return out;
  }

  /**
   * What one exporter-patroni scrape asks Patroni, sent at once by the bench and nothing done with the
   * answers: /cluster and /config of the leader, /patroni of every member. Its time is what such a
   * scrape waits for at least; its CPU is the Patroni processes'. Not scraped by many at once: 16
   * such rounds would be 80 connections to listen backlogs of 5, and concurrent scrapes of
   * exporter-patroni share one collection anyway.
   */
  private Target patroniRequests(Topology.Member leader) {
    List<URI> urls = new ArrayList<>(List.of(URI.create(leader.restUrl() + "/cluster"),
        URI.create(leader.restUrl() + "/config")));
    List<Long> pids = new ArrayList<>();
    for (Topology.Member m : c.t.members()) {
      urls.add(URI.create(m.restUrl() + "/patroni"));
      pids.add(c.pid(m.name()));
    }
    return new Target("Patroni REST, no exporter", "the " + urls.size() + " requests of one exporter-patroni "
        + "scrape at once (whole Patroni processes)", urls, pids, ScrapeRow.Kind.PATRONI_REQUESTS);
  }

  private List<ScrapeRow> measure(List<Target> targets, Optional<StatementLoad> load)
      throws InterruptedException, SQLException {
    int n = targets.size();
    List<List<Scraper.Run>> runs = new ArrayList<>();
    StatementLoad.Totals[] statements = new StatementLoad.Totals[n];
    Duration[] cpu = new Duration[n];
    LoadAverage[] loads = new LoadAverage[n];
    for (int i = 0; i < n; i++) {
      runs.add(new ArrayList<>());
      statements[i] = StatementLoad.Totals.ZERO;
      cpu[i] = Duration.ZERO;
    }
    int perRound = Math.max(1, c.plan.scrapes() / c.plan.rounds());
    c.say("one scraper: %d rounds of %d scrapes per target, the targets taking turns",
        c.plan.rounds(), perRound);
    for (int round = 0; round < c.plan.rounds(); round++) {
      for (int i = 0; i < n; i++) {
        Target t = targets.get(i);
        LoadAverage.Start l = LoadAverage.start();
        Duration cpuBefore = t.cpu();
        StatementLoad.Totals before = load.isPresent() ? load.get().snapshot() : null;
        runs.get(i).add(c.scraper.run(t.urls(), perRound, 1));
        if (before != null) {
          statements[i] = statements[i].plus(load.get().snapshot().minus(before));
        }
        cpu[i] = cpu[i].plus(t.cpu().minus(cpuBefore));
        loads[i] = loads[i] == null ? l.until() : loads[i].merge(l.until());
      }
    }
    List<ScrapeRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Target t = targets.get(i);
      Scraper.Run single = Scraper.Run.concat(runs.get(i));
      LoadAverage.Start l = LoadAverage.start();
      Scraper.Run concurrent = t.kind() == ScrapeRow.Kind.PATRONI_REQUESTS
          ? new Scraper.Run(new long[0], 0, 0, "")
          : c.scraper.run(t.urls(), c.plan.scrapes(), c.plan.concurrency());
      LoadAverage both = loads[i].merge(l.until());
      int scrapes = single.nanos().length;
      StatementLoad.Totals made = statements[i];
      Optional<PostgresCost> cost = load.map(s -> s.cost(made, scrapes, t.kind().benchRole()));
      ScrapeRow row = new ScrapeRow(t.name(), t.scope(), single.stats(), concurrent.stats(),
          t.memory(), cpu[i].toNanos() / 1e9 / scrapes * 1000, cost,
          t.kind().exposition() ? Scraper.series(single.lastBody()) : 0, single.lastBody().length(), both, t.kind());
      rows.add(row);
      c.say("%-24s %-34s median %6.2f ms, p99 %7.2f ms; %s", t.name(), t.scope(), row.single().medianMs(),
          row.single().p99Ms(), row.concurrent().n() == 0 ? "not scraped by many at once"
              : String.format(java.util.Locale.ROOT, "%d scrapers: median %6.2f ms, p99 %7.2f ms",
                  c.plan.concurrency(), row.concurrent().medianMs(), row.concurrent().p99Ms()));
    }
    return rows;
  }
}
