package io.pgha.patroni;

import static io.pgha.common.Golden.golden;
import static io.pgha.patroni.Recordings.V3;
import static io.pgha.patroni.Recordings.samples;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.common.CapturedStderr;
import io.pgha.common.CollectorSet;
import io.pgha.common.ConfigNode;
import io.pgha.common.ScrapeEngine;
import io.pgha.common.TestCertificates;
import io.pgha.common.TextExposition;
import io.pgha.common.YamlSection;
import io.pgha.testkit.FakePatroni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter's collectors against stand-ins for three members' REST APIs serving recorded
 * responses: discovery, per-member failures, deadlines, authentication and TLS.
 */
class PatroniExporterTest {
  private static final List<String> MEMBERS = List.of("pg-1", "pg-2", "pg-3");
  private static final String STATE_AGE = PatroniMetrics.STATE_AGE_SECONDS.name();

  @TempDir Path dir;
  private Vertx vertx;
  private final List<FakePatroni> fakes = new ArrayList<>();
  private final List<CollectorSet> exporters = new ArrayList<>();
  @RegisterExtension final CapturedStderr log = new CapturedStderr();
  private String scheme = "http";

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    exporters.forEach(CollectorSet::close);
    for (FakePatroni fake : fakes) {
      fake.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void startMembers(HttpServerOptions options) throws Exception {
    for (int i = 0; i < MEMBERS.size(); i++) {
      fakes.add(new FakePatroni(vertx, options));
    }
  }

  private FakePatroni member(String name) {
    return fakes.get(MEMBERS.indexOf(name));
  }

  /** A recorded response with the recorded members' addresses replaced by the stand-ins'. */
  private String recorded(String resource) {
    String text = Recordings.text(resource);
    for (int i = 0; i < MEMBERS.size(); i++) {
      text = text.replace("http://127.0.2.2" + (i + 1) + ":8008", scheme + "://" + fakes.get(i).base());
    }
    return text;
  }

  /**
   * Every member serves the recorded /cluster, /history and /config of {@code dir}, and its own
   * /patroni if recorded. The h2demo recordings (01 to 11) have no /config: they get the one recorded
   * on pgha's dev cluster (12-healthy), which ran with the same ttl, loop_wait and retry_timeout.
   */
  private void serve(String dir) {
    String config = getClass().getClassLoader().getResource(dir + "config.json") != null
        ? dir + "config.json" : V3 + "12-healthy/config.json";
    for (String name : MEMBERS) {
      FakePatroni fake = member(name).clear();
      fake.reply("/cluster", FakePatroni.Reply.json(recorded(dir + "cluster.json")));
      fake.reply("/history", FakePatroni.Reply.json(recorded(dir + "history.json")));
      fake.reply("/config", FakePatroni.Reply.json(recorded(config)));
      if (getClass().getClassLoader().getResource(dir + "patroni-" + name + ".json") != null) {
        fake.reply("/patroni", FakePatroni.Reply.json(recorded(dir + "patroni-" + name + ".json")));
      } else {
        fake.reply("/patroni", FakePatroni.Reply.never());
      }
    }
  }

  private ScrapeEngine engine(String extraYaml, List<String> members) throws Exception {
    StringBuilder urls = new StringBuilder();
    for (String name : members) {
      urls.append(urls.isEmpty() ? "" : ", ").append(scheme).append("://").append(member(name).base());
    }
    String yaml = "patroni:\n" + extraYaml + "  clusters:\n    - scope: h2demo\n      members: [" + urls + "]\n";
    ConfigNode section = YamlSection.of(yaml, "patroni");
    CollectorSet exporter = PatroniExporter.collectors(vertx, PatroniConfig.parse(section));
    exporters.add(exporter);
    return new ScrapeEngine(vertx, "patroni", "test", exporter.collectors());
  }

  /** Members serving {@code dir} over plain HTTP, and an engine that has scraped them once. */
  private ScrapeEngine scrapedOnce(String dir) throws Exception {
    startMembers(new HttpServerOptions());
    serve(dir);
    ScrapeEngine engine = engine();
    scrape(engine, 5_000);
    return engine;
  }

  private ScrapeEngine engine() throws Exception {
    return engine("", MEMBERS);
  }

  private static String scrape(ScrapeEngine engine, long timeoutMillis) throws Exception {
    return TextExposition.render(engine.scrape(timeoutMillis).await(timeoutMillis + 5_000, TimeUnit.MILLISECONDS));
  }

  /**
   * Scrapes (each with a deadline of {@code timeoutMillis}) every 50 ms until a page contains
   * {@code expected} or 10 s passed; the last page, for the caller to assert on.
   */
  private static String scrapeUntil(ScrapeEngine engine, long timeoutMillis, String expected) throws Exception {
    String text = "";
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!text.contains(expected) && System.nanoTime() < until) {
      Thread.sleep(50);
      text = scrape(engine, timeoutMillis);
    }
    return text;
  }

