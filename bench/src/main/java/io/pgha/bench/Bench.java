package io.pgha.bench;

import io.pgha.lab.deploy.ClusterDown;
import io.pgha.lab.deploy.ClusterSettings;
import io.pgha.lab.deploy.ClusterUp;
import io.pgha.lab.deploy.Component;
import io.pgha.lab.deploy.Components;
import io.pgha.lab.deploy.Installation;
import io.pgha.lab.deploy.Supervisor;
import io.pgha.lab.topology.Topology;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One run of {@code pgha bench}: makes sure the cluster runs (starting it if nothing of it does,
 * and stopping it again at the end), runs the chosen suites, and returns what they measured.
 */
public final class Bench {
  /** The parts of the bench, in the order they run (detection last: it kills the leader). */
  public enum Suite {
    SCRAPE, SCALE, TLS, DETECTION;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Suite parse(String text) {
      try {
        return valueOf(text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown bench '" + text + "' (scrape, detection, scale, tls)", e);
      }
    }
  }

  private final Topology t;
  private final BenchPlan plan;
  private final Set<Suite> suites;
  private final Installation installation;
  private final PrintStream out;
  private final int twinOffset;

  /**
   * {@code twinOffset}: where {@link Suite#TLS} runs its twin cluster. No suite named: every one,
   * but the quick plan leaves out TLS (a second cluster is not a quick check).
   */
  public Bench(Topology t, BenchPlan plan, Set<Suite> suites, Installation installation, PrintStream out, int twinOffset) {
    this.t = t;
    this.plan = plan;
    this.suites = !suites.isEmpty() ? EnumSet.copyOf(suites)
        : plan.quick() ? EnumSet.complementOf(EnumSet.of(Suite.TLS)) : EnumSet.allOf(Suite.class);
    this.installation = installation;
    this.out = out;
    this.twinOffset = twinOffset;
  }

  /** The suites this run measures. */
  public Set<Suite> suites() {
    return EnumSet.copyOf(suites);
  }

  public BenchReport run() throws Exception {
    long t0 = System.nanoTime();
    LoadAverage.Start load = LoadAverage.start();
    BenchContext c = new BenchContext(t, plan, installation, out);
    boolean startedHere = ensureCluster(c);
    try {
      c.say("bench %s (%s plan) on the cluster in %s, offset %d",
          String.join(", ", suites.stream().map(Suite::label).toList()), plan.quick() ? "quick" : "full",
          t.workdir(), t.offset());
      MachineInfo machine = MachineInfo.read(t, c.awaitLeader(Duration.ofSeconds(60)), c.db, installation.repoHome());
      List<ScrapeRow> scrape = List.of();
      List<MemoryRow> memory = List.of();
      List<ScaleRow> scale = List.of();
      List<TlsRow> tls = List.of();
      DetectionSuite.Result detection = new DetectionSuite.Result(List.of(), List.of(), List.of());
      List<String> notes = new ArrayList<>();
      if (suites.contains(Suite.SCRAPE)) {
        ScrapeSuite.Result r = new ScrapeSuite(c).run();
        scrape = r.rows();
        memory = r.memory();
        notes.addAll(r.notes());
      }
      if (suites.contains(Suite.SCALE)) {
        ScaleSuite.Result r = new ScaleSuite(c).run();
        scale = r.rows();
        notes.addAll(r.notes());
      }
      if (suites.contains(Suite.TLS)) {
        tls = new TlsSuite(c, twinOffset).run();
      }
      if (suites.contains(Suite.DETECTION)) {
        detection = new DetectionSuite(c).run();
        notes.addAll(detection.notes());
      }
      return new BenchReport(machine, plan, suites.stream().map(Suite::label).toList(),
          Duration.ofNanos(System.nanoTime() - t0), load.until(), Components.exporterJvmOptions(),
          scrape, memory, detection.rows(), detection.changes(), scale, tls, notes);
    } finally {
      if (startedHere) {
        c.say("stopping the cluster the bench started");
        new ClusterDown(t, out).run(false);
      }
    }
  }

  /** Starts the cluster when none of its processes runs; true if it did. */
  private boolean ensureCluster(BenchContext c) throws Exception {
    Supervisor sup = new Supervisor(t.workdirPath());
    List<Component> all = Components.describe(t).all();
    long running = all.stream().filter(x -> sup.pid(x.name()).isPresent()).count();
    if (running == all.size()) {
      return false;
    }
    c.say(running == 0 ? "no cluster runs in %s: starting one" : "the cluster in %s is partly down: "
        + "starting what is missing", t.workdir());
    new ClusterUp(t, ClusterSettings.DEFAULTS, installation, out).run(180);
    return running == 0;
  }
}
