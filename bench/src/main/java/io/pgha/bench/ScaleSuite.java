package io.pgha.bench;

import io.pgha.lab.deploy.HelperProcess;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.topology.Topology;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.postgres.PostgresMetrics;
import io.pgha.promkit.Exposition;
import io.pgha.testkit.SimulatedPatroni;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * {@code pgha bench scale}: how exporter-patroni's scrape time and memory grow with the number of
 * members (simulated Patroni REST APIs), and exporter-postgres's with the number of standbys of
 * the primary (the cluster's replicas plus pg_receivewal streams).
 */
record ScaleSuite(BenchContext c) {
  static final String SIMULATED_SCOPE = "pgha-sim";

  record Result(List<ScaleRow> rows, List<String> notes) {}


  Result run() throws Exception {
    List<ScaleRow> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (int members : c.plan.simulatedMembers()) {
      rows.add(patroni(members, notes));
    }
    postgres(rows, notes);
    return new Result(rows, notes);
  }

  private ScaleRow patroni(int members, List<String> notes) throws Exception {
    c.say("exporter-patroni against %d simulated members", members);
    try (SimulatedPatroni fake = SimulatedPatroni.start(SIMULATED_SCOPE, members);
         HelperProcess exporter = c.exporters.pghaPatroni(SIMULATED_SCOPE,
             fake.urls().subList(0, Math.min(3, members)))) {
      URI url = c.exporters.metricsUrl(c.exporters.pghaPatroniPort());
      ScaleRow row = measure("pgha exporter-patroni", members + " members", url, exporter.pid(),
          c.plan.warmUp());
      long up = Exposition.parse(c.scraper.fetch(url).body()).named(PatroniMetrics.MEMBER_UP.name()).stream()
          .filter(s -> s.value() == 1).count();
      if (up != members) {
        notes.add("exporter-patroni against " + members + " simulated members reported " + up
            + " of them up");
      }
      return row;
    }
  }

  private void postgres(List<ScaleRow> rows, List<String> notes) throws Exception {
    Topology.Member leader = c.awaitLeader(Duration.ofSeconds(30));
    BenchRole role = BenchRole.create(leader, c.db, c.dir);
    try (HelperProcess exporter = c.exporters.pghaPostgres(leader, role.passwordFile())) {
      URI url = c.exporters.metricsUrl(c.exporters.pghaPostgresPort());
      int replicas = streaming(leader);
      c.say("exporter-postgres on the primary %s with its %d standbys", leader.name(), replicas);
      // A longer warm-up first: the second measurement must not look faster for a warmer JIT.
      rows.add(measure("pgha exporter-postgres", "primary, " + replicas + " standbys", url,
          exporter.pid(), c.plan.scaleScrapes()));
      int total = replicas + c.plan.extraStandbys();
      c.say("starting %d pg_receivewal streams on %s", c.plan.extraStandbys(), leader.name());
      try (SimulatedStandbys extra = SimulatedStandbys.start(c, leader, c.plan.extraStandbys(), total)) {
        rows.add(measure("pgha exporter-postgres", "primary, " + total + " standbys ("
            + c.plan.extraStandbys() + " pg_receivewal)", url, exporter.pid(), c.plan.warmUp()));
        OptionalDouble streaming = Exposition.parse(c.scraper.fetch(url).body())
            .named(PostgresMetrics.STANDBYS_STREAMING.name()).stream().mapToDouble(Exposition.Sample::value).findFirst();
        String shown = streaming.isPresent() ? Double.toString(streaming.getAsDouble()) : "none";
        if (streaming.isEmpty() || streaming.getAsDouble() != total) {
          notes.add("exporter-postgres showed " + PostgresMetrics.STANDBYS_STREAMING.name() + " " + shown + ", not "
              + total + ", with " + c.plan.extraStandbys() + " pg_receivewal streams");
        }
      }
      // Once more without them: what differs between the first two rows by the order alone.
      awaitReplicationRows(leader, replicas);
      rows.add(measure("pgha exporter-postgres", "primary, " + replicas + " standbys again", url,
          exporter.pid(), c.plan.warmUp()));
    } finally {
      role.drop(leader, c.db);
    }
  }

  private ScaleRow measure(String exporter, String size, URI url, long pid, int warmUp)
      throws InterruptedException {
    c.scraper.warmUp(url, warmUp);
    LoadAverage.Start l = LoadAverage.start();
    Duration before = ProcessFootprint.cpu(pid).orElse(Duration.ZERO);
    Scraper.Run run = c.scraper.run(url, c.plan.scaleScrapes(), 1);
    Duration cpu = ProcessFootprint.cpu(pid).orElse(before).minus(before);
    ScaleRow row = new ScaleRow(exporter, size, run.stats(), ProcessFootprint.of(pid),
        cpu.toNanos() / 1e9 / run.nanos().length * 1000, Scraper.series(run.lastBody()),
        run.lastBody().length(), l.until());
    c.say("%-24s %-40s median %7.2f ms, p99 %7.2f ms, %s", exporter, size, row.stats().medianMs(),
        row.stats().p99Ms(), row.memory().map(m -> String.format("RSS %.0f MB", m.rssMb())).orElse("RSS ?"));
    return row;
  }

  private void awaitReplicationRows(Topology.Member primary, int rows) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    try (Connection conn = c.db.connect(primary.host(), primary.pgPort(), Secrets.SUPERUSER);
         Statement st = conn.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (ResultSet r = st.executeQuery("SELECT count(*) FROM pg_stat_replication")) {
          r.next();
          if (r.getInt(1) == rows) {
            return;
          }
        }
        Thread.sleep(100);
      }
    }
  }

  private int streaming(Topology.Member primary) throws SQLException {
    try (Connection conn = c.db.connect(primary.host(), primary.pgPort(), Secrets.SUPERUSER);
         Statement st = conn.createStatement();
         ResultSet r = st.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")) {
      r.next();
      return r.getInt(1);
    }
  }
}