  private static String success(String text) {
    return samples(text, List.of(PatroniMetrics.CORE.collectorSuccess().name()));
  }

  @Test
  void readsEachEndpointOnceAndServesTheRecordedCluster() throws Exception {
    startMembers(new HttpServerOptions());
    serve(V3 + "05-after-failovers/");

    String text = scrape(engine(), 5_000);

    assertThat(samples(text, List.of(PatroniMetrics.UP.name(), PatroniMetrics.MEMBER_UP.name(), PatroniMetrics.LEADER.name(),
        "pgha_patroni_promotions_total", "pgha_patroni_leader_changes_total"))).isEqualTo(golden("PatroniExporterTest/readsEachEndpointOnceAndServesTheRecordedCluster"));
    assertThat(success(text)).isEqualTo(golden("PatroniExporterTest/readsEachEndpointOnceAndServesTheRecordedCluster-2"));
    int clusterReads = 0;
    int historyReads = 0;
    int configReads = 0;
    for (FakePatroni fake : fakes) {
      assertThat(fake.hits.get("/patroni")).as("one /patroni per member per scrape").isEqualTo(1);
      clusterReads += fake.hits.getOrDefault("/cluster", 0);
      historyReads += fake.hits.getOrDefault("/history", 0);
      configReads += fake.hits.getOrDefault("/config", 0);
    }
    assertThat(clusterReads).isEqualTo(1);
    assertThat(historyReads).isEqualTo(1);
    assertThat(configReads).as("/config once, though two collectors read it").isEqualTo(1);
    assertThat(samples(text, List.of(PatroniMetrics.FAILOVER_CANDIDATES.name(), PatroniMetrics.CONFIG_TTL_SECONDS.name())))
        .isEqualTo(golden("PatroniExporterTest/readsEachEndpointOnceAndServesTheRecordedCluster-3"));
  }

  /**
   * With refresh_interval the members are read in the background, once per interval: scrapes in
   * between are answered from that round, whatever their number, and say how old it is.
   */
  @Test
  void withRefreshIntervalScrapesAreAnsweredFromTheLastRound() throws Exception {
    startMembers(new HttpServerOptions());
    serve(V3 + "05-after-failovers/");
    ScrapeEngine engine = engine("  refresh_interval: 1h\n", MEMBERS);

    String first = scrape(engine, 5_000);
    scrape(engine, 5_000);
    String third = scrape(engine, 5_000);

    assertThat(reads("/cluster")).as("one round for three scrapes").isEqualTo(1);
    for (FakePatroni fake : fakes) {
      assertThat(fake.hits.get("/patroni")).isEqualTo(1);
    }
    assertThat(reads("/config")).isEqualTo(1);
    assertThat(reads("/history")).isEqualTo(1);
    String selected = samples(third, List.of(PatroniMetrics.UP.name(), PatroniMetrics.MEMBER_UP.name(), PatroniMetrics.LEADER.name(),
        "pgha_patroni_promotions_total", "pgha_patroni_leader_changes_total"));
    assertThat(selected).isEqualTo(golden("PatroniExporterTest/readsEachEndpointOnceAndServesTheRecordedCluster"));
    assertThat(samples(first, List.of(PatroniMetrics.UP.name(), PatroniMetrics.MEMBER_UP.name(), PatroniMetrics.LEADER.name(),
        "pgha_patroni_promotions_total", "pgha_patroni_leader_changes_total"))).isEqualTo(selected);
    assertThat(success(third)).doesNotContain(" 0.0").contains("collector=\"state_age:h2demo\"} 1.0");
    assertThat(third).containsPattern("pgha_patroni_state_age_seconds\\{scope=\"h2demo\"} [0-9.]+\n");
    assertThat(scrape(engine(), 5_000)).as("absent without refresh_interval").doesNotContain(STATE_AGE + "{");
  }

