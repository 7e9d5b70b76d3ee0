package io.pgha.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.pgha.common.ExporterCommand;
import io.pgha.common.ExporterProcess;
import io.etcd.jetcd.options.PutOption;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The exporter against a real 3-member etcd 3.4 it starts itself (127.0.4.31-33 unless
 * {@code -Dpgha.test.etcd.hosts=a,b,c}), with Patroni's leader key written the way Patroni writes
 * it: a put with a lease, a delete on release, and the lease left to expire on a crash.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdExporterLiveTest {
  private static final String KEY = "/service/pgha/leader";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static EtcdTestCluster etcd;
  private static ExporterProcess exporter;
  private static Client writer;
  private static String metricsUrl;
  private static String listenHost;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    List<String> hosts = List.of(System.getProperty("pgha.test.etcd.hosts", "127.0.4.31,127.0.4.32,127.0.4.33").split(","));
    dir = Files.createTempDirectory("pgha-etcd-test");
    etcd = new EtcdTestCluster(hosts, dir).startAll();
    await().atMost(WAIT).until(etcd::allHealthy);
    writer = Client.builder().endpoints(etcd.clientUrls().toArray(URI[]::new)).build();
    listenHost = hosts.get(0).replaceFirst("\\.\\d+$", ".1");
    exporter = startExporter(etcd.clientUrls());
    metricsUrl = url(exporter);
  }

  @AfterAll
  static void stop() throws Exception {
    if (exporter != null) {
      exporter.close();
    }
    if (writer != null) {
      writer.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  @Order(1)
  void everyChangeOfTheLeaderKeyIsCountedAsItHappens() throws Exception {
    long lease = writer.getLeaseClient().grant(30).get(5, TimeUnit.SECONDS).getID();
    put("pg-1", lease);
    await().atMost(WAIT).until(() -> value(EtcdMetrics.DCS_LEADER.name() + "{member=\"pg-1\",scope=\"pgha\"}") == 1);
    Map<String, Double> before = scrape();

    delete();                       // a switchover: the old leader releases the key...
    put("pg-2", lease);             // ...and the new one takes it
    await().atMost(WAIT).until(() -> value(EtcdMetrics.DCS_LEADER.name() + "{member=\"pg-2\",scope=\"pgha\"}") == 1);
    Map<String, Double> after = scrape();
    assertThat(after.get(EtcdMetrics.DCS_LEADER.name() + "{member=\"pg-1\",scope=\"pgha\"}")).isZero();
    assertThat(changes(after) - changes(before)).isEqualTo(1);
    assertThat(delta(before, after, EtcdMetrics.DCS_LEADER_VACANCIES.name() + "{scope=\"pgha\"}")).isEqualTo(1);
    assertThat(after.get(EtcdMetrics.DCS_LEADER_LEASE_GRANTED_TTL_SECONDS.name() + "{scope=\"pgha\"}")).isEqualTo(30);

    long shortLease = writer.getLeaseClient().grant(2).get(5, TimeUnit.SECONDS).getID();
    put("pg-2", shortLease);        // the same holder again with a new lease: no change
    await().atMost(WAIT).until(() -> value(EtcdMetrics.DCS_LEADER_KEY_PRESENT.name() + "{scope=\"pgha\"}") == 0); // and it expires
    Map<String, Double> expired = scrape();
    assertThat(changes(expired) - changes(after)).isZero();
    assertThat(delta(after, expired, EtcdMetrics.DCS_LEADER_VACANCIES.name() + "{scope=\"pgha\"}")).isEqualTo(1);

    put("pg-2", lease);             // the same member takes it back after the vacancy
    await().atMost(WAIT).until(() -> value(EtcdMetrics.DCS_LEADER.name() + "{member=\"pg-2\",scope=\"pgha\"}") == 1);
    Map<String, Double> back = scrape();
    assertThat(changes(back) - changes(expired)).isZero();
    assertThat(back.get(EtcdMetrics.DCS_LAST_LEADER_VACANCY_SECONDS.name() + "{scope=\"pgha\"}")).isGreaterThan(0);
    assertThat(back.get(EtcdMetrics.DCS_WATCH_MISSED_EVENTS.name() + "{scope=\"pgha\"}")).as("the watch saw it all").isZero();
  }

  @Test
  @Order(2)
  void quorumFollowsStoppedMembersAndTheWatchRecoversByItself() throws Exception {
    await().atMost(WAIT).until(() -> value(EtcdMetrics.ETCD_CLUSTER_MEMBERS_HEALTHY.name()) == 3);
    assertThat(value(EtcdMetrics.ETCD_FAILURES_TOLERABLE.name())).isEqualTo(1);

    etcd.stop(0);
    await().atMost(WAIT).until(() -> value(EtcdMetrics.ETCD_CLUSTER_MEMBERS_HEALTHY.name()) == 2);
    Map<String, Double> one = scrape();
    assertThat(one.get(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name())).isEqualTo(1);
    assertThat(one.get(EtcdMetrics.ETCD_FAILURES_TOLERABLE.name())).isZero();
    assertThat(one.get(EtcdMetrics.ETCD_MEMBER_UP.name() + "{member=\"etcd-1\"}")).isZero();

    etcd.stop(1);
    await().atMost(WAIT).until(() -> value(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name()) == 0);
    Map<String, Double> two = scrape();
    assertThat(two.get(EtcdMetrics.ETCD_UP.name())).as("the survivor answers").isEqualTo(1);
    assertThat(two.get(EtcdMetrics.ETCD_MEMBER_UP.name() + "{member=\"etcd-3\"}")).isEqualTo(1);
    assertThat(two.get(EtcdMetrics.ETCD_MEMBER_HEALTHY.name() + "{member=\"etcd-3\"}")).isZero();
    assertThat(two.get(EtcdMetrics.ETCD_CLUSTER_MEMBERS_HEALTHY.name())).isZero();
    await().atMost(WAIT).until(() -> value(EtcdMetrics.DCS_WATCH_HEALTHY.name() + "{scope=\"pgha\"}") == 0);
    Map<String, Double> beforeRestart = scrape();

    etcd.start(0);
    etcd.start(1);
    await().atMost(WAIT).until(() -> value(EtcdMetrics.ETCD_CLUSTER_MEMBERS_HEALTHY.name()) == 3
        && value(EtcdMetrics.DCS_WATCH_HEALTHY.name() + "{scope=\"pgha\"}") == 1);
    assertThat(value(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name())).isEqualTo(1);

    delete();
    put("pg-3", 0);
    await().atMost(WAIT).until(() -> value(EtcdMetrics.DCS_LEADER.name() + "{member=\"pg-3\",scope=\"pgha\"}") == 1);
    Map<String, Double> after = scrape();
    assertThat(changes(after) - changes(beforeRestart)).isEqualTo(1);
    assertThat(delta(beforeRestart, after, EtcdMetrics.DCS_LEADER_VACANCIES.name() + "{scope=\"pgha\"}")).isEqualTo(1);
    assertThat(after.get(EtcdMetrics.DCS_WATCH_RECONNECTS.name() + "{scope=\"pgha\"}")).isGreaterThan(0);
  }

  @Test
  @Order(3)
  void changesWhileTheExportersEtcdIsDownAreReplayedNotLost() throws Exception {
    // A second exporter that knows only one member: while that member is down, its watch is too.
    int only = leaderIndex() == 2 ? 1 : 2;
    try (ExporterProcess second = startExporter(List.of(etcd.clientUrls().get(only)))) {
      String url = url(second);
      await().atMost(WAIT).until(() -> value(url, EtcdMetrics.DCS_WATCH_HEALTHY.name() + "{scope=\"pgha\"}") == 1);
      Map<String, Double> before = scrape(url);

      etcd.stop(only);
      await().atMost(WAIT).until(() -> value(url, EtcdMetrics.DCS_WATCH_HEALTHY.name() + "{scope=\"pgha\"}") == 0);
      try (Client others = writerExcept(only)) {
        delete(others);
        put(others, "pg-1");
        delete(others);
        put(others, "pg-2");
      }
      Map<String, Double> during = scrape(url);
      assertThat(during.get(EtcdMetrics.ETCD_UP.name())).as("its only endpoint is down").isZero();
      assertThat(changes(during) - changes(before)).isZero();

      etcd.start(only);
      await().atMost(WAIT).until(() -> changes(scrape(url)) >= changes(before) + 2);
      Map<String, Double> after = scrape(url);
      assertThat(after.get(EtcdMetrics.DCS_LEADER.name() + "{member=\"pg-2\",scope=\"pgha\"}")).isEqualTo(1);
      assertThat(changes(after) - changes(before)).isEqualTo(2);
      assertThat(delta(before, after, EtcdMetrics.DCS_LEADER_VACANCIES.name() + "{scope=\"pgha\"}")).isEqualTo(2);
      assertThat(after.get(EtcdMetrics.DCS_WATCH_HEALTHY.name() + "{scope=\"pgha\"}")).isEqualTo(1);
    }
    await().atMost(WAIT).until(() -> value(EtcdMetrics.ETCD_CLUSTER_MEMBERS_HEALTHY.name()) == 3);
  }

  @Test
  @Order(4)
  void aWatchOnAFrozenMemberIsCaughtByTheResync() throws Exception {
    await().atMost(WAIT).until(() -> value(EtcdMetrics.DCS_WATCH_HEALTHY.name() + "{scope=\"pgha\"}") == 1 && etcd.memberWithWatch() >= 0);
    int watched = etcd.memberWithWatch();
    if (watched == leaderIndex()) {
      moveLeaderAwayFrom(watched); // so writes need no election while it is frozen
    }
    Map<String, Double> before = scrape();

    // Frozen, the member keeps its connections open: the watch neither delivers nor fails.
    etcd.freeze(watched);
    try (Client others = writerExcept(watched)) {
      delete(others);
      put(others, "pg-3");
      await().atMost(WAIT).until(() -> changes(scrape()) >= changes(before) + 1);
      Map<String, Double> after = scrape();
      assertThat(after.get(EtcdMetrics.DCS_LEADER.name() + "{member=\"pg-3\",scope=\"pgha\"}")).isEqualTo(1);
      assertThat(changes(after) - changes(before)).isEqualTo(1);
      assertThat(delta(before, after, EtcdMetrics.DCS_LEADER_VACANCIES.name() + "{scope=\"pgha\"}")).isEqualTo(1);
      assertThat(delta(before, after, EtcdMetrics.DCS_WATCH_MISSED_EVENTS.name() + "{scope=\"pgha\"}"))
          .as("the resync found both changes the frozen watch did not deliver").isEqualTo(2);
      assertThat(after.get(EtcdMetrics.ETCD_UP.name())).isEqualTo(1);
    } finally {
      etcd.thaw(watched);
    }
  }

  // ---- helpers ----

  private static void put(String member, long lease) throws Exception {
    PutOption option = lease == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(lease).build();
    writer.getKVClient().put(bytes(KEY), bytes(member), option).get(10, TimeUnit.SECONDS);
  }

  private static void delete() throws Exception {
    delete(writer);
  }

  private static void put(Client client, String member) throws Exception {
    client.getKVClient().put(bytes(KEY), bytes(member)).get(10, TimeUnit.SECONDS);
  }

  private static void delete(Client client) throws Exception {
    client.getKVClient().delete(bytes(KEY)).get(10, TimeUnit.SECONDS);
  }

  /**
   * A client of the other members, returned once a write through them succeeds: when the member
   * left out was the raft leader, a write before the next election may time out and still be
   * applied later, which would reorder the changes under test.
   */
  private static Client writerExcept(int member) {
    List<URI> others = new java.util.ArrayList<>(etcd.clientUrls());
    others.remove(member);
    Client client = Client.builder().endpoints(others.toArray(URI[]::new)).build();
    await().atMost(WAIT).ignoreExceptions().until(() -> {
      client.getKVClient().put(bytes("/pgha-test/writable"), bytes("yes")).get(3, TimeUnit.SECONDS);
      return true;
    });
    return client;
  }

  /** The index of the raft leader, as the members' status says. */
  private static int leaderIndex() throws Exception {
    List<URI> urls = etcd.clientUrls();
    long[] ids = new long[urls.size()];
    long leader = 0;
    for (int i = 0; i < urls.size(); i++) {
      var status = writer.getMaintenanceClient().statusMember(urls.get(i).toString()).get(5, TimeUnit.SECONDS);
      ids[i] = status.getHeader().getMemberId();
      leader = status.getLeader() != 0 ? status.getLeader() : leader;
    }
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == leader) {
        return i;
      }
    }
    return -1;
  }

  private static void moveLeaderAwayFrom(int member) throws Exception {
    List<URI> urls = etcd.clientUrls();
    int target = (member + 1) % urls.size();
    long targetId = writer.getMaintenanceClient().statusMember(urls.get(target).toString()).get(5, TimeUnit.SECONDS)
        .getHeader().getMemberId();
    try (Client toLeader = Client.builder().endpoints(urls.get(member)).build()) {
      toLeader.getMaintenanceClient().moveLeader(targetId).get(10, TimeUnit.SECONDS);
    }
    await().atMost(WAIT).until(() -> leaderIndex() == target);
  }

  private static ExporterProcess startExporter(List<URI> endpoints) throws Exception {
    Path config = Files.createTempFile(dir, "exporter", ".yml");
    Files.writeString(config, """
        etcd:
          endpoints: %s
          scopes: [pgha]
          resync_interval: 1s
          request_timeout: 1s
        """.formatted(endpoints));
    return ExporterCommand.start(EtcdExporter.SPEC, Map.of(),
        "--config", config.toString(), "--web.listen-address", listenHost + ":0");
  }

  private static String url(ExporterProcess running) {
    return "http://" + listenHost + ":" + running.port(EtcdExporter.NAME) + "/metrics";
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  /** Leader changes of scope pgha, every kind. */
  private static double changes(Map<String, Double> scrape) {
    return scrape.entrySet().stream().filter(e -> e.getKey().startsWith(EtcdMetrics.DCS_LEADER_CHANGES.name() + "{")
        && e.getKey().contains("scope=\"pgha\"")).mapToDouble(Map.Entry::getValue).sum();
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
    return after.getOrDefault(series, 0.0) - before.getOrDefault(series, 0.0);
  }

  private static double value(String series) throws Exception {
    return value(metricsUrl, series);
  }

  private static double value(String url, String series) throws Exception {
    return scrape(url).getOrDefault(series, Double.NaN);
  }

  private static Map<String, Double> scrape() throws Exception {
    return scrape(metricsUrl);
  }

  /** The exposition as series -> value; the series text exactly as rendered. */
  static Map<String, Double> scrape(String url) throws Exception {
    String body = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Double> series = new HashMap<>();
    for (String line : body.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        int space = line.lastIndexOf(' ');
        series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return series;
  }
}
