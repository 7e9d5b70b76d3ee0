package io.pgha.lab.deploy;

import io.pgha.lab.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every process of one cluster, with its command line, its ports and where it keeps its files. */
public final class Components {
  public static final String HAPROXY = "haproxy";
  public static final String PROMETHEUS = "prometheus";
  public static final String ALERTMANAGER = "alertmanager";
  public static final String RECEIVER = "receiver";
  public static final List<String> EXPORTERS = List.of("patroni", "postgres", "etcd");
  /** The one process of the exporters when they share a JVM ({@link ExporterJvms#ONE}). */
  public static final String EXPORTERS_IN_ONE_JVM = "exporters";
  /**
   * Small JVMs: the exporters and the receiver hold little and should cost little when idle. A small
   * initial heap matters most: the young generation is touched whole, so it is what idle RSS is.
   */
  private static final List<String> SMALL_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-Xss512k", "-XX:MaxMetaspaceSize=96m");

  /**
   * The serial collector's old generation sized close to what is live: grown after a full
   * collection to keep 15 % free (40 by default) and given back above 40 % free (70). At the
   * bench's 100-scope site the one JVM's RSS was 144-146 MB after the scrapes instead of 155-156
   * (three bench runs each way), the scrapes' medians within the runs' spread.
   */
  private static final List<String> HEAP_KEPT_SMALL = List.of("-XX:MaxHeapFreeRatio=40", "-XX:MinHeapFreeRatio=15");

  private final Topology t;
  private final ConfigFiles files;
  private final Installation installation;
  private final ExporterJvms exporterJvms;

  public Components(Topology topology, ConfigFiles files, Installation installation) {
    this(topology, files, installation, ExporterJvms.of(topology.workdirPath()));
  }

  public Components(Topology topology, ConfigFiles files, Installation installation,
      ExporterJvms exporterJvms) {
    this.t = topology;
    this.files = files;
    this.installation = installation;
    this.exporterJvms = exporterJvms;
  }

  /**
   * The components of a cluster for naming, PIDs and ports only (as {@code down} needs them): their
   * command lines are not meant to run.
   */
  public static Components describe(Topology topology) {
    Path none = Path.of("/nonexistent");
    return new Components(topology, new ConfigFiles(topology, ClusterSettings.DEFAULTS, none),
        new Installation(none, Path.of("java"), none));
  }

  /**
   * The JVM options every exporter runs with (also used by {@code pgha bench} for its own instances).
   * {@code -XX:TrimNativeHeapInterval} (Java 17.0.9 and later) hands the C heap's free memory back to
   * the system every 5 s: the exporters' threads leave malloc arenas that glibc keeps otherwise; at
   * the bench's 100-scope site, 50 targets, when exporter-postgres still had one thread per target,
   * it took about 10 MB off the one JVM's RSS (149-157 against 163-172 MB) for 3-5 ms of CPU per trim.
   */
  public static List<String> exporterJvmOptions() {
    List<String> options = new ArrayList<>(List.of("-Xms16m", "-Xmx64m"));
    options.addAll(SMALL_JVM);
    options.addAll(HEAP_KEPT_SMALL);
    options.add("-XX:TrimNativeHeapInterval=5000");
    return options;
  }

  /**
   * The exporters' part of the one-JVM launcher's command line: {@code patroni FLAGS -- postgres
   * FLAGS -- etcd FLAGS}, with each exporter's flags in the order of {@link #EXPORTERS}.
   */
  public static List<String> launcherGroups(List<List<String>> flags) {
    List<String> args = new ArrayList<>();
    for (int i = 0; i < EXPORTERS.size(); i++) {
      if (i > 0) {
        args.add("--");
      }
      args.add(EXPORTERS.get(i));
      args.addAll(flags.get(i));
    }
    return args;
  }

  public static String exporterName(String exporter) {
    return "exporter-" + exporter;
  }

  private Path wd() {
    return t.workdirPath();
  }

  private Path config(String file) {
    return wd().resolve("config").resolve(file);
  }

  public List<Component> etcd() {
    List<Component> out = new ArrayList<>();
    for (Topology.EtcdMember e : t.etcd()) {
      boolean hasData = Files.isDirectory(wd().resolve(e.name()).resolve("member"));
      out.add(new Component(e.name(), Component.Kind.ETCD, files.etcdCommand(e, hasData),
          List.of(new Component.Port(e.host(), e.clientPort(), e.name() + " client"),
              new Component.Port(e.host(), e.peerPort(), e.name() + " peer")),
          false, wd()));
    }
    return out;
  }

  public List<Component> patroni() {
    List<Component> out = new ArrayList<>();
    for (Topology.Member m : t.members()) {
      Path home = wd().resolve(m.name());
      out.add(new Component(m.name(), Component.Kind.PATRONI,
          List.of("patroni", home.resolve("patroni.yml").toString()),
          List.of(new Component.Port(m.host(), m.restPort(), m.name() + " Patroni REST API"),
              new Component.Port(m.host(), m.pgPort(), m.name() + " PostgreSQL")),
          true, home));
    }
    return out;
  }