  /** A change at the members shows once the next background round ended, without a scrape asking for it. */
  @Test
  void withRefreshIntervalAChangeShowsAfterTheNextRound() throws Exception {
    startMembers(new HttpServerOptions());
    serve(V3 + "03-after-two-switchovers/");
    ScrapeEngine engine = engine("  refresh_interval: 200ms\n", MEMBERS);
    assertThat(scrape(engine, 5_000)).contains("pgha_patroni_leader{member=\"pg-3\",scope=\"h2demo\"} 1.0\n");
    int before = reads("/cluster");

    serve(V3 + "05-after-failovers/");
    String text = scrapeUntil(engine, 5_000, "pgha_patroni_leader{member=\"pg-1\",scope=\"h2demo\"} 1.0\n");

    assertThat(text).contains("pgha_patroni_leader{member=\"pg-1\",scope=\"h2demo\"} 1.0\n")
        .contains("pgha_patroni_leader{member=\"pg-3\",scope=\"h2demo\"} 0.0\n");
    assertThat(reads("/cluster")).as("read again in the background").isGreaterThan(before);
    assertThat(success(text)).doesNotContain(" 0.0");
  }

  /**
   * A round that has not ended when the scrape's deadline comes (here the first, waiting for a
   * member that never answers) is not waited for beyond it: the scope shows as unanswered (the
   * members /cluster named already as member_up 0), with the reason logged, and the next scrape
   * after the round ended serves it.
   */
  @Test
  void withRefreshIntervalARoundNotEndedInTimeIsAnUnansweredScope() throws Exception {
    startMembers(new HttpServerOptions());
    serve(V3 + "05-after-failovers/");
    member("pg-3").reply("/patroni", FakePatroni.Reply.never());
    ScrapeEngine engine = engine("  request_timeout: 1500ms\n  refresh_interval: 1h\n", MEMBERS);

    String early = scrape(engine, 800);

    assertThat(samples(early, List.of(PatroniMetrics.UP.name(), STATE_AGE))).isEqualTo("pgha_patroni_up{scope=\"h2demo\"} 0.0\n");
    assertThat(samples(early, List.of(PatroniMetrics.CORE.collectorSuccess().name()))).isEqualTo("""
        pgha_patroni_collector_success{collector="cluster:h2demo"} 1.0
        pgha_patroni_collector_success{collector="config:h2demo"} 0.0
        pgha_patroni_collector_success{collector="failover:h2demo"} 1.0
        pgha_patroni_collector_success{collector="history:h2demo"} 0.0
        pgha_patroni_collector_success{collector="member:h2demo"} 1.0
        pgha_patroni_collector_success{collector="member:h2demo/pg-1"} 1.0
        pgha_patroni_collector_success{collector="member:h2demo/pg-2"} 1.0
        pgha_patroni_collector_success{collector="member:h2demo/pg-3"} 1.0
        pgha_patroni_collector_success{collector="state_age:h2demo"} 1.0
        """);
    assertThat(samples(early, List.of(PatroniMetrics.MEMBER_UP.name()))).as("the members the round found so far, unanswered")
        .isEqualTo(memberUp("pg-1", "pg-2", "pg-3").replace("} 1.0", "} 0.0"));
    assertThat(log.text()).contains("scope h2demo kept state: scope h2demo's last round of requests is stale (never fetched");

    String later = scrapeUntil(engine, 800, "pgha_patroni_up{scope=\"h2demo\"} 1.0");
    assertThat(samples(later, List.of(PatroniMetrics.UP.name(), PatroniMetrics.MEMBER_UP.name())))
        .isEqualTo(golden("PatroniExporterTest/aMemberThatNeverAnswersIsCutBeforeTheDeadline"));
    assertThat(success(later)).doesNotContain(" 0.0");
    assertThat(reads("/cluster")).as("the round the first scrape found started, no other").isEqualTo(1);
  }

  @Test
  void aMemberDownIsMemberUpZeroAndTheOthersAreServed() throws Exception {
    startMembers(new HttpServerOptions());
    serve(V3 + "08-replica-stopped/");
    member("pg-2").refuse();

    String text = scrape(engine(), 5_000);

    assertThat(samples(text, List.of(PatroniMetrics.UP.name(), PatroniMetrics.MEMBER_UP.name(), PatroniMetrics.MEMBER_POSTGRES_RUNNING.name())))
        .isEqualTo(golden("PatroniExporterTest/aMemberDownIsMemberUpZeroAndTheOthersAreServed"));
    assertThat(success(text)).doesNotContain(" 0.0");
  }

