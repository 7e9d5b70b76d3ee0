package io.pgha.cli.commands;

import io.pgha.drills.ClusterControl;
import io.pgha.drills.DrillKind;
import io.pgha.drills.DrillPlan;
import io.pgha.drills.DrillReport;
import io.pgha.drills.DrillResult;
import io.pgha.drills.DrillRunner;
import io.pgha.drills.DrillText;

import io.pgha.cli.options.ClusterOptions;
import io.pgha.cli.options.Locations;
import io.pgha.lab.topology.ClusterFile;
import io.pgha.lab.topology.Topology;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./pgha drill NAME|all}: fault drills with verdicts, figures and a report. */
@Command(name = "drill", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs a fault drill on the running cluster: starts traffic through HAProxy, waits for a steady state, "
            + "injects the fault (by PID), observes, restores, waits for the cluster to converge, checks the "
            + "traffic ledger and prints a verdict with its figures.",
        "",
        "Drills: replica-stop, leader-kill, leader-stop, switchover, etcd-one-down, etcd-majority-down (runs "
            + "with failsafe_mode off, then on), haproxy-down; and the network drills (need root): "
            + "leader-partition-dcs, leader-isolated, replica-partition, etcd-member-partition, lagging-failover "
            + "(runs with the lag over maximum_lag_on_failover, then with the limit raised), etcd-slow. all runs "
            + "every one, leader-kill and lagging-failover (limit raised) also with --sync.",
        "",
        "Exit code: 0 when every drill that ran passed (network drills are skipped, saying so, when not run as "
            + "root), 1 when an expectation missed (named in the output), 2 for bad usage, no cluster, or no drill "
            + "that could run."},
    exitCodeOnExecutionException = 2)
public final class DrillCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "NAME", description = "A drill name, or all.")
  String name;

  @Option(names = "--sync", description = "Run in Patroni's synchronous mode (PATCH /config synchronous_mode, "
      + "then a sync standby streaming); put back afterwards.")
  boolean sync;

  @Option(names = "--target", paramLabel = "MEMBER", description = "The member to break instead of the drill's "
      + "choice (replica-stop, replica-partition: a replica; switchover: the candidate; lagging-failover: the "
      + "replica that lags; etcd drills: an etcd member).")
  String target;

  @Option(names = "--report", paramLabel = "DIR", description = "Write report.md and one timeline SVG per drill "
      + "into DIR.")
  Path report;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    List<DrillPlan> plans;
    if (name.equals("all")) {
      if (target != null) {
        err.println("pgha drill: --target names one drill's target, not all drills'");
        return 2;
      }
      plans = DrillPlan.all(sync);
    } else {
      DrillKind kind = DrillKind.byName(name);
      if (target != null && !kind.takesTarget()) {
        err.println("pgha drill: --target applies to replica-stop, switchover, etcd-one-down, "
            + "etcd-majority-down, replica-partition, etcd-member-partition and lagging-failover, not " + name);
        return 2;
      }
      plans = DrillPlan.of(kind, sync, target);
    }
    Topology t = cluster.topology();
    if (ClusterFile.read(t.workdirPath()).isEmpty()) {
      err.println("pgha drill: no cluster in " + t.workdirPath() + " (run pgha up first)");
      return 2;
    }
    PrintStream out = System.out;
    ClusterControl control = new ClusterControl(t, Locations.installation());
    DrillRunner runner = new DrillRunner(control, out);
    long started = System.currentTimeMillis();
    List<DrillResult> results = new ArrayList<>();
    for (DrillPlan plan : plans) {
      Optional<String> skip = DrillRunner.skipReason(plan);
      if (skip.isPresent()) {
        out.println();
        out.println("== " + skip.get());
        continue;
      }
      results.add(runner.run(plan));
    }
    long took = System.currentTimeMillis() - started;
    if (results.isEmpty()) {
      err.println("pgha drill: no drill could run here (see above)");
      return 2;
    }
    out.println();
    out.print(DrillText.table(results));
    out.println("took " + DrillReport.duration(took));
    if (report != null) {
      Path file = DrillReport.write(report, results, new DrillReport.Context(DrillReport.describe(control), started, took));
      out.println("report: " + file);
    }
    List<DrillResult> failed = results.stream().filter(r -> !r.passed()).toList();
    for (DrillResult r : failed) {
      err.println("pgha drill: " + r.plan().title() + " FAILED: " + DrillText.missed(r));
    }
    err.flush();
    return failed.isEmpty() ? 0 : 1;
  }
}
