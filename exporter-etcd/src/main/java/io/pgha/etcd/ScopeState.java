package io.pgha.etcd;

import io.pgha.common.HistogramFamily;
import io.pgha.etcd.LeaderEvent.Kind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the exporter knows about one scope from the watch on Patroni's namespace, advanced purely by
 * {@link #apply} (one revision's changes at a time): the scope's keys as etcd holds them, the
 * leader key's course ({@link LeaderKeyState}), and every leadership change told from the keys
 * around the leader key ({@link LeaderEvent}).
 *
 * <p>How a change is told (Patroni 3.0's etcd3 layout, recorded on the test cluster):
 * <ul>
 *   <li>kind: the leader key deleted in the same revision as another key on its lease is an expired
 *       lease (etcd revokes a lease by deleting all its keys at once, and Patroni puts its member key
 *       on the same lease); otherwise the {@code failover} key in force names the old leader
 *       (switchover) or only a candidate (failover); otherwise the leader released the key.
 *   <li>when the old leader lost the key: the delete, except for an expired lease, where it is the
 *       lease's last renewal: Patroni renews the lease and writes {@code status} in the same loop,
 *       so the holder's last {@code status} write marks it (bounded below by the delete less ttl and
 *       one second, etcd revoking within half a second of the expiry).
 *   <li>the old leader's last position: its last {@code status} optime and member key
 *       {@code xlog_location} before it lost the key; the switch position comes with the
 *       {@code history} entry the new leader writes a moment later.
 * </ul>
 *
 * @param keys the scope's keys, relative to {@code <namespace><scope>/}
 * @param revision the highest etcd revision applied to the scope; older or repeated changes are ignored
 * @param loss the old leader lost the key and no other member holds it yet
 * @param holderSeenMillis when the current holder last showed it renewed its lease, -1 if not seen
 * @param historyTimeline the highest timeline of the {@code history} entries seen
 * @param vacancies per kind but {@code unknown}, whose vacancy means nothing
 * @param events newest first, at most {@link #EVENTS}
 */
public record ScopeState(
    String scope,
    Map<String, DcsKey> keys,
    long revision,
    DcsState dcs,
    LeaderKeyState leader,
    Optional<Loss> loss,
    long holderSeenMillis,
    long historyTimeline,
    Map<Kind, Long> changes,
    Map<Kind, HistogramFamily.Counts> vacancies,
    List<LeaderEvent> events) {

  /** How many events each scope keeps. */
  public static final int EVENTS = 100;
  static final String LEADER = "leader";
  static final String STATUS = "status";
  static final String HISTORY = "history";
  static final String FAILOVER = "failover";
  static final String CONFIG = "config";
  static final String MEMBERS = "members/";
  /** Keys whose change alters {@link DcsState} (besides members coming and going). */
  private static final Set<String> DCS_KEYS = Set.of(CONFIG, "failsafe", "sync", HISTORY, "initialize");

  /** One key as etcd holds it. */
  public record DcsKey(String value, long modRevision, long lease) {}

  /**
   * A change of one of the scope's keys, {@code key} relative to the scope's prefix.
   *
   * @param value the new value; null for a delete
   * @param recovered found by a resync, not delivered by the watch when it happened
   */
  public record KeyChange(String key, String value, long revision, long lease, boolean recovered) {
    boolean put() {
      return value != null;
    }
  }

  /** The old leader lost the key: what is known until the next holder is seen. */
  public record Loss(String from, Kind kind, long lostAtMillis, long deletedAtMillis, long oldPosition,
      Optional<FailoverRequest> request, boolean recovered) {}

  public ScopeState {
    keys = Map.copyOf(keys);
    changes = Map.copyOf(changes);
    vacancies = Map.copyOf(vacancies);
    events = List.copyOf(events);
  }

  /** The scope as a range read at {@code revision} found it; {@code history} gives the rebuilt events. */
  public static ScopeState initial(String scope, Map<String, DcsKey> keys, long revision) {
    DcsKey leaderKey = keys.get(LEADER);
    LeaderKeyState leader = leaderKey == null ? LeaderKeyState.initial(null, 0, revision)
        : LeaderKeyState.initial(leaderKey.value(), leaderKey.lease(), revision);
    List<DcsState.HistoryLine> lines = DcsState.history(value(keys, HISTORY));
    List<LeaderEvent> rebuilt = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      rebuilt.add(0, rebuilt(scope, lines, i));
    }
    Map<Kind, Long> changes = new EnumMap<>(Kind.class);
    Map<Kind, HistogramFamily.Counts> vacancies = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      changes.put(k, 0L);
      if (k != Kind.UNKNOWN) {
        vacancies.put(k, EtcdMetrics.DCS_LEADER_VACANCY.empty());
      }
    }
    return new ScopeState(scope, keys, revision, DcsState.parse(values(keys)), leader, Optional.empty(), -1,
        lines.stream().mapToLong(DcsState.HistoryLine::timeline).max().orElse(0), changes, vacancies,
        bounded(rebuilt));
  }

  /** The newest change the watch saw (not rebuilt), if any: the {@code last_leader_change} series. */
  public Optional<LeaderEvent> lastChange() {
    return events.stream().filter(e -> !e.rebuilt()).findFirst();
  }

  /**
   * Applies the changes of one etcd revision (all of one revision, or a resync's recovered view of
   * several) seen at {@code atMillis}. Returns this state when they are old news.
   */
  public ScopeState apply(List<KeyChange> batch, long atMillis) {
    long rev = batch.stream().mapToLong(KeyChange::revision).max().orElse(revision);
    if (batch.isEmpty() || rev <= revision) {
      return this;
    }
    Map<String, DcsKey> next = new HashMap<>(keys);
    boolean dcsChanged = false;
    KeyChange leaderChange = null;
    KeyChange historyChange = null;
    boolean statusWritten = false;
    for (KeyChange c : batch) {
      DcsKey old = keys.get(c.key());
      if (c.put()) {
        next.put(c.key(), new DcsKey(c.value(), c.revision(), c.lease()));
      } else {
        next.remove(c.key());
      }
      dcsChanged |= DCS_KEYS.contains(c.key()) || (old == null) != (c.value() == null);
      switch (c.key()) {
        case LEADER -> leaderChange = c;
        case HISTORY -> historyChange = c.put() ? c : historyChange;
        case STATUS -> statusWritten |= c.put();
        default -> { }
      }
    }
    Builder b = new Builder(this, next, rev);
    if (dcsChanged) {
      b.dcs = DcsState.parse(values(next));
    }
    if (statusWritten && leader.present()) {
      b.holderSeen = atMillis; // the holder renewed its lease in the loop that wrote this
    }
    if (leaderChange != null) {
      b.leaderChanged(leaderChange, batch, atMillis);
    }
    if (historyChange != null) {
      b.historyWritten(historyChange.value(), atMillis);
    }
    return b.build();
  }

  /**
   * Whether a keys-only range read at {@code atRevision} ({@code modRevisions}: this scope's keys and
   * their mod revisions) knows of a change this state has not applied: the watch is behind.
   */
  public boolean behind(Map<String, Long> modRevisions, long atRevision) {
    for (Map.Entry<String, Long> e : modRevisions.entrySet()) {
      DcsKey known = keys.get(e.getKey());
      if (e.getValue() > revision && (known == null || known.modRevision() < e.getValue())) {
        return true;
      }
    }
    if (revision < atRevision) {
      for (String k : keys.keySet()) {
        if (!modRevisions.containsKey(k)) {
          return true; // deleted at a revision not applied yet
        }
      }
    }
    return false;
  }

  /**
   * What turns this state into {@code current} (read at {@code atRevision}), as one recovered batch:
   * for when etcd compacted the history a replay would need.
   */
  public List<KeyChange> differences(Map<String, DcsKey> current, long atRevision) {
    List<KeyChange> out = new ArrayList<>();
    for (String k : keys.keySet()) {
      if (!current.containsKey(k)) {
        out.add(new KeyChange(k, null, atRevision, 0, true));
      }
    }
    for (Map.Entry<String, DcsKey> e : current.entrySet()) {
      DcsKey known = keys.get(e.getKey());
      if (known == null || known.modRevision() != e.getValue().modRevision()) {
        out.add(new KeyChange(e.getKey(), e.getValue().value(), atRevision, e.getValue().lease(), true));
      }
    }
    return out;
  }

  // ---- what the keys say ----

  private static String value(Map<String, DcsKey> keys, String key) {
    DcsKey k = keys.get(key);
    return k == null ? null : k.value();
  }

  private static Map<String, String> values(Map<String, DcsKey> keys) {
    Map<String, String> values = new LinkedHashMap<>();
    keys.forEach((k, v) -> values.put(k, v.value()));
    return values;
  }

  /** The last WAL position {@code member} reported while leading, -1 if none. */
  private static long position(Map<String, DcsKey> keys, String member) {
    OptionalLong optime = DcsState.optime(value(keys, STATUS));
    OptionalLong xlog = DcsState.xlogLocation(value(keys, MEMBERS + member));
    return Math.max(optime.orElse(-1), xlog.orElse(-1));
  }

  /** Entry {@code i} of {@code history} as a rebuilt event: the previous entry's leader is the old one. */
  private static LeaderEvent rebuilt(String scope, List<DcsState.HistoryLine> lines, int i) {
    DcsState.HistoryLine line = lines.get(i);
    Optional<String> from = i == 0 ? Optional.empty() : lines.get(i - 1).newLeader();
    return LeaderEvent.rebuilt(scope, from, line.newLeader().orElse(""), line);
  }

  private static List<LeaderEvent> bounded(List<LeaderEvent> newestFirst) {
    return newestFirst.size() <= EVENTS ? newestFirst : newestFirst.subList(0, EVENTS);
  }

  /** The next state, assembled from the parts one batch changes. */
  private static final class Builder {
    private final ScopeState s;
    private final Map<String, DcsKey> keys;
    private final long revision;
    private DcsState dcs;
    private LeaderKeyState leader;
    private Optional<Loss> loss;
    private long holderSeen;
    private long historyTimeline;
    private final Map<Kind, Long> changes;
    private final Map<Kind, HistogramFamily.Counts> vacancies;
    private final List<LeaderEvent> events;

    Builder(ScopeState s, Map<String, DcsKey> keys, long revision) {
      this.s = s;
      this.keys = keys;
      this.revision = revision;
      this.dcs = s.dcs();
      this.leader = s.leader();
      this.loss = s.loss();
      this.holderSeen = s.holderSeenMillis();
      this.historyTimeline = s.historyTimeline();
      this.changes = new EnumMap<>(s.changes());
      this.vacancies = new EnumMap<>(s.vacancies());
      this.events = new ArrayList<>(s.events());
    }

    void leaderChanged(KeyChange c, List<KeyChange> batch, long atMillis) {
      LeaderKeyEvent e = c.put() ? LeaderKeyEvent.put(c.value(), c.revision(), c.lease())
          : LeaderKeyEvent.delete(c.revision());
      LeaderKeyState before = leader;
      leader = before.apply(c.recovered() ? e.asRecovered() : e, atMillis);
      if (leader == before) {
        return;
      }
      Map<String, DcsKey> old = s.keys();
      Optional<FailoverRequest> request = FailoverRequest.parse(value(old, FAILOVER));
      if (before.present() && !leader.present()) {
        String from = before.holder();
        Kind kind = expired(old, batch, before.lease()) ? Kind.EXPIRED
            : request.flatMap(r -> r.explains(from)).orElse(Kind.RELEASED);
        long lostAt = kind == Kind.EXPIRED ? lastRenewal(old, atMillis) : atMillis;
        loss = Optional.of(new Loss(from, kind, lostAt, atMillis, position(old, from), request, c.recovered()));
        holderSeen = -1;
        return;
      }
      if (leader.changes() > before.changes()) {
        String from = before.lastHolder();
        // Without a loss seen first, the key was taken over while held: no vacancy (or unknown when recovered).
        Loss l = loss.filter(x -> x.from().equals(from)).orElseGet(() -> new Loss(from,
            request.flatMap(r -> r.explains(from)).orElse(Kind.UNKNOWN), atMillis, -1, position(old, from), request,
            c.recovered()));
        boolean recovered = c.recovered() || l.recovered();
        LeaderEvent event = LeaderEvent.seen(s.scope(), from, leader.holder(), l.kind(), recovered, l.request(),
            atMillis, recovered ? -1 : l.lostAtMillis(), recovered ? -1 : l.deletedAtMillis(), l.oldPosition());
        events.add(0, event);
        changes.merge(l.kind(), 1L, Long::sum);
        if (vacancies.containsKey(l.kind())) { // a change of unknown cause has no meaningful vacancy
          event.vacancyMillis().ifPresent(v -> vacancies.put(l.kind(), vacancies.get(l.kind()).observe(v / 1000.0)));
        }
      }
      loss = Optional.empty();
      holderSeen = leader.present() ? atMillis : -1;
    }

    /** A lease revoke deletes every key on the lease in one revision; Patroni's member key shares it. */
    private static boolean expired(Map<String, DcsKey> old, List<KeyChange> batch, long lease) {
      if (lease == 0) {
        return false;
      }
      for (KeyChange c : batch) {
        DcsKey k = old.get(c.key());
        if (!c.put() && !c.key().equals(LEADER) && k != null && k.lease() == lease) {
          return true;
        }
      }
      return false;
    }

    private long lastRenewal(Map<String, DcsKey> old, long deletedAtMillis) {
      OptionalLong ttl = DcsState.ttlSeconds(value(old, CONFIG));
      if (ttl.isEmpty()) {
        return holderSeen >= 0 ? holderSeen : deletedAtMillis;
      }
      long earliest = deletedAtMillis - (ttl.getAsLong() + 1) * 1000;
      return Math.max(holderSeen, earliest);
    }

    void historyWritten(String value, long atMillis) {
      List<DcsState.HistoryLine> lines = DcsState.history(value);
      for (int i = 0; i < lines.size(); i++) {
        DcsState.HistoryLine line = lines.get(i);
        if (line.timeline() <= historyTimeline) {
          continue;
        }
        historyTimeline = line.timeline();
        int match = -1;
        for (int j = events.size() - 1; j >= 0 && match < 0; j--) {
          LeaderEvent e = events.get(j);
          if (!e.rebuilt() && !e.hasHistory() && line.newLeader().map(e.to()::equals).orElse(true)) {
            match = j;
          }
        }
        if (match >= 0) {
          events.set(match, events.get(match).withHistory(line, atMillis));
        } else {
          events.add(0, rebuilt(s.scope(), lines, i)); // a promotion the watch saw no change for
        }
      }
    }

    ScopeState build() {
      return new ScopeState(s.scope(), keys, revision, dcs, leader, loss, holderSeen, historyTimeline, changes,
          vacancies, bounded(events));
    }
  }
}
