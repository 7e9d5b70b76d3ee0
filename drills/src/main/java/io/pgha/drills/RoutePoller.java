package io.pgha.drills;

import io.pgha.lab.client.HaproxyStats;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/** Reads HAProxy's stats CSV: which servers its write and read backends route to. */
final class RoutePoller implements Runnable {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofMillis(300)).build();

  private final URI url;
  private final LongSupplier clock;
  private final Recorder<RouteSample> into;

  RoutePoller(String statsCsvUrl, LongSupplier clock, Recorder<RouteSample> into) {
    this.url = URI.create(statsCsvUrl);
    this.clock = clock;
    this.into = into;
  }

  @Override
  public void run() {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofMillis(500)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        into.add(new RouteSample(clock.getAsLong(), false, List.of(), List.of()));
        return;
      }
      List<HaproxyStats.ServerState> servers = HaproxyStats.parse(r.body());
      into.add(new RouteSample(clock.getAsLong(), true, names(servers, HaproxyStats.WRITE),
          names(servers, HaproxyStats.READ)));
    } catch (IOException e) {
      into.add(new RouteSample(clock.getAsLong(), false, List.of(), List.of()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<String> names(List<HaproxyStats.ServerState> servers, String proxy) {
    return HaproxyStats.upIn(servers, proxy).stream().map(HaproxyStats.ServerState::server).sorted().toList();
  }
}
