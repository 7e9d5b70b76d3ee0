package io.pgha.drills;

import io.pgha.lab.alerts.PrometheusAlert;
import io.pgha.lab.client.LeaderEventsApi;
import io.pgha.patroni.api.HistoryEntry;
import io.pgha.promkit.Exposition;
import io.pgha.traffic.OperationOutcome;
import io.pgha.traffic.WriteOutage;
import io.pgha.traffic.WriteOutages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Predicate;

/** Questions every drill asks of its recording. Pure: the recording in, figures out. */
public final class DrillAnalysis {

  private final DrillRecording r;

  public DrillAnalysis(DrillRecording recording) {
    this.r = recording;
  }

  public DrillRecording recording() {
    return r;
  }

  public long faultAt() {
    return r.faultAtMillis();
  }

  // ---- traffic ----

  /**
   * The longest write outage from the steady state to the end (it may start just before the fault). A
   * pause of the writes the drill made itself ({@link DrillContext#holdWrites}) is none: an outage after
   * it counts from when the writes went on.
   */
  public Optional<WriteOutage> longestOutage() {
    OptionalLong heldAt = r.value(DrillContext.WRITES_HELD_AT);
    if (heldAt.isEmpty()) {
      return WriteOutages.longest(r.outcomes(), r.steadyAtMillis(), r.endedAtMillis());
    }
    long released = r.value(DrillContext.WRITES_RELEASED_AT).orElse(r.endedAtMillis());
    Optional<WriteOutage> before = WriteOutages.longest(r.outcomes(), r.steadyAtMillis(), heldAt.getAsLong());
    Optional<WriteOutage> after = WriteOutages.longest(r.outcomes(), released, r.endedAtMillis());
    return before.isPresent() && after.isPresent() ? Optional.of(after.get().millis() > before.get().millis()
        ? after.get() : before.get()) : before.or(() -> after);
  }

  /** Write attempts that ended in [from, to) and failed. */
  public int failedWrites(long from, long to) {
    return (int) writes(from, to).stream().filter(o -> !o.ok()).count();
  }

  public int okWrites(long from, long to) {
    return (int) writes(from, to).stream().filter(OperationOutcome::ok).count();
  }

  public int failedWritesAfterFault() {
    return failedWrites(r.faultAtMillis(), Long.MAX_VALUE);
  }

  /** Reads that a primary served through the read port in [from, to): HAProxy routing them wrong. */
  public int readsFromPrimary(long from, long to) {
    return (int) r.outcomes().stream().filter(o -> !o.isWrite() && o.ok() && o.primary()
        && o.endedAtMillis() >= from && o.endedAtMillis() < to).count();
  }

  /** When the first write acknowledged after {@code from} (by {@code member}, if not null) was acknowledged. */
  public OptionalLong firstAckedWrite(long from, String member) {
    return r.outcomes().stream()
        .filter(o -> o.isWrite() && o.ok() && o.endedAtMillis() > from && (member == null || member.equals(o.member())))
        .mapToLong(OperationOutcome::endedAtMillis).min();
  }

