package io.pgha.cli.commands;

import io.pgha.bench.Bench;
import io.pgha.bench.BenchMarkdown;
import io.pgha.bench.BenchPlan;
import io.pgha.bench.BenchReport;

import io.pgha.cli.options.ClusterOptions;
import io.pgha.cli.options.Locations;
import io.pgha.lab.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure pgha's exporters beside the peers users run instead (postgres_exporter, "
        + "Patroni's and etcd's own /metrics) on the running cluster: scrape latency, memory, CPU, "
        + "load on PostgreSQL, failover detection, and how they scale.",
        "Starts the cluster first when none runs in the work dir (and stops it afterwards). Prints "
            + "the figures and writes them as Markdown: docs/benchmarks.md for a full run of every "
            + "bench, else <workdir>/bench/benchmarks.md, unless --out says where."})
public final class BenchCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;

  @Option(names = "--quick", description = "Few iterations, 2 leader changes (one quiet, one loaded), sites of 1 and 10 scopes: checks that "
      + "every measurement runs (about a minute and a half).")
  boolean quick;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write the Markdown report.")
  Path out;

  @Option(names = "--tls-offset", paramLabel = "N", description = "Port offset of the twin cluster the tls bench "
      + "starts (with --tls beside a plain cluster, plain beside a TLS one; work dir <workdir>-tls or -plain) "
      + "(default: the cluster's offset + 1000).")
  Integer tlsOffset;

  @Parameters(paramLabel = "BENCH", arity = "0..*",
      description = "scrape, detection, scale, tls (default: all of them; tls not with --quick).")
  List<String> benches = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    // jetcd logs every reconnect at INFO through slf4j-simple: only warnings belong on the console.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    EnumSet<Bench.Suite> suites = EnumSet.noneOf(Bench.Suite.class);
    for (String b : benches) {
      suites.add(Bench.Suite.parse(b));
    }
    Topology t = cluster.topology();
    Bench bench = new Bench(t, quick ? BenchPlan.quickPlan() : BenchPlan.fullPlan(), suites,
        Locations.installation(), System.out, tlsOffset != null ? tlsOffset : t.offset() + 1000);
    boolean all = bench.suites().size() == Bench.Suite.values().length;
    Path repo = Locations.repoHome();
    Path file = out != null ? out.toAbsolutePath()
        : all && !quick ? repo.resolve("docs").resolve("benchmarks.md")
        : t.workdirPath().resolve("bench").resolve("benchmarks.md");
    BenchReport report = bench.run();
    System.out.println();
    System.out.print(BenchMarkdown.figures(report));
    Files.createDirectories(file.getParent());
    String kept = Files.exists(file) ? BenchMarkdown.measuredElsewhere(Files.readString(file, StandardCharsets.UTF_8)) : "";
    Files.writeString(file, BenchMarkdown.document(report) + kept, StandardCharsets.UTF_8);
    System.out.println();
    System.out.println("written to " + file);
    return 0;
  }
}
