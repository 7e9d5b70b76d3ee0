package io.pgha.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.pgha.lab.client.EtcdGrpc;
import io.pgha.lab.client.Http;
import io.pgha.etcd.EtcdMetrics;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Measures detection latency: from the moment the leader key changes in etcd (as seen by this
 * meter's own watch, or as passed in by a caller that made the change) to the moment each target's
 * /metrics shows the new leader. Every target is polled at its own interval; figures, not a test.
 *
 * <p>Reusable by {@code ./pgha bench detection}: start it, cause switchovers or kills, read
 * {@link #samples()}. Runnable alone to bench exporter-etcd against a simulated leader key:
 * {@code java -cp pgha-cli.jar io.pgha.bench.DetectionLatencyMeter ENDPOINTS SCOPE METRICS_URL CHANGES}.
 */
public final class DetectionLatencyMeter implements AutoCloseable {

  /** Something that shows the leader in its /metrics, polled every {@code interval}. */
  public record Target(String name, Function<String, URI> metricsUrl, Duration interval, Pattern showsLeaderTemplate) {

    /** This exporter: {@code pgha_dcs_leader{member="X",scope="S"} 1}. */
    public static Target pgha(URI metricsUrl, String scope, Duration interval) {
      return new Target("pgha", leader -> metricsUrl, interval, Pattern.compile(
          "(?m)^" + EtcdMetrics.DCS_LEADER.name() + "\\{member=\"%LEADER%\",scope=\"" + Pattern.quote(scope)
              + "\"\\} 1(\\.0)?$"));
    }

    /** Patroni's own /metrics of the new leader (3.0 says patroni_master, later patroni_primary). */
    public static Target patroni(Map<String, URI> memberMetricsUrls, Duration interval) {
      return new Target("patroni", memberMetricsUrls::get, interval,
          Pattern.compile("(?m)^patroni_(master|primary)\\s*(\\{[^}]*\\})? 1(\\.0)?$"));
    }

    boolean shows(String body, String leader) {
      return Pattern.compile(showsLeaderTemplate.pattern().replace("%LEADER%", Pattern.quote(leader)))
          .matcher(body).find();
    }
  }

  /** One change seen by one target: {@code millis} from the key change to the target showing it. */
  public record Sample(String target, String leader, double millis) {}

  /** A new holder of the leader key, as this meter's watch saw it ({@code atNanos}: System.nanoTime()). */
  public record Change(String leader, long atNanos) {}

  private static final Duration GIVE_UP = Duration.ofSeconds(60);

  private final Client client;
  private final ByteSequence key;
  private final List<Target> targets;
  private final HttpClient http = Http.newClient(Duration.ofSeconds(1));
  private final ExecutorService pollers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "pgha-detection-poller");
    t.setDaemon(true);
    return t;
  });
  private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
  private final List<String> misses = Collections.synchronizedList(new ArrayList<>());
  private final List<Change> changes = Collections.synchronizedList(new ArrayList<>());
  private Watch.Watcher watcher;
  private String lastHolder;

  public DetectionLatencyMeter(List<URI> endpoints, String leaderKey, List<Target> targets) {
    this.client = EtcdGrpc.client(endpoints);
    this.key = ByteSequence.from(leaderKey, StandardCharsets.UTF_8);
    this.targets = List.copyOf(targets);
  }

  /**
   * Watches the key and measures every change to a new holder from the moment the watch sees it.
   * The current holder is read first, so a leader that merely rewrites its own key is no change.
   */
  public DetectionLatencyMeter watch() {
    WatchOption from = WatchOption.DEFAULT;
    try {
      GetResponse current = client.getKVClient().get(key).get(5, TimeUnit.SECONDS);
      synchronized (this) {
        lastHolder = current.getKvs().isEmpty() ? null
            : current.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8);
      }
      from = WatchOption.builder().withRevision(current.getHeader().getRevision() + 1).build();
    } catch (ExecutionException | TimeoutException e) {
      // No answer: watch from now on; the first holder seen then counts as a change.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watcher = client.getWatchClient().watch(key, from, response -> {
      long at = System.nanoTime();
      for (WatchEvent e : response.getEvents()) {
        if (e.getEventType() == WatchEvent.EventType.PUT) {
          String holder = e.getKeyValue().getValue().toString(StandardCharsets.UTF_8);
          synchronized (this) {
            if (!holder.equals(lastHolder)) {
              lastHolder = holder;
              changes.add(new Change(holder, at));
              measure(holder, at);
            }
          }
        }
      }
    });
    return this;
  }

  /** Measures a change the caller made (or saw) at {@code changedAtNanos} (System.nanoTime()). */
  public void measure(String leader, long changedAtNanos) {
    for (Target t : targets) {
      pollers.execute(() -> poll(t, leader, changedAtNanos));
    }
  }

  private void poll(Target target, String leader, long since) {
    long deadline = since + GIVE_UP.toNanos();
    URI url = target.metricsUrl().apply(leader);
    while (url != null && System.nanoTime() < deadline) {
      try {
        String body = http.send(Http.authorize(HttpRequest.newBuilder(url), url).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        long seen = System.nanoTime();
        if (target.shows(body, leader)) {
          samples.add(new Sample(target.name(), leader, (seen - since) / 1e6));
          return;
        }
      } catch (IOException e) {
        // the target may be restarting; keep polling until the give-up deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      sleep(target.interval());
    }
    misses.add(target.name() + ": " + leader + " not shown within " + GIVE_UP.toSeconds() + " s");
  }

  public List<Sample> samples() {
    return List.copyOf(samples);
  }

  public List<String> misses() {
    return List.copyOf(misses);
  }

  /** Every change of holder the watch saw, in order (a caller that causes changes waits on these). */
  public List<Change> changes() {
    return List.copyOf(changes);
  }

  /** p50, p95 and max per target, e.g. {@code pgha: n=25 p50=12.3 ms p95=20.1 ms max=24.0 ms}. */
  public static String summary(List<Sample> samples) {
    StringBuilder s = new StringBuilder();
    samples.stream().map(Sample::target).distinct().sorted().forEach(target -> {
      double[] ms = samples.stream().filter(x -> x.target().equals(target)).mapToDouble(Sample::millis).sorted().toArray();
      s.append(String.format(Locale.ROOT, "%s: n=%d p50=%.1f ms p95=%.1f ms max=%.1f ms%n",
          target, ms.length, percentile(ms, 50), percentile(ms, 95), ms[ms.length - 1]));
    });
    return s.toString();
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(Math.max(1, d.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    pollers.shutdownNow();
    client.close();
  }

  /**
   * Simulates Patroni's switchovers on the leader key (release, then the next member takes it with
   * a lease) and reports how soon the exporter at METRICS_URL shows each new leader.
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 4 || args.length > 5 || (args.length == 5 && !List.of("put", "watch").contains(args[4]))) {
      System.err.println("usage: DetectionLatencyMeter ENDPOINTS(comma-separated) SCOPE METRICS_URL CHANGES [put|watch]");
      System.err.println("  put: time from just before each put is sent; watch (default): from when this meter's watch sees it");
      System.exit(2);
    }
    boolean fromPut = args.length == 5 && args[4].equals("put");
    List<URI> endpoints = List.of(args[0].split(",")).stream().map(URI::create).toList();
    String scope = args[1];
    int changes = Integer.parseInt(args[3]);
    String leaderKey = Topology.NAMESPACE + scope + "/leader";
    try (DetectionLatencyMeter meter = new DetectionLatencyMeter(endpoints, leaderKey,
        List.of(Target.pgha(URI.create(args[2]), scope, Duration.ofMillis(2))))) {
      Client etcd = meter.client;
      if (!fromPut) {
        meter.watch();
      }
      long lease = etcd.getLeaseClient().grant(30).get(5, TimeUnit.SECONDS).getID();
      ByteSequence key = meter.key;
      for (int i = 0; i < changes; i++) {
        String next = "pg-" + (i % 3 + 1);
        etcd.getKVClient().delete(key).get(5, TimeUnit.SECONDS);
        long before = System.nanoTime();
        etcd.getKVClient().put(key, ByteSequence.from(next, StandardCharsets.UTF_8),
            PutOption.builder().withLeaseId(lease).build()).get(5, TimeUnit.SECONDS);
        if (fromPut) {
          meter.measure(next, before); // from just before the put is sent: an upper bound
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (meter.samples().size() + meter.misses().size() <= i && System.nanoTime() < until) {
          Thread.sleep(1);
        }
        Thread.sleep(300); // let the exporter settle, as between real switchovers
      }
      meter.samples().forEach(s -> System.out.printf(Locale.ROOT, "%s %s %.1f ms%n", s.target(), s.leader(), s.millis()));
      meter.misses().forEach(m -> System.out.println("MISS " + m));
      System.out.print(summary(meter.samples()));
    }
  }
}
