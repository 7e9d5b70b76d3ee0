package io.pgha.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The bench's report as Markdown: printed at the end of a run (figures only) and written to
 * docs/benchmarks.md (with the method). Pure: the same report always gives the same text.
 */
public final class BenchMarkdown {
  private BenchMarkdown() {}

  public static String figures(BenchReport r) {
    StringBuilder out = new StringBuilder();
    machine(out, r);
    goals(out, r);
    if (!r.scrape().isEmpty()) {
      scrape(out, r);
    }
    if (!r.memory().isEmpty()) {
      memory(out, r);
    }
    if (!r.detection().isEmpty()) {
      detection(out, r);
    }
    if (!r.scale().isEmpty()) {
      scale(out, r);
    }
    if (!r.tls().isEmpty()) {
      tls(out, r);
    }
    if (!r.notes().isEmpty()) {
      out.append("\n## Notes from this run\n\n");
      r.notes().forEach(n -> out.append("- ").append(n).append('\n'));
    }
    return out.toString();
  }

  /** The whole docs/benchmarks.md. */
  /** Heads the figures measured elsewhere (the Debian package's, by DebianPackageIT), which a run keeps. */
  public static final String MEASURED_ELSEWHERE = "## Measured outside pgha bench";

  /** The section {@link #MEASURED_ELSEWHERE} of the report a run replaces, or nothing. */
  public static String measuredElsewhere(String previous) {
    int at = previous.indexOf("\n" + MEASURED_ELSEWHERE + "\n");
    return at < 0 ? "" : previous.substring(at);
  }

  public static String document(BenchReport r) {
    return """
        # Benchmarks

        Written by `./pgha bench%s` (%s); run it again rather than editing these figures.
        How each figure is measured, and what to keep in mind reading it, is under [Method](#method).
        """.formatted(r.plan().quick() ? " --quick" : "", String.join(", ", r.suites()))
        + "\n" + figures(r) + "\n" + METHOD;
  }