  /** HAProxy, Prometheus, Alertmanager, the receiver and the exporters. */
  public List<Component> services() {
    Topology.Haproxy h = t.haproxy();
    List<Component> out = new ArrayList<>();
    out.add(new Component(HAPROXY, Component.Kind.SERVICE,
        List.of("haproxy", "-db", "-f", config("haproxy.cfg").toString()),
        List.of(new Component.Port(h.host(), h.writePort(), "HAProxy write"),
            new Component.Port(h.host(), h.readPort(), "HAProxy read"),
            new Component.Port(h.host(), h.statsPort(), "HAProxy stats")),
        false, wd()));
    Topology.Endpoint p = t.prometheus();
    out.add(new Component(PROMETHEUS, Component.Kind.SERVICE,
        List.of("prometheus", "--config.file=" + config("prometheus.yml"),
            "--storage.tsdb.path=" + wd().resolve("prometheus"),
            "--storage.tsdb.retention.time=7d",
            "--web.listen-address=" + p.host() + ":" + p.port(),
            "--web.enable-lifecycle"),
        List.of(new Component.Port(p.host(), p.port(), "Prometheus")), false, wd()));
    Topology.Endpoint a = t.alertmanager();
    out.add(new Component(ALERTMANAGER, Component.Kind.SERVICE,
        List.of("prometheus-alertmanager", "--config.file=" + config("alertmanager.yml"),
            "--storage.path=" + wd().resolve("alertmanager"),
            "--web.listen-address=" + a.host() + ":" + a.port(),
            "--cluster.listen-address="),
        List.of(new Component.Port(a.host(), a.port(), "Alertmanager")), false, wd()));
    Topology.Endpoint r = t.receiver();
    List<String> receiver = new ArrayList<>(List.of(installation.javaBin().toString(), "-Xms8m", "-Xmx16m"));
    receiver.addAll(SMALL_JVM);
    receiver.addAll(List.of("-jar", installation.cliJar().toString(), "receiver", "--workdir", wd().toString(),
        "--offset", Integer.toString(t.offset())));
    out.add(new Component(RECEIVER, Component.Kind.SERVICE, receiver,
        List.of(new Component.Port(r.host(), r.port(), "pgha alert receiver")), false, wd()));
    out.addAll(exporters(exporterJvms));
    return out;
  }

  /** The exporters' process(es) in the given mode. */
  public List<Component> exporters(ExporterJvms mode) {
    String lo = t.haproxy().host();
    int[] ports = {t.exporters().patroni(), t.exporters().postgres(), t.exporters().etcd()};
    List<Component> out = new ArrayList<>();
    if (mode == ExporterJvms.ONE) {
      List<String> cmd = new ArrayList<>(List.of(installation.javaBin().toString()));
      cmd.addAll(exporterJvmOptions());
      cmd.addAll(List.of("-jar", installation.exportersJar().toString()));
      List<List<String>> flags = new ArrayList<>();
      List<Component.Port> listens = new ArrayList<>();
      for (int i = 0; i < EXPORTERS.size(); i++) {
        String x = EXPORTERS.get(i);
        flags.add(List.of("--config", config(exporterName(x) + ".yml").toString()));
        listens.add(new Component.Port(lo, ports[i], "exporter-" + x));
      }
      cmd.addAll(launcherGroups(flags));
      out.add(new Component(EXPORTERS_IN_ONE_JVM, Component.Kind.SERVICE, cmd, listens, false, wd()));
      return out;
    }
    for (int i = 0; i < EXPORTERS.size(); i++) {
      String x = EXPORTERS.get(i);
      List<String> cmd = new ArrayList<>(List.of(installation.javaBin().toString()));
      cmd.addAll(exporterJvmOptions());
      cmd.addAll(List.of("-jar", installation.exporterJar(x).toString(),
          "--config", config(exporterName(x) + ".yml").toString()));
      out.add(new Component(exporterName(x), Component.Kind.SERVICE, cmd,
          List.of(new Component.Port(lo, ports[i], "exporter-" + x)), false, wd()));
    }
    return out;
  }

  /** The exporters as the other mode runs them: what {@code down} and a switch of mode must stop too. */
  public List<Component> otherExporters() {
    return exporters(exporterJvms == ExporterJvms.ONE ? ExporterJvms.SEPARATE : ExporterJvms.ONE);
  }

  public ExporterJvms exporterJvms() {
    return exporterJvms;
  }

  /**
   * The process serving one exporter ({@code patroni}, {@code postgres}, {@code etcd}) in this
   * cluster's mode: stopping or killing it takes all three down when they share one JVM.
   */
  public String exporterProcess(String exporter) {
    return exporterJvms == ExporterJvms.ONE ? EXPORTERS_IN_ONE_JVM : exporterName(exporter);
  }

  public List<Component> all() {
    List<Component> out = new ArrayList<>(etcd());
    out.addAll(patroni());
    out.addAll(services());
    return out;
  }
}
