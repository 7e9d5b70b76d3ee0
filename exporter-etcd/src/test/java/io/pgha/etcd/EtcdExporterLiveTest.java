package io.pgha.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    // The lease is read in the background, once per resync interval, not by the scrape.
    await().atMost(WAIT).until(() -> value(EtcdMetrics.DCS_LEADER_LEASE_GRANTED_TTL_SECONDS.name() + "{scope=\"pgha\"}") == 30);

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
      // The cluster is probed in the background: the probe after the stop says so.
      await().atMost(WAIT).until(() -> value(url, EtcdMetrics.ETCD_UP.name()) == 0);
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

  @Test
  @Order(5)
  void oneWatchKeepsAHundredScopesAndTellsTheirLeaderChangesApart() throws Exception {
    int scopes = 100;
    List<String> names = new java.util.ArrayList<>();
    long lease = writer.getLeaseClient().grant(300).get(5, TimeUnit.SECONDS).getID();
    for (int i = 0; i < scopes; i++) {
      String scope = String.format("s%03d", i);
      names.add(scope);
      for (String m : List.of("pg-1", "pg-2", "pg-3")) {
        manyPut(scope, "members/" + m, "{\"role\":\"" + (m.equals("pg-1") ? "master" : "replica")
            + "\",\"state\":\"running\",\"xlog_location\":5000,\"timeline\":1}", lease);
      }
      manyPut(scope, "config", "{\"ttl\":30,\"loop_wait\":10}", 0);
      manyPut(scope, "initialize", "7441234567890123456", 0);
      manyPut(scope, "status", "{\"optime\":5000}", 0);
      manyPut(scope, "leader", "pg-1", lease);
    }
    try (ExporterProcess many = startExporter(etcd.clientUrls(), MANY, names)) {
      String url = url(many);
      await().atMost(WAIT).until(() -> value(url, EtcdMetrics.DCS_LEADER.name() + "{member=\"pg-1\",scope=\"s099\"}") == 1);
      Map<String, Double> before = scrape(url);
      assertThat(before.entrySet().stream().filter(e -> e.getKey().startsWith(EtcdMetrics.DCS_LEADER.name() + "{")
          && e.getValue() == 1)).as("every scope's leader").hasSize(scopes);
      assertThat(before.get(EtcdMetrics.DCS_MEMBERS.name() + "{scope=\"s050\"}")).isEqualTo(3);

      // s007: a switchover to pg-2, with the history entry Patroni's new leader writes.
      manyPut("s007", "failover", "{\"leader\":\"pg-1\",\"member\":\"pg-2\"}", 0);
      manyPut("s007", "status", "{\"optime\":5100}", 0);
      manyDelete("s007", "leader");
      manyPut("s007", "leader", "pg-2", lease);
      manyPut("s007", "failover", "{}", 0);
      manyPut("s007", "history", "[[1,5200,\"no recovery target specified\",\"2026-12-06T05:12:52+00:00\",\"pg-2\"]]", 0);
      // s042: pg-1's lease (leader and member key) expires; pg-3 takes over.
      long shortLease = writer.getLeaseClient().grant(2).get(5, TimeUnit.SECONDS).getID();
      manyPut("s042", "members/pg-1", "{\"role\":\"master\",\"xlog_location\":5000}", shortLease);
      manyPut("s042", "leader", "pg-1", shortLease);
      // s050: the leader releases its key; s099: a failover to the candidate pg-3.
      manyDelete("s050", "leader");
      manyPut("s050", "leader", "pg-2", lease);
      manyPut("s099", "failover", "{\"member\":\"pg-3\"}", 0);
      manyDelete("s099", "leader");
      manyPut("s099", "leader", "pg-3", lease);
      await().atMost(WAIT).until(() -> value(url, EtcdMetrics.DCS_LEADER_KEY_PRESENT.name() + "{scope=\"s042\"}") == 0);
      manyPut("s042", "leader", "pg-3", lease);

      await().atMost(WAIT).until(() -> value(url, EtcdMetrics.DCS_LEADER.name() + "{member=\"pg-3\",scope=\"s042\"}") == 1
          && scrape(url).containsKey(EtcdMetrics.DCS_LAST_FAILOVER_WAL_AT_RISK_BYTES.name() + "{scope=\"s007\"}"));
      Map<String, Double> after = scrape(url);
      assertThat(kinds(after, "s007")).isEqualTo(Map.of("switchover", 1.0));
      assertThat(kinds(after, "s042")).isEqualTo(Map.of("expired", 1.0));
      assertThat(kinds(after, "s050")).isEqualTo(Map.of("released", 1.0));
      assertThat(kinds(after, "s099")).isEqualTo(Map.of("failover", 1.0));
      for (String untouched : List.of("s000", "s041", "s043", "s098")) {
        assertThat(kinds(after, untouched)).as(untouched).isEmpty();
      }
      assertThat(after).containsEntry(EtcdMetrics.DCS_LAST_LEADER_CHANGE_INFO.name()
          + "{from=\"pg-1\",kind=\"expired\",scope=\"s042\",to=\"pg-3\"}", 1.0);
      assertThat(after.get(EtcdMetrics.DCS_LAST_FAILOVER_WAL_AT_RISK_BYTES.name() + "{scope=\"s007\"}")).isZero();
      assertThat(after.get(EtcdMetrics.DCS_LEADER_VACANCY.name() + "_count{kind=\"expired\",scope=\"s042\"}")).isEqualTo(1);
      assertThat(after.get(EtcdMetrics.ETCD_STATE_AGE_SECONDS.name() + "{state=\"dcs\"}")).isLessThan(30);

      JsonNode expired = events(many, "?scope=s042").get("events").get(0);
      assertThat(expired.get("kind").asText()).isEqualTo("expired");
      assertThat(expired.get("from").asText()).isEqualTo("pg-1");
      // Its lease of 2 s was never renewed: lost when it was granted, about 2 s before etcd deleted the keys.
      assertThat(expired.get("vacancy_seconds").asDouble()).isGreaterThan(expired.get("key_vacant_seconds").asDouble());
      JsonNode all = events(many, "?last=3").get("events");
      assertThat(all).hasSize(3);
      assertThat(all.get(0).get("scope").asText()).isEqualTo("s042");
      assertThat(events(many, "").get("scopes")).hasSize(scopes);
      HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(base(many) + "/events?scope=nope")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).startsWith("scope: not watched by this exporter: 'nope'");
    }

    // Restarted, the exporter has seen no change: s007's is rebuilt from its history entry.
    try (ExporterProcess again = startExporter(etcd.clientUrls(), MANY, names)) {
      await().atMost(WAIT).until(() -> value(url(again), EtcdMetrics.DCS_LEADER.name() + "{member=\"pg-2\",scope=\"s007\"}") == 1);
      JsonNode rebuilt = events(again, "?scope=s007").get("events");
      assertThat(rebuilt).hasSize(1);
      assertThat(rebuilt.get(0).get("rebuilt").asBoolean()).isTrue();
      assertThat(rebuilt.get(0).get("to").asText()).isEqualTo("pg-2");
      assertThat(rebuilt.get(0).get("timeline").asLong()).isEqualTo(2);
      assertThat(kinds(scrape(url(again)), "s007")).isEmpty();
    }
  }

  // ---- helpers ----

  private static final String MANY = "/many/";

  private static void manyPut(String scope, String key, String value, long lease) throws Exception {
    PutOption option = lease == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(lease).build();
    writer.getKVClient().put(bytes(MANY + scope + "/" + key), bytes(value), option).get(10, TimeUnit.SECONDS);
  }

  private static void manyDelete(String scope, String key) throws Exception {
    writer.getKVClient().delete(bytes(MANY + scope + "/" + key)).get(10, TimeUnit.SECONDS);
  }

  /** The non-zero leader change counters of a scope, by kind. */
  private static Map<String, Double> kinds(Map<String, Double> scrape, String scope) {
    Map<String, Double> out = new HashMap<>();
    scrape.forEach((series, v) -> {
      if (series.startsWith(EtcdMetrics.DCS_LEADER_CHANGES.name() + "{") && series.contains("scope=\"" + scope + "\"") && v > 0) {
        out.put(series.replaceAll(".*kind=\"([a-z]+)\".*", "$1"), v);
      }
    });
    return out;
  }

  private static String base(ExporterProcess running) {
    return "http://" + listenHost + ":" + running.port(EtcdExporter.NAME);
  }

  private static JsonNode events(ExporterProcess running, String query) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base(running) + "/events" + query)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

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
    return startExporter(endpoints, "/service/", List.of("pgha"));
  }

  private static ExporterProcess startExporter(List<URI> endpoints, String namespace, List<String> scopes) throws Exception {
    Path config = Files.createTempFile(dir, "exporter", ".yml");
    Files.writeString(config, """
        etcd:
          endpoints: %s
          namespace: %s
          scopes: %s
          resync_interval: 1s
          request_timeout: 1s
        """.formatted(endpoints, namespace, scopes));
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