  private static void machine(StringBuilder out, BenchReport r) {
    MachineInfo m = r.machine();
    out.append("## Machine\n\n");
    Table t = new Table("what", "");
    t.row("date", m.date().toString());
    t.row("machine", m.cores() + " cores (" + m.cpu() + "), " + fmt("%.1f", m.memoryGib()) + " GiB memory");
    t.row("system", m.os() + ", kernel " + m.kernel());
    t.row("load average (1 min)", fmt("%.1f", r.load().before()) + " at the start, "
        + fmt("%.1f", r.load().after()) + " at the end; other work shared the machine");
    t.row("versions", m.versions().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining("; ")));
    t.row("exporter JVM options", "`" + String.join(" ", r.jvmOptions()) + "` (as `pgha up` runs them)");
    t.row("plan", plan(r.plan()));
    t.row("took", duration(r.took()));
    out.append(t.render());
  }

  private static String plan(BenchPlan p) {
    return (p.quick() ? "quick: " : "full: ") + p.scrapes() + " scrapes per endpoint with 1 scraper (in "
        + p.rounds() + " interleaved rounds) and with " + p.concurrency() + "; " + p.leaderChanges()
        + " leader changes quiet and " + p.loadedLeaderChanges() + " with " + p.loadThreads()
        + " busy threads; sites of " + p.scopes().stream().map(String::valueOf).collect(Collectors.joining(", "))
        + " scopes of 3 simulated members with " + p.postgresTargets().stream().map(String::valueOf)
        .collect(Collectors.joining(", ")) + " PostgreSQL targets, " + p.scaleScrapes() + " scrapes each; "
        + p.extraStandbys() + " extra standbys";
  }

  private static void goals(StringBuilder out, BenchReport r) {
    out.append("\n## Goals\n\n");
    Table t = new Table("goal", "figure", "verdict");
    List<Goal> goals = r.goals();
    for (Goal g : goals) {
      t.row(g.goal(), g.figure(), g.verdict());
    }
    out.append(t.render());
    List<Goal> missed = goals.stream().filter(g -> g.met().isPresent() && !g.met().get() && !g.whyNot().isEmpty())
        .toList();
    if (!missed.isEmpty()) {
      out.append("\nWhy goals were not met:\n\n");
      missed.forEach(g -> out.append("- ").append(g.goal()).append(": ").append(g.whyNot()).append(".\n"));
    }
  }

  private static void scrape(StringBuilder out, BenchReport r) {
    int conc = r.plan().concurrency();
    out.append("\n## Scrape latency, footprint and PostgreSQL load\n\n");
    Table t = new Table("endpoint", "watching", "median ms (1 scraper)", "p99 ms", "median ms ("
        + conc + " scrapers)", "p99 ms", "errors", "RSS MB", "PSS MB", "CPU s per 1,000 scrapes",
        "statements per scrape", "PostgreSQL ms per scrape", "samples", "load");
    for (ScrapeRow x : r.scrape()) {
      boolean many = x.concurrent().n() > 0;
      t.row(x.name(), x.scope(), fmt("%.2f", x.single().medianMs()), fmt("%.2f", x.single().p99Ms()),
          many ? fmt("%.2f", x.concurrent().medianMs()) : "-", many ? fmt("%.2f", x.concurrent().p99Ms()) : "-",
          Integer.toString(x.single().errors() + x.concurrent().errors()),
          x.memory().map(m -> fmt("%.0f", m.rssMb())).orElse("-"),
          x.memory().map(m -> fmt("%.0f", m.pssMb())).orElse("-"),
          fmt("%.2f", x.cpuSecondsPer1000()),
          x.postgres().map(p -> fmt("%.1f", p.statementsPerScrape())).orElse("n/a"),
          x.postgres().map(p -> fmt("%.2f", p.execMsPerScrape())).orElse("n/a"),
          x.kind().exposition() ? Integer.toString(x.series()) : "-", x.load().toString());
    }
    out.append(t.render());
  }

  private static void memory(StringBuilder out, BenchReport r) {
    out.append("\n## Memory of the three pgha exporters\n\nThe same configuration and the same scrapes "
        + "(the series above): first as `pgha up` runs them, then the other way, run by the bench.\n\n");
    List<String> exporters = r.memory().get(0).medianMs().keySet().stream().toList();
    List<String> headers = new ArrayList<>(List.of("how", "JVMs", "RSS MB", "PSS MB"));
    exporters.forEach(x -> headers.add("median ms " + x.replace("pgha ", "")));
    Table t = new Table(headers.toArray(String[]::new));
    for (MemoryRow m : r.memory()) {
      List<String> cells = new ArrayList<>(List.of(m.how(), Integer.toString(m.jvms()),
          fmt("%.0f", m.memory().rssMb()), fmt("%.0f", m.memory().pssMb())));
      exporters.forEach(x -> cells.add(fmt("%.2f", m.medianMs().getOrDefault(x, Double.NaN))));
      t.row(cells.toArray(String[]::new));
    }
    out.append(t.render());
  }

  private static void detection(StringBuilder out, BenchReport r) {
    out.append("\n## Failover detection\n\nFrom the leader key's change in etcd to the first answer "
        + "showing the new leader: " + r.plan().leaderChanges()
        + " leader changes on the quiet machine, then " + r.plan().loadedLeaderChanges() + " with the bench's own CPU load ("
        + r.plan().loadThreads() + " threads spinning at normal priority, one per core) beside them.\n\n");
    Table t = new Table("metric", "source", "polled", "machine", "changes seen", "p50 ms", "p95 ms", "max ms", "missed");
    for (DetectionRow d : r.detection()) {
      t.row("`" + d.metric() + "`", d.source(), d.polling(), d.machine(), Integer.toString(d.n()),
          fmt("%.0f", d.p50Ms()), fmt("%.0f", d.p95Ms()), fmt("%.0f", d.maxMs()),
          Integer.toString(d.misses()));
    }
    out.append(t.render());
    out.append("\nThe leader changes, and how long each fault took to move the leader key:\n\n");
    Table c = new Table("#", "fault", "from", "to", "fault to key change ms");
    for (LeaderChange ch : r.changes()) {
      c.row(Integer.toString(ch.number()), ch.fault().toString(), ch.from(), ch.to(),
          fmt("%.0f", ch.faultToKeyMs()));
    }
    out.append(c.render());
  }

  private static void scale(StringBuilder out, BenchReport r) {
    out.append("\n## Scale\n\nAt each simulated site the three exporters run in one JVM: its RSS and PSS are "
        + "the whole JVM's after that exporter's scrapes. \"" + ScaleSuite.REQUESTS_ALONE + "\" is no exporter: the "
        + "requests of one exporter-patroni scrape sent at once by the bench, its bytes the answers' bodies, its CPU "
        + "the bench's JVM's, which also serves the simulated members.\n\n");
    Table t = new Table("exporter", "against", "median ms (1 scraper)", "p99 ms", "p99 ms ("
        + r.plan().concurrency() + " scrapers)", "errors", "RSS MB", "PSS MB",
        "CPU s per 1,000 scrapes", "samples", "bytes", "load");
    for (ScaleRow s : r.scale()) {
      boolean exporter = s.site().map(x -> x.kind().exporter()).orElse(true);
      t.row(s.exporter(), s.size(), fmt("%.2f", s.stats().medianMs()), fmt("%.2f", s.stats().p99Ms()),
          s.concurrent().map(c -> fmt("%.2f", c.p99Ms())).orElse("-"),
          Integer.toString(s.stats().errors() + s.concurrent().map(LatencyStats::errors).orElse(0)),
          s.memory().map(m -> fmt("%.0f", m.rssMb())).orElse("-"),
          s.memory().map(m -> fmt("%.0f", m.pssMb())).orElse("-"),
          fmt("%.2f", s.cpuSecondsPer1000()), exporter ? Integer.toString(s.series()) : "-",
          Integer.toString(s.bytes()), s.load().toString());
    }
    out.append(t.render());
  }

  private static void tls(StringBuilder out, BenchReport r) {
    out.append("\n## What TLS costs per scrape\n\nThe cluster's exporters and the same exporters on a twin set up with "
        + "`pgha up --tls`, both clusters running at once: " + r.plan().scrapes() + " scrapes of each exporter on each "
        + "cluster with 1 scraper, in " + r.plan().rounds() + " rounds in which the two take turns.\n\n");
    Table t = new Table("exporter", "watching", "median ms plain", "median ms TLS", "TLS adds ms", "p99 ms plain",
        "p99 ms TLS", "CPU s per 1,000 scrapes plain", "CPU s per 1,000 scrapes TLS", "errors", "load");
    for (TlsRow x : r.tls()) {
      t.row(x.name(), x.watching(), fmt("%.2f", x.plain().medianMs()), fmt("%.2f", x.tls().medianMs()),
          fmt("%+.2f", x.medianCostMs()), fmt("%.2f", x.plain().p99Ms()), fmt("%.2f", x.tls().p99Ms()),
          fmt("%.2f", x.plainCpuSecondsPer1000()), fmt("%.2f", x.tlsCpuSecondsPer1000()),
          Integer.toString(x.plain().errors() + x.tls().errors()), x.load().toString());
    }
    out.append(t.render());
  }

  static String duration(Duration d) {
    long s = d.toSeconds();
    return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
  }

  static String fmt(String format, double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
  }

  /** A Markdown table; cells with a pipe are escaped. */
  private static final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
      this.headers = List.of(headers);
    }

    void row(String... cells) {
      rows.add(List.of(cells));
    }

    String render() {
      StringBuilder sb = new StringBuilder();
      line(sb, headers);
      line(sb, headers.stream().map(h -> "---").toList());
      rows.forEach(r -> line(sb, r));
      return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells) {
      sb.append('|');
      for (String c : cells) {
        sb.append(' ').append(c.replace("|", "\\|")).append(" |");
      }
      sb.append('\n');
    }
  }

  private static final String METHOD = """
      ## Method

      - **The cluster** is the one `pgha up` deploys (3 etcd, 3 Patroni with PostgreSQL 15, HAProxy,
        Prometheus scraping every 5 s, the three pgha exporters), on loopback. The bench starts it when
        no process of the work dir runs and stops it afterwards.
      - **Scrape latency**: each endpoint is scraped the way Prometheus scrapes (its `Accept` header,
        `X-Prometheus-Scrape-Timeout-Seconds: 4`, keep-alive where the server allows it), timed from
        the request to the last byte, with a client of the bench's own that costs next to nothing (a
        blocking socket per scraper, HTTP/1.1; the JDK's HTTP client, used before, added milliseconds
        of its own per exchange on this machine, most under 16 scrapers). First with one scraper: the scrapes run in rounds, every
        endpoint taking its turn in each round, so a change of the machine's load hits all alike;
        then with many scrapers at once. Percentiles are nearest-rank (each is a measured value).
        pgha's exporter-postgres collects at scrape time and lets concurrent scrapes share a
        collection in flight and its page (rendered once per format, not once per scrape);
        exporter-patroni as `pgha up` runs it reads the members in the background every second
        (`refresh_interval: 1s`) and answers from the last round (how old:
        `pgha_patroni_state_age_seconds`), and a second exporter-patroni started by the bench (own
        JVM, same options and members, no `refresh_interval`) reads them on each scrape, as
        exporter-patroni does by default: the row **read on each scrape**; exporter-etcd answers
        from state its watch and its
        background probes keep (how old: `pgha_etcd_state_age_seconds`); postgres_exporter runs its
        queries per scrape; Patroni's REST server is Python's threading HTTP server with a listen
        backlog of 5.
      - **Patroni REST, no exporter** is what an exporter-patroni scrape (or background round) waits for at least: the
        requests it makes (`/cluster` and `/config` of the leader, `/patroni` of every member) sent
        at once by the bench, each on a connection of its own and a thread of its own, nothing done
        with the answers; its CPU is the three Patroni processes'. It takes its turn in the rounds
        like the endpoints, but is not run by 16 scrapers at once (80 connections against listen
        backlogs of 5; exporter-patroni's concurrent scrapes share one collection anyway).
      - **postgres_exporter** is Debian's (`prometheus-postgres-exporter`), started by the bench with
        its default collectors against the primary, like the extra **pgha exporter-postgres** the
        bench starts with the primary as its only target: both log in as `pgha_bench` (a member of
        `pg_monitor` only, created for the run and dropped after it), the password reaching them as a
        file (`DATA_SOURCE_PASS_FILE`, `password_file`), never on a command line; the bench checks
        their logs for it. The cluster's own exporter-postgres watches all three members.
      - **Memory** is read from `/proc/PID/smaps_rollup` after the scrapes: RSS counts shared pages
        (the JVM's `libjvm.so` and class-data archive) in full in every process, PSS divides them
        among the processes sharing them. **CPU** is the process's user plus system time during the
        one-scraper series, per 1,000 scrapes. The cluster's exporters are also scraped by Prometheus
        every 5 s meanwhile; Patroni and etcd rows are whole processes doing their main work too.
      - **The other way**: the bench also runs the three exporters the way `pgha up` does not
        (one JVM each when the cluster runs them in one, `exporters/target/pgha-exporters.jar` when
        it runs one each), with the same JVM options, the cluster's own configuration files and
        ports of their own, scrapes each as many times as the cluster's own, and reads their memory
        the same way.
      - **PostgreSQL load**: `pg_stat_statements` (loaded by `pgha up` through
        `shared_preload_libraries`) on all three members, statements and execution time during the
        one-scraper series. The rows of the bench's own exporters (pgha exporter-postgres on the
        primary, postgres_exporter) count their role `pgha_bench` alone. The other rows count all
        users, less the cluster's own rate (Patroni's HA loop, Prometheus scraping the cluster's
        exporters and Patroni, exporter-patroni's background rounds) measured idle first, so they
        carry that noise. Patroni answers `/patroni` and `/metrics` with a query of its own, so
        exporter-patroni costs PostgreSQL too: as deployed its rounds run whether scraped or not, so
        they are in that idle rate and its row shows none; the row read on each scrape shows them per
        scrape.
      - **Failover detection**: the leader changes alternately by a switchover (Patroni's REST API)
        and by a hard kill (SIGKILL to the leader's Patroni, its postmaster and the postmaster's
        children, as the drills' leader-kill does; the key moves when its 10 s TTL runs out, and
        `pgha up` restarts the member afterwards). The time origin is the
        moment the bench's own etcd watch (its `DetectionLatencyMeter`) sees the key
        name a new holder. "Every 1 s" pollers run all along with a phase of their own, as a
        Prometheus with a 1 s scrape interval would, so they include up to a second of waiting for
        the next poll; the three run in step, so they compare like with like. "From the change"
        polling starts at that moment and repeats every few milliseconds: it measures how late the
        endpoint itself is. For exporter-etcd, which watches the key and updates `pgha_dcs_leader`
        as the event arrives, that is the push path the goal is about; it includes one whole scrape
        of exporter-etcd, which asks every etcd member for its status each time. Prometheus still
        only sees the change at its next scrape.
      - **Scale**: sites of 1, 10 and 100 Patroni scopes of 3 members each. The etcd side is the
        cluster's own etcd (3 members): for every simulated scope the bench copies the keys the
        cluster's Patroni wrote under its scope (leader, members/*, config, status, history,
        initialize, ...) to `/pgha-bench/sim-NNN/`, values as they are, the leader key and each
        member's key attached to a lease of its own per simulated member as Patroni attaches them
        (leases not renewed during the run: their TTL outlasts it; revoked, and the keys deleted,
        at the end). The Patroni side is simulated REST APIs served by the bench (one Vert.x HTTP
        server per member, all in the bench's JVM, Patroni 3.0.2's documents, closing each
        connection as Patroni does). The PostgreSQL side is honest only in part: the 1, 10 and 50
        targets are the cluster's three PostgreSQL servers, each under several names (scope
        `sim-NNN`, the member's own name), so 50 targets are 50 connections and 50 sets of queries,
        but to 3 servers. At each size one JVM runs the three exporters (`pgha-exporters.jar`,
        `pgha up`'s JVM options), each scraped with one scraper, then with 16; its memory is read
        after each exporter's series, CPU is the whole JVM's during that exporter's one-scraper
        series (the other two idle meanwhile). Beside exporter-patroni, **Patroni REST, no exporter**
        is what one round of its requests (a scrape's, without `refresh_interval`) waits for at least: the same requests (5 per scope: 500 at 100
        scopes) sent at once by the bench from one thread (a non-blocking connection each, Java NIO),
        each answer read to its end and nothing done with it, as many rounds as the exporter's
        scrapes and not by 16 at once; its CPU is the bench's JVM's, which serves the simulated
        members as well. A round not all answered within 3 s counts as an error. Every connection,
        loopback ones too, holds an entry in the kernel's connection tracking table while netfilter's
        conntrack is loaded (podman's network rules load it) until 120 s after it closed, and a full
        table drops new connections' first packet, so connects wait for a retransmission (1 s, then
        3 s): at 100 scopes one series of the requests alone makes over 100,000 connections, and
        exporter-patroni's background rounds 500 a second all along (about 60,000 entries). Before
        each series of the requests alone at a simulated site the bench waits (at most 150 s) until
        the series fits in nine tenths of the table (`/proc/sys/net/netfilter`), and the notes say
        how long it waited in all, or which series did not fit. Then exporter-postgres against the primary with its two replicas and with
        extra WAL streams from `pg_receivewal` (no slot), each one more row of
        `pg_stat_replication`, then once more after they stopped (the difference between the first
        and the last row is what the order alone makes). The simulated members share the bench's
        JVM and cores.
      - **CPU load** (detection): after the quiet series the bench starts its own load, threads
        spinning at normal priority (2: one per core of the development machine), for the leader
        changes of the loaded series, from the fault until every view showed the new leader.
      - **TLS cost** (`pgha bench tls`, in a full run; not in `--quick`): the bench starts a twin of
        its cluster with the other setting (`--tls` beside a plain cluster, work dir `<workdir>-tls`;
        plain beside a TLS one, `<workdir>-plain`) at `--tls-offset` (default the cluster's offset +
        1000), and stops and wipes it afterwards. On the TLS cluster the exporters reach etcd with a client certificate (gRPC),
        Patroni over HTTPS (TLS 1.2) and PostgreSQL with `sslmode=verify-full`, and serve HTTPS with
        basic auth; the scraper keeps its connection to each exporter, as Prometheus does. The
        exporters are the clusters' own, so exporter-patroni reads the members in the background
        (`refresh_interval`) and its scrape pays only for serving HTTPS; what its rounds pay is
        below. What a
        scrape (or a round) pays for TLS depends on the connections the exporter keeps: exporter-postgres keeps
        one connection per member and exporter-etcd one gRPC connection per member (and its watch),
        so they handshake only when they (re)connect; Patroni 3.0.2 closes every connection after
        its answer, so each of exporter-patroni's requests to Patroni (/cluster, /config, /patroni of
        each member; /history after a promotion) is a new handshake (EC P-256 certificates), and
        Patroni's answer comes in two writes of which Nagle's algorithm holds the second until the
        first is acknowledged: exporter-patroni acknowledges at once (TCP_QUICKACK) instead of after
        the up to 40 ms a TLS connection's kernel delays it, which any other client of Patroni's
        HTTPS API waits (curl: 48 ms for `/patroni`). CPU is the exporters' whole JVM during that exporter's series.
      - **Load**: the 1-minute load average before and after each measurement is printed beside
        it. On a shared 2-core machine the tails (p99, max) are mostly the machine's.
      """;
}
