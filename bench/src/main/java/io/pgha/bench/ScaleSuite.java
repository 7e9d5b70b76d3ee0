package io.pgha.bench;

import io.pgha.etcd.EtcdMetrics;
import io.pgha.lab.deploy.Components;
import io.pgha.lab.deploy.ConfigFiles;
import io.pgha.lab.deploy.HelperProcess;
import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.topology.Topology;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.postgres.PostgresMetrics;
import io.pgha.promkit.Exposition;
import io.pgha.testkit.SimulatedPatroni;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code pgha bench scale}: what a large site costs. At each size, N Patroni scopes of 3 members
 * on the cluster's one etcd ({@link SimulatedDcs}: copies of the cluster's own keys) behind
 * simulated REST APIs ({@link SimulatedPatroni}), watched by one JVM of the three exporters, which
 * also reads M PostgreSQL targets, and beside exporter-patroni's row the requests of its scrape sent
 * by the bench alone; then exporter-postgres's cost against the number of standbys of the primary (the
 * cluster's replicas plus pg_receivewal streams).
 */
record ScaleSuite(BenchContext c) {
  static final int MEMBERS_PER_SCOPE = 3;
  /** What one exporter-patroni scrape asks each scope: /cluster and /config of member 1, /patroni of every member. */
  static final int REQUESTS_PER_SCOPE = 2 + MEMBERS_PER_SCOPE;
  static final String REQUESTS_ALONE = "Patroni REST, no exporter";
  /** Long enough for the table's entries of a previous series to expire (120 s after closing). */
  static final Duration ROOM_LIMIT = Duration.ofSeconds(150);

  record Result(List<ScaleRow> rows, List<String> notes) {}


  Result run() throws Exception {
    List<ScaleRow> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    sites(rows, notes);
    postgres(rows, notes);
    return new Result(rows, notes);
  }

  private void sites(List<ScaleRow> rows, List<String> notes) throws Exception {
    Topology t = c.t;
    Topology.Member leader = c.awaitLeader(Duration.ofSeconds(30));
    BenchRole role = BenchRole.create(leader, c.db, c.dir);
    Duration waited = Duration.ZERO;
    try (SimulatedDcs dcs = SimulatedDcs.open(t.etcd().stream().map(e -> URI.create(e.clientUrl())).toList())) {
      for (int i = 0; i < c.plan.scopes().size(); i++) {
        int n = c.plan.scopes().get(i);
        int m = c.plan.postgresTargets().get(i);
        List<String> scopes = dcs.grow(t.namespace() + t.scope() + "/", n);
        c.say("a site of %d scopes x %d members (%d keys under %s on the cluster's etcd) and %d PostgreSQL targets",
            n, MEMBERS_PER_SCOPE, dcs.keys(), SimulatedDcs.NAMESPACE, m);
        try (SimulatedPatroni patroni = SimulatedPatroni.start(scopes, MEMBERS_PER_SCOPE);
             HelperProcess jvm = c.exporters.site(patroniMembers(patroni), postgresTargets(m), role.passwordFile(),
                 SimulatedDcs.NAMESPACE, scopes)) {
          int[] ports = c.exporters.sitePorts();
          String sites = n + " scope" + (n == 1 ? "" : "s");
          ScaleRow.Kind[] kinds = {ScaleRow.Kind.PATRONI, ScaleRow.Kind.POSTGRES, ScaleRow.Kind.ETCD};
          String[] sizes = {sites + ", " + n * MEMBERS_PER_SCOPE + " simulated members",
              m + " target" + (m == 1 ? "" : "s") + " on the 3 members",
              sites + " on one etcd (" + dcs.keys() + " keys)"};
          for (int x = 0; x < ports.length; x++) {
            URI url = c.exporters.metricsUrl(ports[x]);
            // exporter-patroni reads the members in the background (refresh_interval, as `pgha up` runs
            // it): its scrapes open no connections, its rounds (5 per scope and interval) run all along.
            Scraper.Fetched first = c.scraper.fetch(url);
            if (!first.ok() || !jvm.alive()) {
              // E.g. out of heap: every scrape would wait for its timeout; the log says why.
              notes.add("pgha " + Components.exporterName(Components.EXPORTERS.get(x)) + " at " + sizes[x]
                  + ": not measured, the site's JVM " + (jvm.alive() ? "answered HTTP " + first.status() : "is gone")
                  + " (see " + jvm.log() + ")");
              c.say("%s", notes.get(notes.size() - 1));
            } else {
              ScaleRow row = measure("pgha " + Components.exporterName(Components.EXPORTERS.get(x)), sizes[x],
                  url, jvm.pid(), c.plan.warmUp(), Optional.of(new ScaleRow.Site(n, kinds[x])));
              rows.add(row);
              expect(notes, row, c.scraper.fetch(url).body(), kinds[x], n, m);
            }
            if (kinds[x] == ScaleRow.Kind.PATRONI) {
              waited = waited.plus(roomFor(REQUESTS_ALONE + " at " + sites, n, c.plan.warmUp() + c.plan.scaleScrapes(),
                  notes));
              rows.add(requestsAlone(patroni, n, notes));
            }
          }
        }
      }
    } finally {
      role.drop(leader, c.db);
    }
    if (waited.compareTo(Duration.ofSeconds(1)) >= 0) {
      notes.add("waited " + waited.toSeconds() + " s in all for room in the kernel's connection tracking "
          + "table before series at the simulated sites (see Method)");
    }
  }

