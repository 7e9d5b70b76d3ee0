package io.pgha.patroni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.common.TextExposition;
import io.pgha.patroni.api.HistoryEntry;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.patroni.api.PatroniDynamicConfig;
import io.pgha.patroni.api.PatroniJson;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads the recorded (and documented) Patroni responses under src/test/resources. */
final class Recordings {
  static final String V3 = "recorded/3.0.2/";
  static final String V4 = "documented/4.x/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Recordings() {}

  static String text(String resource) {
    try (InputStream in = Recordings.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String resource) {
    try {
      return JSON.readTree(text(resource));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PatroniCluster cluster(String dir) {
    return PatroniJson.cluster(json(dir + "cluster.json"));
  }

  static List<HistoryEntry> history(String dir) {
    return PatroniJson.history(json(dir + "history.json"));
  }

  static MemberProbe answered(String dir, String member) {
    return new MemberProbe.Answered(member, apiUrl(member), PatroniJson.status(json(dir + "patroni-" + member + ".json")));
  }

  static MemberProbe unreachable(String member) {
    return new MemberProbe.Unreachable(member, apiUrl(member), "cannot connect: Connection refused");
  }

  static URI apiUrl(String member) {
    return URI.create("http://" + member + ":8008/patroni");
  }

  /** The exposition text of everything the three collectors of one scope produce. */
  static String render(String scope, Optional<PatroniCluster> cluster, List<MemberProbe> probes, List<HistoryEntry> history) {
    return TextExposition.render(snapshots(scope, cluster, probes, history));
  }

  /** Everything the three collectors of one scope produce. */
  static List<MetricSnapshot> snapshots(String scope, Optional<PatroniCluster> cluster, List<MemberProbe> probes,
      List<HistoryEntry> history) {
    List<MetricSnapshot> all = new ArrayList<>(PatroniClusterCollector.snapshots(scope, cluster, probes));
    Instant now = scrapedAt(probes);
    for (MemberProbe probe : probes) {
      all.addAll(PatroniMemberCollector.snapshots(scope, probe, now));
    }
    if (history != null) {
      all.addAll(PatroniHistoryCollector.snapshots(scope, HistorySummary.of(history)));
    }
    return all;
  }

  /**
   * When the recorded answers are taken to have been scraped: one second after the latest
   * {@code dcs_last_seen} among them (the recordings do not keep the time they were taken).
   */
  static Instant scrapedAt(List<MemberProbe> probes) {
    long latest = probes.stream().filter(p -> p instanceof MemberProbe.Answered)
        .map(p -> ((MemberProbe.Answered) p).status().dcsLastSeen())
        .flatMap(Optional::stream).mapToLong(Long::longValue).max().orElse(0);
    return Instant.ofEpochSecond(latest + 1);
  }

  static PatroniDynamicConfig config(String dir) {
    return PatroniJson.config(json(dir + "config.json"));
  }

  /** The sample lines (no HELP/TYPE) of the named metric families, in exposition order. */
  static String samples(String text, Collection<String> families) {
    Set<String> names = Set.copyOf(families);
    return text.lines()
        .filter(l -> !l.startsWith("#"))
        .filter(l -> names.contains(l.split("[{ ]", 2)[0]))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /** Sample lines of every family but the long one-hot state family. */
  static String samplesWithoutStates(String text) {
    return text.lines()
        .filter(l -> !l.startsWith("#") && !l.startsWith(PatroniMetrics.MEMBER_STATE.name() + "{"))
        .collect(Collectors.joining("\n", "", "\n"));
  }
}
