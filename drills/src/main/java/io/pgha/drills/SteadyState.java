package io.pgha.drills;

import io.pgha.traffic.OperationOutcome;
import java.util.ArrayList;
import java.util.List;

/** Whether a drill may inject its fault: what is still missing for a steady state. Pure. */
final class SteadyState {

  private SteadyState() {
  }

  /** Empty when steady; otherwise what is missing, for the message when the wait times out. */
  static String missing(long now, long windowMillis, List<OperationOutcome> outcomes,
                        List<MetricsSample> metrics, List<PositionSample> positions, List<LeaderKeySample> keys,
                        ClusterFacts facts) {
    List<String> missing = new ArrayList<>();
    // The first writes of a fresh JVM take a while: the window counts from the first acknowledged one.
    long firstAcked = outcomes.stream().filter(o -> o.isWrite() && o.ok()).mapToLong(OperationOutcome::endedAtMillis)
        .min().orElse(Long.MAX_VALUE);
    if (firstAcked == Long.MAX_VALUE || now - firstAcked < windowMillis) {
      missing.add("writes acknowledged for less than " + windowMillis + " ms");
    }
    long failed = outcomes.stream().filter(o -> o.isWrite() && !o.ok() && o.endedAtMillis() >= now - windowMillis).count();
    if (failed > 0) {
      missing.add(failed + " failed writes in the last " + windowMillis + " ms");
    }
    long recent = outcomes.stream().filter(o -> o.isWrite() && o.ok() && o.endedAtMillis() >= now - 1000).count();
    if (recent == 0) {
      missing.add("no write acknowledged in the last second");
    }
    List<String> sources = new ArrayList<>(List.of(MetricsSample.EXPORTER_PATRONI, MetricsSample.EXPORTER_ETCD));
    facts.members().forEach(m -> sources.add(MetricsSample.patroni(m)));
    for (String source : sources) {
      boolean answered = metrics.stream().anyMatch(s -> s.source().equals(source) && s.answered()
          && s.atMillis() >= now - 1000);
      if (!answered) {
        missing.add(source + " /metrics not answering");
      }
    }
    boolean key = keys.stream().anyMatch(k -> k.atMillis() >= now - 1000 && facts.leaderBefore().equals(k.holder()));
    if (!key) {
      missing.add("leader key not seen held by " + facts.leaderBefore());
    }
    boolean primary = positions.stream().anyMatch(p -> p.atMillis() >= now - 1000 && p.primary()
        && p.member().equals(facts.leaderBefore()));
    if (!primary) {
      missing.add(facts.leaderBefore() + " not seen running as primary");
    }
    return String.join("; ", missing);
  }
}