  /**
   * Garbage is as good as silence: member_up 0 and the member counted as unreachable by the failover
   * judgement, every collector served, the reason in the log (once).
   */
  @Test
  void garbageHtmlAndUnexpectedJsonAreMemberUpZeroWithTheReasonLogged() throws Exception {
    startMembers(new HttpServerOptions());
    serve(V3 + "05-after-failovers/");
    member("pg-1").reply("/patroni", FakePatroni.Reply.raw(200, "text/html",
        "<!DOCTYPE html><html><body>Welcome to nginx!</body></html>"));
    member("pg-2").reply("/patroni", FakePatroni.Reply.json("{\"members\": []}"));
    member("pg-3").reply("/cluster", FakePatroni.Reply.raw(200, "application/json", "\u0000\u0001garbage"));
    member("pg-3").reply("/patroni", FakePatroni.Reply.raw(200, "application/json", "{\"state\": \"running\", \"ro"));
    ScrapeEngine engine = engine();

    String text = scrape(engine, 5_000);
    scrape(engine, 5_000);

    assertThat(success(text)).doesNotContain(" 0.0");
    assertThat(samples(text, List.of("pgha_patroni_up", "pgha_patroni_member_up", "pgha_patroni_member_postgres_running",
        "pgha_patroni_member_failover_eligible"))).isEqualTo(golden("PatroniExporterTest/garbageHtmlAndUnexpectedJsonAreMemberUpZeroWithTheReasonLogged"));
    assertThat(text).contains("pgha_patroni_member_failover_blocker{member=\"pg-2\",reason=\"unreachable\",scope=\"h2demo\"} 1.0\n");
    String logged = log.text();
    assertThat(logged)
        .contains("scope h2demo member pg-1: http://" + member("pg-1").base()
            + "/patroni: /patroni: not JSON, starts with \\\"<!DOCTYPE html><html><body>Welcome to nginx!</body></html>\\\"")
        .contains("scope h2demo member pg-2: http://" + member("pg-2").base() + "/patroni: /patroni: state: missing")
        .contains("scope h2demo member pg-3: http://" + member("pg-3").base() + "/patroni: /patroni: not JSON");
    assertThat(logged.split("scope h2demo member pg-1: ", -1)).as("logged once, not per scrape").hasSize(2);
  }

  @Test
  void aMemberThatNeverAnswersIsCutBeforeTheDeadline() throws Exception {
    startMembers(new HttpServerOptions());
    serve(V3 + "05-after-failovers/");
    member("pg-3").reply("/patroni", FakePatroni.Reply.never());

    String text = scrape(engine(), 1_000);

    assertThat(samples(text, List.of("pgha_patroni_up", "pgha_patroni_member_up"))).isEqualTo(golden("PatroniExporterTest/aMemberThatNeverAnswersIsCutBeforeTheDeadline"));
    assertThat(success(text)).as("the request timeout ends before the scrape deadline").doesNotContain(" 0.0");
  }

  @Test
  void noMemberReachableIsUpZero() throws Exception {
    startMembers(new HttpServerOptions());
    ScrapeEngine engine = engine();
    for (FakePatroni fake : fakes) {
      fake.refuse();
    }

    // Nothing to judge a failover by: failover:h2demo writes nothing and succeeds; /config, like
    // /history, is read from the member that answered /cluster, and none did.
    String text = scrape(engine, 5_000);

    assertThat(samples(text, List.of(PatroniMetrics.UP.name(), PatroniMetrics.MEMBER_UP.name(), PatroniMetrics.CORE.collectorSuccess().name())))
        .isEqualTo(golden("PatroniExporterTest/noMemberReachableIsUpZero"));
    assertThat(log.text()).contains("scope h2demo: no member answered /cluster: http://"
        + member("pg-1").base() + "/cluster: cannot connect");
  }

