package io.pgha.etcd;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway 3-member etcd cluster (Debian's etcd-server, binary {@code etcd}) on loopback,
 * started with a static bootstrap and stopped by PID. Members are 0-based.
 */
final class EtcdTestCluster implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final List<String> hosts;
  private final Path dir;
  private final Process[] processes;

  EtcdTestCluster(List<String> hosts, Path dir) {
    this.hosts = List.copyOf(hosts);
    this.dir = dir;
    this.processes = new Process[hosts.size()];
  }

  List<URI> clientUrls() {
    return hosts.stream().map(h -> URI.create("http://" + h + ":2379")).toList();
  }

  String name(int i) {
    return "etcd-" + (i + 1);
  }

  EtcdTestCluster startAll() throws IOException {
    for (int i = 0; i < hosts.size(); i++) {
      start(i);
    }
    return this;
  }

  void start(int i) throws IOException {
    Path data = dir.resolve(name(i));
    boolean existing = Files.isDirectory(data.resolve("member"));
    String initial = "";
    for (int j = 0; j < hosts.size(); j++) {
      initial += (j == 0 ? "" : ",") + name(j) + "=http://" + hosts.get(j) + ":2380";
    }
    String host = hosts.get(i);
    processes[i] = new ProcessBuilder("etcd", "--name", name(i), "--data-dir", data.toString(),
        "--listen-client-urls", "http://" + host + ":2379", "--advertise-client-urls", "http://" + host + ":2379",
        "--listen-peer-urls", "http://" + host + ":2380", "--initial-advertise-peer-urls", "http://" + host + ":2380",
        "--initial-cluster", initial, "--initial-cluster-state", existing ? "existing" : "new",
        "--initial-cluster-token", "pgha-etcd-test")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name(i) + ".log").toFile()))
        .start();
  }

  /** SIGTERM, and wait for the process to end. */
  void stop(int i) throws InterruptedException {
    Process p = processes[i];
    p.destroy();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** SIGKILL: the member vanishes without closing anything gracefully. */
  void kill(int i) throws InterruptedException {
    processes[i].destroyForcibly().waitFor(5, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the member freezes with its connections open, which no error reveals. */
  void freeze(int i) throws IOException, InterruptedException {
    signal(i, "STOP");
  }

  void thaw(int i) throws IOException, InterruptedException {
    signal(i, "CONT");
  }

  private void signal(int i, String signal) throws IOException, InterruptedException {
    int rc = new ProcessBuilder("kill", "-" + signal, Long.toString(processes[i].pid())).inheritIO().start().waitFor();
    if (rc != 0) {
      throw new IOException("kill -" + signal + " " + processes[i].pid() + " exited " + rc);
    }
  }

  /** etcd's own /health on the client port: 200 with quorum. */
  boolean healthy(int i) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + hosts.get(i) + ":2379/health"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("\"true\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  boolean allHealthy() {
    for (int i = 0; i < hosts.size(); i++) {
      if (!healthy(i)) {
        return false;
      }
    }
    return true;
  }

  /** The member serving our (only) watch stream, from etcd's own watcher gauge. */
  int memberWithWatch() throws IOException, InterruptedException {
    for (int i = 0; i < hosts.size(); i++) {
      String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + hosts.get(i) + ":2379/metrics"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
      if (metrics.lines().anyMatch(l -> l.startsWith("etcd_debugging_mvcc_watcher_total ") && !l.endsWith(" 0"))) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    List<Process> running = new ArrayList<>();
    for (Process p : processes) {
      if (p != null && p.isAlive()) {
        running.add(p);
        try {
          // a frozen member ignores SIGTERM until continued
          new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        p.destroy();
      }
    }
    for (Process p : running) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
