package io.pgha.lab.deploy;

import io.pgha.lab.client.Http;
import io.pgha.lab.net.HostCgroups;
import io.pgha.lab.net.NetFaultRecord;
import io.pgha.lab.status.ClusterStateReader;
import io.pgha.lab.status.StatusReport;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pgha up}: starts whatever part of the cluster is not running (everything on a fresh work
 * dir, nothing on a running cluster), then waits until the whole cluster is ready.
 */
public final class ClusterUp {
  /** A port of a component to start is already in use: nothing was started. */
  public static final class PortTakenException extends Exception {
    public PortTakenException(String message) {
      super(message);
    }
  }

  /** Only root may raise the priority back afterwards, so only root lowers it. */
  private static final int STARTUP_NICE = 10;

  private final Topology t;
  private final ClusterSettings settings;
  private final Installation installation;
  private final PrintStream out;
  /** When this up started each component; Prometheus must have scraped it since. */
  private final Map<String, Instant> started = new HashMap<>();
  /** How to run the exporters; null: as the work dir ran them last (see {@link ExporterJvms}). */
  private ExporterJvms exporterJvms;

  public ClusterUp(Topology topology, ClusterSettings settings, Installation installation, PrintStream out) {
    this.t = topology;
    this.settings = settings;
    this.installation = installation;
    this.out = out;
  }

  /** Runs the exporters one JVM each or all in one (switching a running cluster over). */
  public ClusterUp exporterJvms(ExporterJvms mode) {
    this.exporterJvms = mode;
    return this;
  }

  /** Returns when the cluster is ready; throws when it did not get ready in time. */
  public void run(long timeoutSeconds) throws Exception {
    long t0 = System.nanoTime();
    Workspace.validate(t);
    try (WorkdirLock lock = WorkdirLock.acquire(t.workdirPath())) {
      run(t0, timeoutSeconds);
    }
  }

  private void run(long t0, long timeoutSeconds) throws Exception {
    Http http = new Http();
    // As root each etcd and Patroni member starts in a cgroup of its own (the drills' network faults).
    Supervisor supervisor = new Supervisor(t.workdirPath(), Users.isRoot() ? HostCgroups.of(t).orElse(null) : null);
    Readiness ready = new Readiness(t, supervisor, http, out, t0, timeoutSeconds);
    List<String> leftovers = NetFaultRecord.clearLeftovers(t, Users.isRoot());
    if (!leftovers.isEmpty()) {
      ready.print("removed the network faults an earlier drill left: " + String.join(", ", leftovers));
    }
    Packages.ensure(out);
    ready.print("packages " + String.join(", ", Packages.REQUIRED) + ": installed");

    Secrets secrets = new Secrets(t.workdirPath());
    ConfigFiles files = new ConfigFiles(t, settings, installation.repoHome());
    ExporterJvms mode = exporterJvms != null ? exporterJvms : ExporterJvms.of(t.workdirPath());
    Components components = new Components(t, files, installation, mode);
    List<String> otherMode = components.otherExporters().stream().map(Component::name)
        .filter(n -> supervisor.pid(n).isPresent()).toList();
    if (!otherMode.isEmpty()) {
      supervisor.stop(otherMode, java.time.Duration.ofSeconds(5));
      ready.print("stopped " + String.join(", ", otherMode) + ": the exporters now run "
          + (mode == ExporterJvms.ONE ? "in one JVM" : "one JVM each"));
    }
    List<Component> all = components.all();
    List<Component> missing = all.stream().filter(c -> supervisor.pid(c.name()).isEmpty()).toList();
    if (missing.isEmpty()) {
      ready.print("cluster already running in " + t.workdir() + " (" + all.size()
          + " processes): nothing started");
    } else {
      if (missing.size() < all.size()) {
        ready.print("running already: " + names(all.stream().filter(c -> !missing.contains(c)).toList()));
      }
      List<Component.Port> ports = new ArrayList<>();
      missing.forEach(c -> ports.addAll(c.ports()));
      List<Component.Port> taken = PortCheck.taken(ports);
      if (!taken.isEmpty()) {
        throw new PortTakenException((taken.size() == 1 ? "port " : "ports ")
            + taken.stream().map(Component.Port::toString).reduce((a, b) -> a + ", " + b).get()
            + (taken.size() == 1 ? " is" : " are") + " already in use; nothing was started");
      }
      for (Path jar : installation.exporterJars(mode)) {
        if (!Files.isRegularFile(jar)) {
          throw new IOException(jar + " is missing: build the project first (./pgha builds it, or "
              + "./mvnw -B package -DskipTests)");
        }
      }
      new Workspace(t, files, secrets).prepare();
      mode.save(t.workdirPath());
    }
    ready.watch(all.stream().filter(c -> !missing.contains(c)).map(Component::name).toList());

    // Start-up order matters on 2 cores: the light native services and etcd first; Patroni as
    // soon as etcd has a quorum; the JVMs (exporters, receiver) last and at a lower priority, as
    // their start-up CPU would otherwise delay Patroni's bootstrap.
    // Prometheus first of all: it sends its first targets to the scrapers only after a 5 s
    // discovery tick, then scrapes each within one interval. That, not PostgreSQL, is the floor
    // of a cold start.
    startAll(supervisor, missing.stream().filter(c -> !isJvm(c) && c.kind() == Component.Kind.SERVICE)
        .toList(), ready, 0);
    startEtcd(supervisor, missing.stream().filter(c -> c.kind() == Component.Kind.ETCD).toList(),
        http, ready);
    ready.etcdQuorum();
    startAll(supervisor, missing.stream().filter(c -> c.kind() == Component.Kind.PATRONI).toList(),
        ready, 0);
    List<Component> jvms = missing.stream().filter(ClusterUp::isJvm).toList();
    startAll(supervisor, jvms, ready, Users.isRoot() ? STARTUP_NICE : 0);

    Topology.Member leader = ready.leader();
    Database db = new Database(secrets, t);
    ready.await("roles", () -> {
      db.ensureRoles(leader.host(), leader.pgPort());
      return Readiness.Attempt.done(Secrets.MONITOR + " (pg_monitor), " + Secrets.APP);
    });
    ready.streaming(db, leader);
    ready.haproxyRouted(leader);
    ready.await("demo schema", () -> {
      db.applyDemoSchema(t.haproxy().host(), t.haproxy().writePort());
      return Readiness.Attempt.done("owners, events (as app, through port " + t.haproxy().writePort() + ")");
    });
    ready.prometheusTargets(started);
    if (Users.isRoot()) {
      jvms.forEach(c -> supervisor.renice(c.name(), 0));
    }
    ready.print("ready");
    out.println();
    out.print(urls());
    out.println();
    out.print(StatusReport.render(new ClusterStateReader(http).read(t)));
  }