  /**
   * The request timeout is below the scrape deadline, as deployed (2 s against Prometheus's 10 s):
   * the hung /cluster requests end by their own timeout, the last one about 2 s into the scrape,
   * and the collectors waiting for them still have a second before the deadline. (With a deadline
   * below the request timeout they would end 50 ms before it, which a loaded machine can miss.)
   */
  @Test
  void whileClusterHangsAsWithTheDcsDownTheKnownMembersAreStillRead() throws Exception {
    startMembers(new HttpServerOptions());
    serve(V3 + "05-after-failovers/");
    ScrapeEngine engine = engine("  request_timeout: 1s\n", MEMBERS);
    scrape(engine, 5_000);

    // As recorded with etcd stopped: /patroni answers (cluster_unlocked), /cluster and /history hang.
    for (String name : MEMBERS) {
      member(name).clear().reply("/cluster", FakePatroni.Reply.never()).reply("/history", FakePatroni.Reply.never())
          .reply("/patroni", name.equals("pg-3") ? FakePatroni.Reply.never()
              : FakePatroni.Reply.json(recorded(V3 + "11-dcs-down/patroni-" + name + ".json")));
    }
    String text = scrape(engine, 3_000);

    assertThat(samples(text, List.of(PatroniMetrics.UP.name(), PatroniMetrics.MEMBER_UP.name(), PatroniMetrics.CLUSTER_LEADERS.name(),
        "pgha_patroni_collector_success"))).isEqualTo(golden("PatroniExporterTest/whileClusterHangsAsWithTheDcsDownTheKnownMembersAreStillRead"));
    assertThat(fakes.stream().mapToInt(f -> f.hits.getOrDefault("/cluster", 0)).sum())
        .as("every member was asked for /cluster in the second scrape, hedged").isEqualTo(1 + 3);
  }

  /**
   * One round of requests per scrape: /patroni of the members the last scrape knew is asked beside
   * /cluster and /config, not after /cluster's answer. Only a member nobody asked yet waits for that
   * answer: every member in the first scrape, a member that joins later. A member that left the DCS
   * (and is not a configured one) is not reported, and not asked again.
   *
   * <p>From the second scrape on, /cluster answers only once the known members' /patroni and the
   * /config arrived (or after 10 s): were they asked after it, the test would see them after it.
   */
  @Test
  void knownMembersAreAskedBesideClusterNewOnesAfterItAndGoneOnesNoMore() throws Exception {
    startMembers(new HttpServerOptions());
    FakePatroni joining = new FakePatroni(vertx);
    fakes.add(joining);
    serve(V3 + "05-after-failovers/");
    joining.reply("/patroni", FakePatroni.Reply.json(recorded(V3 + "05-after-failovers/patroni-pg-3.json")));
    List<String> log = new CopyOnWriteArrayList<>();
    fakes.forEach(f -> f.requests(log));
    // pg-3 is discovered through /cluster, not configured.
    ScrapeEngine engine = engine("", List.of("pg-1", "pg-2"));
    FakePatroni pg1 = member("pg-1");

    String first = scrape(engine, 5_000);
    assertThat(log.get(0)).as("nothing known yet: /cluster first").isEqualTo(pg1.port() + " /cluster");
    assertThat(before(log, "/patroni")).isEmpty();
    assertThat(asked(log, "/patroni")).as("then each member it names").containsExactlyInAnyOrder(
        port("pg-1"), port("pg-2"), port("pg-3"));
    assertThat(samples(first, List.of(PatroniMetrics.MEMBER_UP.name()))).isEqualTo(memberUp("pg-1", "pg-2", "pg-3"));

    String second = scrapeHeld(engine, log, clusterOf("pg-1", "pg-2", "pg-3"), 3);
    assertThat(before(log, "/patroni")).as("the known members beside /cluster").containsExactlyInAnyOrder(
        port("pg-1"), port("pg-2"), port("pg-3"));
    assertThat(before(log, "/config")).as("/config beside /cluster, of the member that answered it last").hasSize(1);
    assertThat(samples(second, List.of(PatroniMetrics.MEMBER_UP.name()))).isEqualTo(memberUp("pg-1", "pg-2", "pg-3"));

    String joined = scrapeHeld(engine, log, clusterOf("pg-1", "pg-2", "pg-3", "pg-4"), 3);
    assertThat(before(log, "/patroni")).containsExactlyInAnyOrder(port("pg-1"), port("pg-2"), port("pg-3"));
    assertThat(asked(log, "/patroni")).as("the member that joined: after /cluster named it").endsWith(joining.port());
    assertThat(samples(joined, List.of(PatroniMetrics.MEMBER_UP.name()))).isEqualTo(memberUp("pg-1", "pg-2", "pg-3", "pg-4"));

    String left = scrapeHeld(engine, log, clusterOf("pg-1", "pg-2", "pg-4"), 4);
    assertThat(before(log, "/patroni")).as("pg-3 was known, so asked").contains(port("pg-3"));
    assertThat(left).as("but gone from /cluster: not reported").doesNotContain("member=\"pg-3\"");
    assertThat(samples(left, List.of(PatroniMetrics.MEMBER_UP.name()))).isEqualTo(memberUp("pg-1", "pg-2", "pg-4"));

    String after = scrapeHeld(engine, log, clusterOf("pg-1", "pg-2", "pg-4"), 3);
    assertThat(asked(log, "/patroni")).as("and not asked again").containsExactlyInAnyOrder(
        port("pg-1"), port("pg-2"), joining.port());
    assertThat(after).doesNotContain("member=\"pg-3\"");
  }