  /**
   * Waits until a series of {@code collections} scrapes of {@code scopes} simulated scopes (a new
   * connection per request) fits in the kernel's connection tracking table ({@link Conntrack}); a
   * series that does not fit within {@link #ROOM_LIMIT} runs anyway, with a note. Returns how long it waited.
   */
  private Duration roomFor(String series, int scopes, int collections, List<String> notes)
      throws IOException, InterruptedException {
    long connections = (long) scopes * REQUESTS_PER_SCOPE * collections;
    Optional<Conntrack.Wait> wait = Conntrack.system().awaitRoom(connections, ROOM_LIMIT);
    if (wait.isEmpty()) {
      return Duration.ZERO;
    }
    Conntrack.Wait w = wait.get();
    if (!w.fits()) {
      notes.add(series + ": the kernel's connection tracking table held " + w.table().entries() + " of "
          + w.table().max() + " entries after " + w.waited().toSeconds() + " s, too many for its " + connections
          + " connections: some may have waited for a dropped SYN's retransmission");
    } else if (w.waited().compareTo(Duration.ofSeconds(1)) >= 0) {
      c.say("waited %d s for room for %d connections in the connection tracking table (%d of %d entries)",
          w.waited().toSeconds(), connections, w.table().entries(), w.table().max());
    }
    return w.waited();
  }