  /**
   * A new etcd member first asks its peers whether it was bootstrapped already, waiting up to 1 s
   * for each peer that listens but does not serve yet: started together, three fresh members lose
   * 2 s that way. One after the other, each finds its peers either serving or not listening at
   * all, and goes on at once. Members with data skip that check and start together.
   */
  private void startEtcd(Supervisor supervisor, List<Component> etcd, Http http, Readiness ready)
      throws IOException, InterruptedException {
    List<Component> fresh = etcd.stream()
        .filter(c -> !Files.isDirectory(t.workdirPath().resolve(c.name()).resolve("member"))).toList();
    for (Component c : etcd) {
      started.put(c.name(), Instant.now());
      ready.watch(c.name(), supervisor.start(c));
      if (fresh.contains(c)) {
        String members = t.etcdMember(c.name()).peerUrl() + "/members";
        long until = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < until && !http.get(members).ok()) {
          Thread.sleep(20);
        }
      }
    }
    if (!etcd.isEmpty()) {
      ready.print("started " + names(etcd));
    }
  }

  private static boolean isJvm(Component c) {
    return c.name().equals(Components.RECEIVER) || c.name().startsWith("exporter-")
        || c.name().equals(Components.EXPORTERS_IN_ONE_JVM);
  }

  private void startAll(Supervisor supervisor, List<Component> cs, Readiness ready, int nice)
      throws IOException {
    if (cs.isEmpty()) {
      return;
    }
    for (Component c : cs) {
      started.put(c.name(), Instant.now());
      ready.watch(c.name(), supervisor.start(c, nice));
    }
    ready.print("started " + names(cs));
  }

  private static String names(List<Component> cs) {
    return String.join(", ", cs.stream().map(Component::name).toList());
  }

  private String urls() {
    Topology.Haproxy h = t.haproxy();
    StringBuilder sb = new StringBuilder();
    String ssl = t.secured() ? "?sslmode=verify-full&sslrootcert=" + t.tls().caFile() : "";
    sb.append(String.format("%-14s postgresql://%s@%s:%d/%s%s   (pgha psql --write)%n", "write",
        Secrets.APP, h.host(), h.writePort(), Database.DATABASE, ssl));
    sb.append(String.format("%-14s postgresql://%s@%s:%d/%s%s   (pgha psql --read)%n", "read",
        Secrets.APP, h.host(), h.readPort(), Database.DATABASE, ssl));
    sb.append(String.format("%-14s http://%s:%d/%n", "HAProxy stats", h.host(), h.statsPort()));
    sb.append(String.format("%-14s %s/%n", "Prometheus", t.prometheus().url()));
    sb.append(String.format("%-14s %s/%n", "Alertmanager", t.alertmanager().url()));
    sb.append(String.format("%-14s %s%n", "Patroni REST", String.join(" ",
        t.members().stream().map(Topology.Member::restUrl).toList())));
    sb.append(String.format("%-14s %s%n", "passwords", t.workdirPath().resolve("secrets")));
    if (t.secured()) {
      sb.append(String.format("%-14s %s (CA %s; etcd, Patroni and the exporters speak https)%n", "TLS",
          t.workdirPath().resolve("tls"), t.tls().caFile()));
    }
    return sb.toString();
  }
}