  /** The port of a member's stand-in; pg-4 is the one that joins. */
  private int port(String name) {
    return fakes.get(name.equals("pg-4") ? 3 : MEMBERS.indexOf(name)).port();
  }

  /** /cluster naming these members (pg-1 the leader), each with its stand-in's api_url. */
  private String clusterOf(String... names) {
    StringBuilder members = new StringBuilder();
    for (String name : names) {
      members.append(members.isEmpty() ? "" : ", ").append("{\"name\": \"").append(name).append("\", \"role\": \"")
          .append(name.equals("pg-1") ? "leader" : "replica").append("\", \"state\": \"running\", \"api_url\": \"http://127.0.0.1:")
          .append(port(name)).append("/patroni\", \"timeline\": 5}");
    }
    return "{\"members\": [" + members + "]}";
  }

  /**
   * One scrape with /cluster (on every configured member) held until {@code statuses} /patroni
   * requests arrived, or 10 s passed; the log holds this scrape's requests and answers only.
   */
  private String scrapeHeld(ScrapeEngine engine, List<String> log, String cluster, int statuses) throws Exception {
    log.clear();
    CompletableFuture<Void> gate = new CompletableFuture<>();
    for (String name : List.of("pg-1", "pg-2")) {
      member(name).reply("/cluster", FakePatroni.Reply.json(cluster).heldUntil(gate));
    }
    var scrape = engine.scrape(15_000);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    // /config is asked beside /cluster too: released before it arrived, /cluster's answer could
    // overtake it (seen once in CI), and the test would blame the exporter for the race.
    while ((asked(log, "/patroni").size() < statuses || asked(log, "/config").isEmpty()) && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    gate.complete(null);
    return TextExposition.render(scrape.await(20, TimeUnit.SECONDS));
  }

  /** The ports asked for {@code path}, in the order asked. */
  private static List<Integer> asked(List<String> log, String path) {
    return log.stream().filter(line -> line.endsWith(" " + path))
        .map(line -> Integer.parseInt(line.substring(0, line.indexOf(' ')))).toList();
  }

  /** The ports asked for {@code path} before /cluster was answered. */
  private static List<Integer> before(List<String> log, String path) {
    int answered = 0;
    while (answered < log.size() && !log.get(answered).endsWith(" /cluster answered")) {
      answered++;
    }
    assertThat(answered).as("/cluster answered: " + log).isLessThan(log.size());
    return asked(log.subList(0, answered), path);
  }

  private static String memberUp(String... names) {
    StringBuilder out = new StringBuilder();
    for (String name : names) {
      out.append("pgha_patroni_member_up{member=\"").append(name).append("\",scope=\"h2demo\"} 1.0\n");
    }
    return out.toString();
  }

  @Test
  void discoveryMovesOnFromAMemberAnsweringAnErrorOrHanging() throws Exception {
    startMembers(new HttpServerOptions());
    serve(V3 + "05-after-failovers/");
    member("pg-1").reply("/cluster", FakePatroni.Reply.raw(503, "text/plain", "Service Unavailable"));
    member("pg-2").reply("/cluster", FakePatroni.Reply.never());
    ScrapeEngine engine = engine();

    String first = scrape(engine, 3_000);
    String second = scrape(engine, 3_000);

    assertThat(samples(first, List.of(PatroniMetrics.UP.name()))).isEqualTo("pgha_patroni_up{scope=\"h2demo\"} 1.0\n");
    assertThat(samples(second, List.of(PatroniMetrics.UP.name()))).isEqualTo("pgha_patroni_up{scope=\"h2demo\"} 1.0\n");
    assertThat(member("pg-3").hits.get("/cluster")).isEqualTo(2);
    assertThat(member("pg-1").hits.get("/cluster")).as("the member that answered last time is asked first").isEqualTo(1);
    assertThat(member("pg-3").hits.get("/config")).as("/config from the member that answered /cluster").isEqualTo(2);
    assertThat(member("pg-3").hits.get("/history")).as("history from the member that answered /cluster, once: "
        + "the leader's timeline did not change").isEqualTo(1);
  }

  @Test
  void historyIsReadAgainWhenTheLeadersTimelineChangesOrWhileItLacksTheLastPromotion() throws Exception {
    startMembers(new HttpServerOptions());
    serve(V3 + "03-after-two-switchovers/");
    ScrapeEngine engine = engine();
    String promotions = PatroniMetrics.PROMOTIONS.name();

    scrape(engine, 5_000);
    String second = scrape(engine, 5_000);
    assertThat(reads("/history")).as("complete for the leader's timeline 3: read once").isEqualTo(1);
    assertThat(reads("/config")).isEqualTo(2);
    assertThat(samples(second, List.of(promotions))).isEqualTo("pgha_patroni_promotions_total{scope=\"h2demo\"} 2.0\n");

    // Promoted on timeline 4, the new leader has not written its history entry yet.
    serve(V3 + "04-after-failover-pg3-down/");
    for (String name : MEMBERS) {
      member(name).reply("/history", FakePatroni.Reply.json(recorded(V3 + "03-after-two-switchovers/history.json")));
    }
    scrape(engine, 5_000);
    scrape(engine, 5_000);
    assertThat(reads("/history")).as("without timeline 3's end: read every scrape").isEqualTo(3);

    serve(V3 + "05-after-failovers/");
    String fifth = scrape(engine, 5_000);
    scrape(engine, 5_000);
    assertThat(reads("/history")).as("timeline 5: read once more").isEqualTo(4);
    assertThat(samples(fifth, List.of(promotions))).isEqualTo("pgha_patroni_promotions_total{scope=\"h2demo\"} 4.0\n");
  }

  @Test
  void configIsReadFromTheMemberThatAnswersWhenTheOneThatAnsweredLastTimeNoLonger() throws Exception {
    ScrapeEngine engine = scrapedOnce(V3 + "05-after-failovers/");
    assertThat(member("pg-1").hits.get("/config")).as("pg-1 answered /cluster").isEqualTo(1);

    member("pg-1").clear(); // answers 404 to everything now
    String text = scrape(engine, 5_000);
    assertThat(member("pg-1").hits.get("/config")).as("asked first, beside discovery").isEqualTo(2);
    assertThat(member("pg-2").hits.get("/config")).as("then the member that answered /cluster").isEqualTo(1);
    assertThat(samples(text, List.of(PatroniMetrics.UP.name(), PatroniMetrics.CONFIG_TTL_SECONDS.name()))).isEqualTo("""
        pgha_patroni_config_ttl_seconds{scope="h2demo"} 10.0
        pgha_patroni_up{scope="h2demo"} 1.0
        """);
  }

  private int reads(String path) {
    return fakes.stream().mapToInt(f -> f.hits.getOrDefault(path, 0)).sum();
  }

  @Test
  void aStoppedConfiguredMemberStaysAsDownAfterItLeavesTheDcs() throws Exception {
    startMembers(new HttpServerOptions());
    serve(V3 + "03-after-two-switchovers/");
    // pg-3 is discovered through /cluster but not configured: it is not kept once it leaves.
    ScrapeEngine engine = engine("", List.of("pg-1", "pg-2"));
    scrape(engine, 5_000);

    serve(V3 + "04-after-failover-pg3-down/");
    String withoutPg3 = scrape(engine, 5_000);
    assertThat(samples(withoutPg3, List.of("pgha_patroni_member_up", "pgha_patroni_cluster_members"))).isEqualTo(golden("PatroniExporterTest/aStoppedConfiguredMemberStaysAsDownAfterItLeavesTheDcs"));

    // pg-2 is configured: stopped and gone from /cluster (key expired), it stays as member_up 0.
    member("pg-1").reply("/cluster", FakePatroni.Reply.json(
        "{\"members\": [{\"name\": \"pg-1\", \"role\": \"leader\", \"state\": \"running\", \"api_url\": \"http://"
            + member("pg-1").base() + "/patroni\", \"timeline\": 4}]}"));
    member("pg-2").refuse();
    String withoutPg2 = scrape(engine, 5_000);
    assertThat(samples(withoutPg2, List.of("pgha_patroni_member_up", "pgha_patroni_cluster_members"))).isEqualTo(golden("PatroniExporterTest/aStoppedConfiguredMemberStaysAsDownAfterItLeavesTheDcs-2"));
  }

  @Test
  void aMemberOfAnotherScopeIsMemberUpZero() throws Exception {
    startMembers(new HttpServerOptions());
    serve(V3 + "05-after-failovers/");
    member("pg-2").reply("/patroni", FakePatroni.Reply.json(
        recorded(V3 + "05-after-failovers/patroni-pg-2.json").replace("\"h2demo\"", "\"elsewhere\"")));

    String text = scrape(engine(), 5_000);

    assertThat(success(text)).doesNotContain(" 0.0");
    assertThat(text).contains("pgha_patroni_member_up{member=\"pg-2\",scope=\"h2demo\"} 0.0\n");
    assertThat(log.text()).contains("/patroni: reports scope elsewhere, not h2demo");
  }

  @Test
  void aRotatedPasswordFileIsUsedFromTheNextRequestWithoutARestart() throws Exception {
    startMembers(new HttpServerOptions());
    serve(V3 + "05-after-failovers/");
    String expected = "Basic " + Base64.getEncoder().encodeToString("monitor:rotated-secret".getBytes(StandardCharsets.UTF_8));
    for (String name : MEMBERS) {
      for (String path : List.of("/cluster", "/patroni", "/history")) {
        member(name).reply(path, FakePatroni.Reply.json(recorded(
            V3 + "05-after-failovers/" + (path.equals("/patroni") ? "patroni-" + name : path.substring(1)) + ".json"))
            .withAuthorization(expected));
      }
    }
    Path file = Files.writeString(dir.resolve("patroni.password"), "old-secret\n");
    ScrapeEngine engine = engine("  username: monitor\n  password_file: " + file + "\n", MEMBERS);
    assertThat(samples(scrape(engine, 5_000), List.of(PatroniMetrics.UP.name()))).isEqualTo("pgha_patroni_up{scope=\"h2demo\"} 0.0\n");

    Files.writeString(file, "rotated-secret\n");

    assertThat(samples(scrape(engine, 5_000), List.of(PatroniMetrics.UP.name()))).isEqualTo("pgha_patroni_up{scope=\"h2demo\"} 1.0\n");
  }

  @Test
  void basicAuthOverTlsWithTheConfiguredCa() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    scheme = "https";
    startMembers(new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certs.certFile().toString()).setKeyPath(certs.keyFile().toString())));
    serve(V3 + "05-after-failovers/");
    String password = "patroni-rest-secret";
    String expected = "Basic " + Base64.getEncoder().encodeToString(("monitor:" + password).getBytes(StandardCharsets.UTF_8));
    for (String name : MEMBERS) {
      for (String path : List.of("/cluster", "/patroni", "/history")) {
        FakePatroni.Reply plain = FakePatroni.Reply.json(recorded(
            V3 + "05-after-failovers/" + (path.equals("/patroni") ? "patroni-" + name : path.substring(1)) + ".json"));
        member(name).reply(path, plain.withAuthorization(expected));
      }
    }
    Path right = Files.writeString(dir.resolve("right.password"), password + "\n");
    Path wrong = Files.writeString(dir.resolve("wrong.password"), "not-the-password\n");
    String auth = "  username: monitor\n  ca_file: " + certs.certFile() + "\n  password_file: ";

    String text = scrape(engine(auth + right + "\n", MEMBERS), 5_000);
    assertThat(samples(text, List.of("pgha_patroni_up", "pgha_patroni_member_up"))).isEqualTo(golden("PatroniExporterTest/basicAuthOverTlsWithTheConfiguredCa"));

    String refused = scrape(engine(auth + wrong + "\n", MEMBERS), 5_000);
    assertThat(samples(refused, List.of(PatroniMetrics.UP.name()))).isEqualTo("pgha_patroni_up{scope=\"h2demo\"} 0.0\n");
    String untrusted = scrape(engine("", MEMBERS), 5_000);
    assertThat(samples(untrusted, List.of(PatroniMetrics.UP.name()))).as("without the CA").isEqualTo("pgha_patroni_up{scope=\"h2demo\"} 0.0\n");

    String logged = log.text();
    assertThat(logged).contains("/cluster: HTTP 401 (check patroni username and password_file)")
        .doesNotContain(password).doesNotContain("not-the-password").doesNotContain(expected.substring(6));
  }
}
