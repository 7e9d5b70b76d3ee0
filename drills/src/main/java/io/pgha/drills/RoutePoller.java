package io.pgha.drills;

import io.pgha.lab.client.HaproxyStats;
import io.pgha.lab.client.Http;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/** Reads HAProxy's stats CSV: which servers its write and read backends route to. */
final class RoutePoller implements Runnable {

  private static final Http HTTP = new Http(Duration.ofMillis(500));

  private final String url;
  private final LongSupplier clock;
  private final Recorder<RouteSample> into;

  RoutePoller(String statsCsvUrl, LongSupplier clock, Recorder<RouteSample> into) {
    this.url = statsCsvUrl;
    this.clock = clock;
    this.into = into;
  }

  @Override
  public void run() {
    Http.Response r = HTTP.get(url);
    if (Thread.currentThread().isInterrupted()) {
      return;
    }
    if (r.status() != 200) {
      into.add(new RouteSample(clock.getAsLong(), false, List.of(), List.of()));
      return;
    }
    List<HaproxyStats.ServerState> servers = HaproxyStats.parse(r.body());
    into.add(new RouteSample(clock.getAsLong(), true, names(servers, HaproxyStats.WRITE),
        names(servers, HaproxyStats.READ)));
  }

  private static List<String> names(List<HaproxyStats.ServerState> servers, String proxy) {
    return HaproxyStats.upIn(servers, proxy).stream().map(HaproxyStats.ServerState::server).sorted().toList();
  }
}