  private static Map<String, List<String>> patroniMembers(SimulatedPatroni patroni) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    patroni.scopes().forEach((scope, urls) -> out.put(scope, urls.stream().map(URI::toString).toList()));
    return out;
  }

  /**
   * What one exporter-patroni scrape of the site asks the simulated members, sent at once by the bench
   * ({@link RequestBurst}) and nothing done with the answers, as many times as an exporter row's
   * scrapes: what such a scrape waits for at least. Its CPU is the bench's own JVM's, which serves
   * the simulated members as well as sending the requests; it has no memory of its own. Not run by
   * many at once: concurrent scrapes of exporter-patroni share one collection.
   */
  private ScaleRow requestsAlone(SimulatedPatroni patroni, int scopes, List<String> notes) throws IOException {
    List<URI> urls = new ArrayList<>();
    for (List<URI> members : patroni.scopes().values()) {
      urls.add(URI.create(members.get(0) + "/cluster"));
      urls.add(URI.create(members.get(0) + "/config"));
      members.forEach(member -> urls.add(URI.create(member + "/patroni")));
    }
    String size = "the " + urls.size() + " requests of one exporter-patroni scrape at once (CPU: the bench's JVM, "
        + "serving the members too)";
    RequestBurst burst = new RequestBurst(RequestBurst.DEFAULT_DEADLINE);
    for (int i = 0; i < c.plan.warmUp(); i++) {
      burst.send(urls);
    }
    long bench = ProcessHandle.current().pid();
    LoadAverage.Start l = LoadAverage.start();
    Duration before = ProcessFootprint.cpu(bench).orElse(Duration.ZERO);
    long[] nanos = new long[c.plan.scaleScrapes()];
    int errors = 0;
    Optional<String> failure = Optional.empty();
    long bytes = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < nanos.length; i++) {
      RequestBurst.Round r = burst.send(urls);
      nanos[i] = r.nanos();
      bytes = r.bytes();
      if (!r.allOk()) {
        errors++;
        failure = failure.or(r::firstFailure);
      }
    }
    long wall = System.nanoTime() - t0;
    Duration cpu = ProcessFootprint.cpu(bench).orElse(before).minus(before);
    ScaleRow row = new ScaleRow(REQUESTS_ALONE, size, LatencyStats.of(nanos, errors, wall), Optional.empty(),
        Optional.empty(), cpu.toNanos() / 1e9 / nanos.length * 1000, 0, (int) bytes, l.until(),
        Optional.of(new ScaleRow.Site(scopes, ScaleRow.Kind.PATRONI_REQUESTS)));
    if (errors > 0) {
      notes.add(REQUESTS_ALONE + " at " + scopes + " scope" + (scopes == 1 ? "" : "s") + ": " + errors + " of "
          + nanos.length + " rounds not all answered 200; first: " + failure.orElse("?"));
    }
    c.say("%-24s %-44s median %7.2f ms, p99 %7.2f ms, %d errors", REQUESTS_ALONE, "the " + urls.size()
        + " requests at once", row.stats().medianMs(), row.stats().p99Ms(), errors);
    return row;
  }

  /** {@code count} targets over the cluster's members in turn, each under a name of its own. */
  private List<ConfigFiles.PostgresTarget> postgresTargets(int count) {
    List<ConfigFiles.PostgresTarget> out = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      Topology.Member member = c.t.members().get((i - 1) % c.t.members().size());
      out.add(new ConfigFiles.PostgresTarget(SimulatedDcs.scopeName(i), member.name(), member));
    }
    return out;
  }

  /** A note when the last page does not show the whole site up. */
  private static void expect(List<String> notes, ScaleRow row, String body, ScaleRow.Kind kind, int scopes,
      int targets) {
    Exposition page = Exposition.parse(body);
    long seen;
    long expected;
    String what;
    switch (kind) {
      case PATRONI -> {
        seen = page.named(PatroniMetrics.MEMBER_UP.name()).stream().filter(s -> s.value() == 1).count();
        expected = (long) scopes * MEMBERS_PER_SCOPE;
        what = PatroniMetrics.MEMBER_UP.name() + " 1";
      }
      case POSTGRES -> {
        seen = page.named(PostgresMetrics.UP.name()).stream().filter(s -> s.value() == 1).count();
        expected = targets;
        what = PostgresMetrics.UP.name() + " 1";
      }
      case ETCD -> {
        seen = page.named(EtcdMetrics.DCS_LEADER.name()).stream().filter(s -> s.value() == 1).count();
        expected = scopes;
        what = EtcdMetrics.DCS_LEADER.name() + " 1";
      }
      default -> throw new IllegalArgumentException("no exporter page for " + kind);
    }
    if (seen != expected) {
      notes.add(row.exporter() + " at " + row.size() + ": " + seen + " series " + what + ", not " + expected);
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
          exporter.pid(), c.plan.scaleScrapes(), Optional.empty()));
      int total = replicas + c.plan.extraStandbys();
      c.say("starting %d pg_receivewal streams on %s", c.plan.extraStandbys(), leader.name());
      try (SimulatedStandbys extra = SimulatedStandbys.start(c, leader, c.plan.extraStandbys(), total)) {
        rows.add(measure("pgha exporter-postgres", "primary, " + total + " standbys ("
            + c.plan.extraStandbys() + " pg_receivewal)", url, exporter.pid(), c.plan.warmUp(), Optional.empty()));
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
          exporter.pid(), c.plan.warmUp(), Optional.empty()));
    } finally {
      role.drop(leader, c.db);
    }
  }

  private ScaleRow measure(String exporter, String size, URI url, long pid, int warmUp, Optional<ScaleRow.Site> site)
      throws InterruptedException {
    c.scraper.warmUp(url, warmUp);
    LoadAverage.Start l = LoadAverage.start();
    Duration before = ProcessFootprint.cpu(pid).orElse(Duration.ZERO);
    Scraper.Run run = c.scraper.run(url, c.plan.scaleScrapes(), 1);
    Duration cpu = ProcessFootprint.cpu(pid).orElse(before).minus(before);
    Optional<LatencyStats> concurrent = site.isPresent()
        ? Optional.of(c.scraper.run(url, c.plan.scaleScrapes(), c.plan.concurrency()).stats()) : Optional.empty();
    ScaleRow row = new ScaleRow(exporter, size, run.stats(), concurrent, ProcessFootprint.of(pid),
        cpu.toNanos() / 1e9 / run.nanos().length * 1000, Scraper.series(run.lastBody()),
        run.lastBody().length(), l.until(), site);
    c.say("%-24s %-44s median %7.2f ms, p99 %7.2f ms%s, %s", exporter, size, row.stats().medianMs(),
        row.stats().p99Ms(), concurrent.map(x -> String.format(java.util.Locale.ROOT, "; %d scrapers p99 %7.2f ms",
            c.plan.concurrency(), x.p99Ms())).orElse(""),
        row.memory().map(m -> String.format("RSS %.0f MB", m.rssMb())).orElse("RSS ?"));
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
