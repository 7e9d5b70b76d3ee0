package io.pgha.etcd;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the exporter knows about one scope's leader key, advanced purely by {@link #apply}. Times
 * are wall-clock milliseconds at which the exporter learned of a change, passed in by the caller.
 *
 * @param holder the member holding the key, or null while it is vacant
 * @param revision the highest etcd revision applied; older or repeated events are ignored
 * @param lastHolder the most recent holder, kept through a vacancy to tell a new holder from the
 *     same one taking the key again; null when the key was vacant since the exporter started
 * @param vacantSinceMillis when the current vacancy was seen to begin, -1 when not vacant or unknown
 * @param lastChangeMillis when a new holder was last seen, -1 if never
 * @param lastVacancyMillis how long the key stayed empty before it was last taken, -1 if unknown
 * @param knownHolders every member seen holding the key, so their series stay put at 0
 */
public record LeaderKeyState(
    String holder,
    long lease,
    long revision,
    String lastHolder,
    long changes,
    long vacancies,
    long puts,
    long deletes,
    long recovered,
    long vacantSinceMillis,
    long lastChangeMillis,
    long lastVacancyMillis,
    Set<String> knownHolders) {

  public LeaderKeyState {
    knownHolders = Set.copyOf(knownHolders);
  }

  /** The state read with a Get at {@code revision}; nothing before it is counted. */
  public static LeaderKeyState initial(String holder, long lease, long revision) {
    return new LeaderKeyState(holder, holder == null ? 0 : lease, revision, holder, 0, 0, 0, 0, 0, -1, -1, -1,
        holder == null ? Set.of() : Set.of(holder));
  }

  public boolean present() {
    return holder != null;
  }

  public LeaderKeyState apply(LeaderKeyEvent event, long nowMillis) {
    if (event.revision() <= revision) {
      return this;
    }
    long recoveredNow = recovered + (event.recovered() ? 1 : 0);
    if (event.kind() == LeaderKeyEvent.Kind.DELETE) {
      if (holder == null) {
        return new LeaderKeyState(null, 0, event.revision(), lastHolder, changes, vacancies, puts, deletes + 1,
            recoveredNow, vacantSinceMillis, lastChangeMillis, lastVacancyMillis, knownHolders);
      }
      return new LeaderKeyState(null, 0, event.revision(), lastHolder, changes, vacancies + 1, puts, deletes + 1,
          recoveredNow, nowMillis, lastChangeMillis, lastVacancyMillis, knownHolders);
    }
    String taker = event.holder();
    if (taker.equals(holder)) {
      // The holder rewrote its own key (Patroni does so with a new lease): not a change.
      return new LeaderKeyState(holder, event.lease(), event.revision(), lastHolder, changes, vacancies, puts + 1,
          deletes, recoveredNow, -1, lastChangeMillis, lastVacancyMillis, knownHolders);
    }
    boolean newHolder = lastHolder != null && !lastHolder.equals(taker);
    long vacancy = lastVacancyMillis;
    if (holder != null) {
      vacancy = 0; // taken over without the key ever being empty
    } else if (vacantSinceMillis >= 0) {
      vacancy = Math.max(0, nowMillis - vacantSinceMillis);
    }
    Set<String> holders = new LinkedHashSet<>(knownHolders);
    holders.add(taker);
    return new LeaderKeyState(taker, event.lease(), event.revision(), taker,
        changes + (newHolder ? 1 : 0), vacancies, puts + 1, deletes, recoveredNow, -1,
        newHolder ? nowMillis : lastChangeMillis, vacancy, holders);
  }

  /**
   * Whether a Get that saw the key as {@code seen} at {@code atRevision} knows of a change this
   * state has not applied: the watch is behind (or lost it).
   */
  public boolean behind(LeaderKeyEvent seen, long atRevision) {
    if (seen.kind() == LeaderKeyEvent.Kind.PUT) {
      return revision < seen.revision();
    }
    return holder != null && revision < atRevision;
  }
}
