package io.pgha.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.pgha.etcd.EtcdMetrics;
import io.pgha.patroni.PatroniMetrics;
import io.pgha.postgres.PostgresMetrics;
import io.pgha.promkit.Exposition;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.DockerComposeContainer;

/**
 * The whole compose stack on a Docker-API engine (podman here, set up by podman-setup.sh): up,
 * one leader and two streaming replicas, the exporters' key metrics, a failover when the leader's
 * container stops, and a teardown that leaves nothing behind. Everything is read from the host
 * through ports published on 127.0.0.1, shifted by {@link #PORT_OFFSET}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackTest {
  private static final Logger log = LoggerFactory.getLogger(ComposeStackTest.class);

  /** Clear of a dev cluster (standard ports) and of the native test cluster (+10000). */
  static final int PORT_OFFSET = 20000;
  /** Compose project names of this test start with this; leftovers of a dead run are removed. */
  static final String IDENTIFIER = "pghacompose";
  static final String SCOPE = "pgha";
  static final List<String> MEMBERS = List.of("pg-1", "pg-2", "pg-3");

  /** The published ports of docker-compose.yml: variable and standard port. */
  static final Map<String, Integer> STANDARD_PORTS = orderedMap(
      "PGHA_PATRONI_1_PORT", 8008, "PGHA_PATRONI_2_PORT", 8009, "PGHA_PATRONI_3_PORT", 8010,
      "PGHA_HAPROXY_WRITE_PORT", 5000, "PGHA_HAPROXY_READ_PORT", 5001, "PGHA_HAPROXY_STATS_PORT", 7001,
      "PGHA_PROMETHEUS_PORT", 9090, "PGHA_ALERTMANAGER_PORT", 9093,
      "PGHA_EXPORTER_PATRONI_PORT", 9811, "PGHA_EXPORTER_POSTGRES_PORT", 9812, "PGHA_EXPORTER_ETCD_PORT", 9813,
      "PGHA_GRAFANA_PORT", 3000);

  private final Path composeDir = Path.of("").toAbsolutePath();
  private final Map<String, String> timings = new LinkedHashMap<>();
  private Optional<Long> podmanPid = Optional.empty();
  private ComposeProjects projects;
  private DockerComposeContainer<?> stack;
  private String project;
  private boolean stackDown;
  private long upStartedNanos;
  private StackProbe probe;

  @BeforeAll
  void startStack() throws Exception {
    assertThat(composeDir.resolve("docker-compose.yml")).as("the test runs in compose/").exists();
    String setup = HostScript.run(composeDir.resolve("podman-setup.sh"), Map.of(), Duration.ofMinutes(5));
    if (setup.startsWith("started ")) {
      podmanPid = Optional.of(Long.parseLong(setup.substring("started ".length()).strip()));
      log.info("podman system service started (pid {})", podmanPid.get());
    }
    long t = System.nanoTime();
    HostScript.run(composeDir.resolve("build-images.sh"), Map.of(), Duration.ofMinutes(20));
    timings.put("images ready", secondsSince(t));

    projects = new ComposeProjects(DockerClientFactory.instance().client());
    projects.remove(ours());
    assertPublishedPortsFree();
    probe = new StackProbe(
        Map.of("pg-1", port("PGHA_PATRONI_1_PORT"), "pg-2", port("PGHA_PATRONI_2_PORT"), "pg-3", port("PGHA_PATRONI_3_PORT")),
        port("PGHA_HAPROXY_STATS_PORT"), port("PGHA_PROMETHEUS_PORT"));

    stack = new DockerComposeContainer<>(IDENTIFIER, composeDir.resolve("docker-compose.yml").toFile())
        .withLocalCompose(true)
        .withPull(false)   // every image is local; a pull would ask a registry
        .withBuild(false)
        .withRemoveVolumes(true)
        .withEnv(publishedPorts());
    upStartedNanos = System.nanoTime();
    stack.start();
    timings.put("compose up -d", secondsSince(upStartedNanos));
    project = projects.containers(ours()).stream()
        .map(c -> c.getLabels().get(ComposeProjects.PROJECT_LABEL)).distinct()
        .reduce((a, b) -> { throw new IllegalStateException("two projects: " + a + ", " + b); })
        .orElseThrow(() -> new IllegalStateException("compose up made no container"));
    log.info("compose project {} is up", project);
  }

  @Test
  @Order(1)
  void clusterHasOneLeaderAndTwoStreamingReplicasBehindHaproxy() {
    await("one leader, two streaming replicas, HAProxy routing").atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .untilAsserted(() -> {
          String leader = probe.runningLeader().orElseThrow();
          List<String> replicas = MEMBERS.stream().filter(m -> !m.equals(leader)).toList();
          assertThat(probe.cluster()).extracting(StackProbe.Member::name, StackProbe.Member::state)
              .containsExactlyInAnyOrder(tuple("pg-1", "running"), tuple("pg-2", "running"), tuple("pg-3", "running"));
          assertThat(probe.streamingFrom(leader)).containsExactlyInAnyOrderElementsOf(replicas);
          assertThat(probe.haproxyUp("write")).containsExactly(leader);
          assertThat(probe.haproxyUp("read")).containsExactlyInAnyOrderElementsOf(replicas);
        });
    timings.put("stack start (up to cluster ready)", secondsSince(upStartedNanos));
  }

  @Test
  @Order(2)
  void exporterPatroniPublishesLeaderAndRoles() {
    await("exporter-patroni's leader and member roles").atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .untilAsserted(() -> {
          String leader = probe.runningLeader().orElseThrow();
          Exposition patroni = probe.metrics(port("PGHA_EXPORTER_PATRONI_PORT"));
          assertThat(leadersIn(patroni)).containsExactly(leader);
          for (String member : MEMBERS) {
            List<String> roles = patroni.all(PatroniMetrics.MEMBER_ROLE.name(), "member", member).stream()
                .filter(s -> s.has("scope", SCOPE) && s.value() == 1.0).map(s -> s.labels().get("role")).toList();
            assertThat(roles).as("current role of %s", member).hasSize(1);
            if (member.equals(leader)) {
              assertThat(roles.get(0)).isIn("leader", "primary");
            } else {
              assertThat(roles.get(0)).isNotIn("leader", "primary", "standby_leader");
            }
          }
          assertThat(leaderChanges(patroni)).isPresent();
        });
  }

  @Test
  @Order(2)
  void exporterPostgresReachesEveryMember() {
    await(PostgresMetrics.UP.name() + " of every member").atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .untilAsserted(() -> {
          Exposition postgres = probe.metrics(port("PGHA_EXPORTER_POSTGRES_PORT"));
          for (String member : MEMBERS) {
            assertThat(postgres.all(PostgresMetrics.UP.name(), "member", member))
                .as(PostgresMetrics.UP.name() + " of %s", member)
                .extracting(Exposition.Sample::value).containsExactly(1.0);
          }
        });
  }

  @Test
  @Order(2)
  void exporterEtcdSeesQuorum() {
    await(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name()).atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .untilAsserted(() -> assertThat(probe.metrics(port("PGHA_EXPORTER_ETCD_PORT"))
                .named(EtcdMetrics.ETCD_QUORUM_AVAILABLE.name()))
            .isNotEmpty()
            .allSatisfy(s -> assertThat(s.value()).isEqualTo(1.0)));
  }

  @Test
  @Order(3)
  void prometheusScrapesEveryJobOfTheStack() {
    await("every Prometheus target up").atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .untilAsserted(() -> {
          List<StackProbe.Target> targets = probe.prometheusTargets();
          assertThat(targets).extracting(StackProbe.Target::job).containsExactlyInAnyOrder(
              "patroni", "patroni", "patroni", "etcd", "etcd", "etcd", "haproxy",
              "pgha-patroni", "pgha-postgres", "pgha-dcs", "prometheus", "alertmanager");
          assertThat(targets).allSatisfy(t -> assertThat(t.health()).as("%s %s", t.job(), t.instance()).isEqualTo("up"));
        });
  }

  @Test
  @Order(4)
  void stoppingTheLeadersContainerElectsANewLeaderAndCountsTheChange() throws Exception {
    String oldLeader = await().atMost(Duration.ofMinutes(1)).ignoreExceptions()
        .until(() -> probe.runningLeader(), Optional::isPresent).orElseThrow();
    Optional<Double> changesBefore = Optional.empty();
    try {
      changesBefore = await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
          .until(() -> leaderChanges(probe.metrics(port("PGHA_EXPORTER_PATRONI_PORT"))), Optional::isPresent);
    } catch (ConditionTimeoutException e) {
      // Asserted below, after the failover itself has been checked.
    }

    log.info("stopping the leader's container ({}); leader changes so far: {}", oldLeader, changesBefore);
    long t = System.nanoTime();
    projects.stop(projects.containerOf(project, oldLeader), 30);
    timings.put("leader container stop", secondsSince(t));

    String newLeader = await("a new leader, routed by HAProxy").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> {
          Optional<String> leader = probe.runningLeader().filter(l -> !l.equals(oldLeader));
          return leader.isPresent() && probe.haproxyUp("write").equals(List.of(leader.get())) ? leader : Optional.<String>empty();
        }, Optional::isPresent).orElseThrow();
    timings.put("failover (stop to new leader routed)", secondsSince(t));
    log.info("new leader {}", newLeader);

    assertThat(changesBefore).as(PatroniMetrics.LEADER_CHANGES.name() + "{scope=\"pgha\"} before the failover").isPresent();
    double before = changesBefore.orElseThrow();
    await("exporter-patroni sees the new leader and counts the change").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .untilAsserted(() -> {
          Exposition patroni = probe.metrics(port("PGHA_EXPORTER_PATRONI_PORT"));
          assertThat(leadersIn(patroni)).containsExactly(newLeader);
          assertThat(leaderChanges(patroni)).hasValueSatisfying(c -> assertThat(c).isGreaterThan(before));
          assertThat(probe.metrics(port("PGHA_EXPORTER_POSTGRES_PORT")).all(PostgresMetrics.UP.name(), "member", oldLeader))
              .extracting(Exposition.Sample::value).containsExactly(0.0);
        });
    timings.put("failover (stop to change counted)", secondsSince(t));
  }

  @Test
  @Order(5)
  void teardownLeavesNoContainerNetworkOrVolume() {
    Predicate<String> thisProject = project::equals;
    assertThat(projects.containers(thisProject)).as("containers while up").hasSize(13);
    assertThat(projects.networks(thisProject)).as("networks while up").isNotEmpty();
    assertThat(projects.volumes(thisProject)).as("volumes while up").hasSize(8);

    long t = System.nanoTime();
    stack.stop();
    stackDown = true;
    timings.put("compose down -v", secondsSince(t));

    assertThat(projects.containers(thisProject)).as("containers left").isEmpty();
    assertThat(projects.networks(thisProject)).as("networks left").isEmpty();
    assertThat(projects.volumes(thisProject)).as("volumes left").isEmpty();
  }

  @AfterAll
  void tearDown() throws Exception {
    try {
      if (stack != null && !stackDown) {
        try {
          stack.stop();
        } catch (RuntimeException e) {
          log.warn("compose down failed; removing the project's containers, networks and volumes directly", e);
        }
      }
      if (projects != null) {
        projects.remove(ours());
      }
    } finally {
      stopPodman();
      log.info("compose timings: {}", timings.entrySet().stream()
          .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
    }
  }

  private void stopPodman() throws Exception {
    if (podmanPid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> service = ProcessHandle.of(podmanPid.get());
    if (service.isPresent()) {
      service.get().destroy();
      try {
        service.get().onExit().get(15, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        service.get().destroyForcibly();
        service.get().onExit().get(5, TimeUnit.SECONDS);
      }
    }
    Files.deleteIfExists(Path.of(System.getenv().getOrDefault("PGHA_PODMAN_PIDFILE", "/run/pgha-podman-service.pid")));
    log.info("podman system service (pid {}) stopped", podmanPid.get());
  }

  private static Predicate<String> ours() {
    return name -> name.startsWith(IDENTIFIER);
  }

  private static List<String> leadersIn(Exposition patroni) {
    return patroni.all(PatroniMetrics.LEADER.name(), "scope", SCOPE).stream()
        .filter(s -> s.value() == 1.0).map(s -> s.labels().get("member")).toList();
  }

  private static Optional<Double> leaderChanges(Exposition patroni) {
    OptionalDouble changes = patroni.value(PatroniMetrics.LEADER_CHANGES.name(), "scope", SCOPE);
    return changes.isPresent() ? Optional.of(changes.getAsDouble()) : Optional.empty();
  }

  static int port(String variable) {
    return STANDARD_PORTS.get(variable) + PORT_OFFSET;
  }

  private static Map<String, String> publishedPorts() {
    Map<String, String> env = new LinkedHashMap<>();
    STANDARD_PORTS.keySet().forEach(v -> env.put(v, Integer.toString(port(v))));
    return env;
  }

  private static void assertPublishedPortsFree() throws IOException {
    for (String variable : STANDARD_PORTS.keySet()) {
      try (ServerSocket s = new ServerSocket(port(variable), 1, InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
      } catch (IOException e) {
        throw new IOException("127.0.0.1:" + port(variable) + " (" + variable + ") is taken: " + e.getMessage(), e);
      }
    }
  }

  private static String secondsSince(long nanos) {
    return String.format("%.1f s", (System.nanoTime() - nanos) / 1e9);
  }

  private static Map<String, Integer> orderedMap(Object... kv) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Integer) kv[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