  /** The distinct errors of failed writes in [from, to), most frequent first. */
  public List<String> writeErrors(long from, long to) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (OperationOutcome o : writes(from, to)) {
      if (!o.ok() && o.error() != null) {
        counts.merge(o.error(), 1, Integer::sum);
      }
    }
    return counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).map(Map.Entry::getKey).toList();
  }

  /**
   * When {@code member} last acknowledged a write after {@code from}, on the traffic or on the session
   * held to the old leader.
   */
  public OptionalLong lastWriteAckedBy(String member, long from) {
    return allWrites().filter(o -> o.ok() && member.equals(o.member()) && o.endedAtMillis() >= from)
        .mapToLong(OperationOutcome::endedAtMillis).max();
  }

  /** The writes of the session held to the old leader (none for drills without one). */
  public List<OperationOutcome> heldWrites() {
    return r.held() == null ? List.of() : r.held().outcomes().stream().filter(OperationOutcome::isWrite).toList();
  }

  /** The first write of the held session that failed after {@code from}, if any. */
  public Optional<OperationOutcome> firstHeldFailure(long from) {
    return heldWrites().stream().filter(o -> !o.ok() && o.endedAtMillis() >= from).findFirst();
  }

  private java.util.stream.Stream<OperationOutcome> allWrites() {
    return java.util.stream.Stream.concat(r.outcomes().stream(), heldWrites().stream()).filter(OperationOutcome::isWrite);
  }

  private List<OperationOutcome> writes(long from, long to) {
    return r.outcomes().stream().filter(o -> o.isWrite() && o.endedAtMillis() >= from && o.endedAtMillis() < to)
        .toList();
  }

  // ---- metrics ----

  /** The first sample of {@code source} at or after the fault for which {@code shows} holds. */
  public Detection detect(String what, String source, Predicate<MetricsSample> shows) {
    for (MetricsSample s : r.metrics()) {
      if (s.source().equals(source) && s.atMillis() >= r.faultAtMillis() && shows.test(s)) {
        return new Detection(what, OptionalLong.of(s.atMillis() - r.faultAtMillis()));
      }
    }
    return new Detection(what, OptionalLong.empty());
  }

  /**
   * When {@code source} first showed {@code metric{labels} value} after the fault, described as
   * Prometheus writes the series ({@code pgha_etcd_member_up{member="etcd-3"} 0}).
   */
  public Detection detect(String source, String metric, double value, String... labelPairs) {
    StringBuilder what = new StringBuilder(metric);
    for (int i = 0; i < labelPairs.length; i += 2) {
      what.append(i == 0 ? "{" : ",").append(labelPairs[i]).append("=\"").append(labelPairs[i + 1]).append('"');
    }
    what.append(labelPairs.length == 0 ? " " : "} ").append(value == Math.rint(value) ? Long.toString((long) value)
        : Double.toString(value));
    Map<String, String> labels = Exposition.pairs(labelPairs);
    return detect(what.toString(), source, s -> s.is(metric, labels, value));
  }

  /** When {@code source} first stopped answering after the fault. */
  public Detection detectGone(String what, String source) {
    return detect(what, source, s -> !s.answered());
  }

  /**
   * When Patroni's own {@code /metrics} first showed {@code replica} at least {@code bytes} behind
   * {@code leader}: the leader's {@code patroni_xlog_location} against the replica's received (or
   * replayed, whichever is further) location, each from its latest sample.
   */
  public Detection detectPatroniLag(String leader, String replica, long bytes) {
    String what = "patroni_xlog_location of " + leader + " - received location of " + replica + " >= "
        + Fmt.bytes(bytes);
    OptionalDouble leaderAt = OptionalDouble.empty();
    for (MetricsSample s : r.metrics()) {
      if (!s.answered() || s.atMillis() < r.faultAtMillis()) {
        continue;
      }
      if (s.source().equals(MetricsSample.patroni(leader))) {
        leaderAt = s.value("patroni_xlog_location");
      } else if (s.source().equals(MetricsSample.patroni(replica)) && leaderAt.isPresent()) {
        double received = Math.max(s.value("patroni_xlog_received_location").orElse(0),
            s.value("patroni_xlog_replayed_location").orElse(0));
        if (received > 0 && leaderAt.getAsDouble() - received >= bytes) {
          return new Detection(what, OptionalLong.of(s.atMillis() - r.faultAtMillis()));
        }
      }
    }
    return new Detection(what, OptionalLong.empty());
  }

  /** The largest value a series took in the answered samples of {@code source} within [from, to). */
  public OptionalDouble max(String source, String metric, Map<String, String> labels, long from, long to) {
    return samples(source, from, to).stream().map(s -> s.value(metric, labels)).filter(OptionalDouble::isPresent)
        .mapToDouble(OptionalDouble::getAsDouble).max();
  }

  /** Whether a series took a value in any answered sample of {@code source} within [from, to). */
  public boolean anySample(String source, long from, long to, Predicate<MetricsSample> test) {
    return r.metrics().stream().anyMatch(s -> s.source().equals(source) && s.answered() && s.atMillis() >= from
        && s.atMillis() < to && test.test(s));
  }

  /** The answered samples of {@code source} within [from, to). */
  public List<MetricsSample> samples(String source, long from, long to) {
    return r.metrics().stream().filter(s -> s.source().equals(source) && s.answered() && s.atMillis() >= from
        && s.atMillis() < to).toList();
  }

  /** The last value of a series before {@code at} and the last value at the end of the drill. */
  public OptionalDouble lastValue(String source, String metric, Map<String, String> labels, long before) {
    OptionalDouble last = OptionalDouble.empty();
    for (MetricsSample s : r.metrics()) {
      if (s.source().equals(source) && s.answered() && s.atMillis() < before) {
        OptionalDouble v = s.value(metric, labels);
        if (v.isPresent()) {
          last = v;
        }
      }
    }
    return last;
  }

  /** The last total of every series of a counter (whatever its other labels) read before {@code before}. */
  private OptionalDouble lastSum(String source, String metric, long before) {
    OptionalDouble last = OptionalDouble.empty();
    for (MetricsSample s : r.metrics()) {
      if (s.source().equals(source) && s.answered() && s.atMillis() < before) {
        OptionalDouble v = s.sum(metric, Map.of());
        if (v.isPresent()) {
          last = v;
        }
      }
    }
    return last;
  }

  /** How much a counter (all its series) grew from just before the fault to the end of the drill. */
  public OptionalDouble counterIncrease(String source, String metric) {
    OptionalDouble before = lastSum(source, metric, r.faultAtMillis());
    OptionalDouble after = lastSum(source, metric, Long.MAX_VALUE);
    if (before.isEmpty() || after.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(after.getAsDouble() - before.getAsDouble());
  }

  // ---- leader ----

  /** The first member other than the old leader seen holding the leader key after the fault. */
  public Optional<String> newLeader() {
    return firstNewHolder().map(LeaderKeySample::holder);
  }

  /** When the drill first saw a new holder of the leader key (within one poll of the change). */
  public OptionalLong newLeaderKeyAt() {
    return firstNewHolder().map(s -> OptionalLong.of(s.atMillis())).orElse(OptionalLong.empty());
  }

  private Optional<LeaderKeySample> firstNewHolder() {
    String before = r.facts().leaderBefore();
    return r.leaderKeys().stream().filter(s -> s.atMillis() >= r.faultAtMillis() && s.answered()
        && s.holder() != null && !s.holder().equals(before)).findFirst();
  }

  /**
   * The drill's own measure of how long the scope had no leader, defined as exporter-etcd defines it:
   * from the old leader losing the key to the new holder taking it. Losing is the key leaving the old
   * holder (vacant, or straight to the new one when the vacancy fell between two polls); for an expired
   * lease ({@code expired}) it is the leader's last lease renewal, seen as the last new revision of
   * {@code status} before the key left it, but no earlier than the key leaving less ttl and 1 s (etcd
   * revokes an expired lease within half a second). That bound is exporter-etcd's too, and it matters:
   * Patroni renews the lease and then writes {@code status}, a round trip later (about 0.1 s on the TLS
   * cluster), so a kill between the two leaves a renewal that no {@code status} write shows, and the
   * last one seen is a loop (2 s) too early. Each moment is placed midway between the poll that saw it
   * and the one before: polled every {@link DrillObserver#KEY_PERIOD_MILLIS} ms or slower under load,
   * each end is then off by at most half the gap between two polls, not by a whole one.
   */
  public OptionalLong vacancyMillis(boolean expired) {
    String before = r.facts().leaderBefore();
    long leaseRevokedWithinMillis = (r.facts().ttl() + 1) * 1000L;
    long lastStatus = -1;
    double renewedAt = -1;
    double lostAt = -1;
    long prev = -1;
    for (LeaderKeySample s : r.leaderKeys()) {
      if (!s.answered()) {
        continue;
      }
      double seenSince = prev < 0 ? s.atMillis() : (prev + s.atMillis()) / 2.0;
      boolean after = s.atMillis() >= r.faultAtMillis();
      if (after && s.holder() != null && !s.holder().equals(before)) {
        double left = lostAt < 0 ? seenSince : lostAt;
        if (expired && renewedAt < 0) {
          return OptionalLong.empty();
        }
        double from = expired ? Math.max(renewedAt, left - leaseRevokedWithinMillis) : left;
        return OptionalLong.of(Math.round(seenSince - from));
      }
      if (after && s.holder() == null && lostAt < 0) {
        lostAt = seenSince;
      }
      if (lostAt < 0 && s.statusRevision() >= 0 && s.statusRevision() != lastStatus) {
        lastStatus = s.statusRevision();
        renewedAt = seenSince;
      }
      prev = s.atMillis();
    }
    return OptionalLong.empty();
  }

  /** exporter-etcd's account of the change to {@code newLeader} after the fault, read at the end of the drill. */
  public Optional<LeaderEventsApi.Event> exporterEvent(String newLeader) {
    String old = r.facts().leaderBefore();
    return r.exporterEvents().stream().filter(e -> !e.rebuilt() && e.to().equals(Optional.of(newLeader))
        && e.from().equals(Optional.of(old)) && e.detectedAt().map(t -> t.toEpochMilli() >= r.faultAtMillis()).orElse(false))
        .findFirst();
  }

  /** When HAProxy's write backend was first seen routing to {@code member} alone after the fault. */
  public OptionalLong routedTo(String member) {
    return r.routes().stream().filter(s -> s.atMillis() >= r.faultAtMillis() && s.answered()
        && s.writeUp().equals(List.of(member))).mapToLong(RouteSample::atMillis).findFirst();
  }

  /** Members other than {@code member} seen holding the key within [from, to) (answered reads only). */
  public List<String> otherKeyHolders(String member, long from, long to) {
    return r.leaderKeys().stream().filter(s -> s.answered() && s.atMillis() >= from && s.atMillis() < to
        && s.holder() != null && !s.holder().equals(member)).map(LeaderKeySample::holder).distinct().toList();
  }

  /** Whether the key was seen vacant within [from, to). */
  public boolean keyVacant(long from, long to) {
    return r.leaderKeys().stream().anyMatch(s -> s.answered() && s.holder() == null && s.atMillis() >= from
        && s.atMillis() < to);
  }

  /** When {@code member}'s PostgreSQL was first seen out of the primary role (in recovery or down) after the fault. */
  public OptionalLong notPrimarySince(String member) {
    return r.positions().stream().filter(p -> p.member().equals(member) && p.atMillis() >= r.faultAtMillis()
        && !p.primary()).mapToLong(PositionSample::atMillis).findFirst();
  }

  /** When {@code member}'s PostgreSQL was first seen running in recovery after the fault (demoted, not down). */
  public OptionalLong inRecoverySince(String member) {
    return r.positions().stream().filter(p -> p.member().equals(member) && p.atMillis() >= r.faultAtMillis()
        && p.reachable() && !p.primary()).mapToLong(PositionSample::atMillis).findFirst();
  }

  /**
   * Until when every write {@code member} acknowledged is known to have its commit at or before {@code position}
   * in the WAL: the poll before the last one (before {@code until}) that found the member a primary with its
   * insert position there. A member's polls run one after the other, so that poll's query ran after the
   * previous poll's stamp, and a commit acknowledged before that stamp was already written below what it read.
   */
  public OptionalLong ackedWithin(String member, long position, long until) {
    List<PositionSample> own = r.positions().stream().filter(p -> p.member().equals(member) && p.atMillis() <= until)
        .toList();
    OptionalLong within = OptionalLong.empty();
    for (int i = 1; i < own.size(); i++) {
      PositionSample p = own.get(i);
      if (p.reachable() && p.primary() && p.walBytes() <= position) {
        within = OptionalLong.of(own.get(i - 1).atMillis());
      }
    }
    return within;
  }

  /**
   * From when every write {@code member} went on to take has its commit beyond {@code position}: the first
   * poll (before {@code until}) that found the member a primary with its insert position past it. A write
   * that starts after that poll's stamp is written after the position it read.
   */
  public OptionalLong startedBeyond(String member, long position, long until) {
    return r.positions().stream().filter(p -> p.member().equals(member) && p.atMillis() <= until && p.reachable()
        && p.primary() && p.walBytes() > position).mapToLong(PositionSample::atMillis).findFirst();
  }

  /** Writes {@code member} acknowledged that started within [from, to). */
  public int okWritesStarted(String member, long from, long to) {
    return (int) r.outcomes().stream().filter(o -> o.isWrite() && o.ok() && member.equals(o.member())
        && o.startedAtMillis() >= from && o.startedAtMillis() < to).count();
  }

  /** Members seen running as primary within [from, to). */
  public List<String> primaries(long from, long to) {
    return r.positions().stream().filter(p -> p.primary() && p.atMillis() >= from && p.atMillis() < to)
        .map(PositionSample::member).distinct().sorted().toList();
  }

  /**
   * The old leader's last WAL position seen before the fault against the switch position {@code /history}
   * records for the promotion of {@code newLeader}.
   */
  public Optional<WalDistance> walDistance(String newLeader) {
    String old = r.facts().leaderBefore();
    // Every position it reported as primary before the restore (it never is one again after a kill).
    long until = r.faultEndMillis();
    OptionalLong last = r.positions().stream().filter(p -> p.member().equals(old) && p.primary()
        && p.atMillis() <= until).mapToLong(PositionSample::walBytes).max();
    if (last.isEmpty() || r.history().isEmpty()) {
      return Optional.empty();
    }
    HistoryEntry entry = r.history().get(r.history().size() - 1);
    if (entry.newLeader().isPresent() && !entry.newLeader().get().equals(newLeader)) {
      return Optional.empty();
    }
    return Optional.of(new WalDistance(old, last.getAsLong(), entry.switchLsn(), entry.timeline()));
  }

  // ---- alerts ----

  /** An expected alert: delivered firing after the fault, or already active before it. */
  public AlertDelivery expectedAlert(String alertname, Map<String, String> labels) {
    boolean active = r.activeBeforeFault().stream().anyMatch(a -> matches(a, alertname, labels));
    OptionalLong after = r.alerts().stream()
        .filter(a -> a.firing() && a.seenAtMillis() >= r.faultAtMillis() && a.matches(alertname, labels))
        .mapToLong(a -> a.seenAtMillis() - r.faultAtMillis()).findFirst();
    return new AlertDelivery(alertname, labels, true, after, active);
  }

  /** The expected alerts, then every other alert delivered firing after the fault (first delivery each). */
  public List<AlertDelivery> alerts(List<AlertDelivery> expected) {
    List<AlertDelivery> out = new ArrayList<>(expected);
    List<String> seen = new ArrayList<>();
    for (AlertSeen a : r.alerts()) {
      if (!a.firing() || a.seenAtMillis() < r.faultAtMillis()) {
        continue;
      }
      boolean isExpected = expected.stream().anyMatch(e -> a.matches(e.alertname(), e.labels()));
      String key = a.alertname() + a.labels();
      if (isExpected || seen.contains(key)) {
        continue;
      }
      seen.add(key);
      out.add(new AlertDelivery(a.alertname(), a.labels(), false, OptionalLong.of(a.seenAtMillis() - r.faultAtMillis()),
          false));
    }
    return out;
  }

  /**
   * The alerts named in {@code alertnames} that Prometheus had pending or firing just before the
   * fault (one each), as deliveries that were already active.
   */
  public List<AlertDelivery> activeBeforeFault(List<String> alertnames) {
    List<AlertDelivery> out = new ArrayList<>();
    for (String name : alertnames) {
      r.activeBeforeFault().stream().filter(a -> a.alertname().equals(name)).findFirst().ifPresent(a ->
          out.add(new AlertDelivery(name, withoutAlertname(a.labels()), false, OptionalLong.empty(), true)));
    }
    return out;
  }

  private static Map<String, String> withoutAlertname(Map<String, String> labels) {
    Map<String, String> out = new java.util.TreeMap<>(labels);
    out.remove("alertname");
    return out;
  }

  private static boolean matches(PrometheusAlert a, String alertname, Map<String, String> labels) {
    return a.alertname().equals(alertname)
        && labels.entrySet().stream().allMatch(e -> e.getValue().equals(a.labels().get(e.getKey())));
  }
}
