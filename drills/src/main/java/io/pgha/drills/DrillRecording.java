package io.pgha.drills;

import io.pgha.lab.alerts.PrometheusAlert;
import io.pgha.lab.client.LeaderEventsApi;
import io.pgha.patroni.api.HistoryEntry;
import io.pgha.traffic.LedgerCheck;
import io.pgha.traffic.LedgerEntry;
import io.pgha.traffic.OperationOutcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything one drill run recorded, all times in epoch milliseconds of the traffic run's clock. The
 * verdict and the report are computed from it alone, so they can be tested with made-up recordings.
 *
 * @param target what the fault hit: a member, etcd members ({@code etcd-2,etcd-3}) or {@code haproxy}
 * @param steadyAtMillis when the steady state was reached (no failed write for a while): outages are
 *     looked for from here, so one that starts a little before the fault is measured whole
 * @param restoreAtMillis when the drill began restoring what it broke; -1 when nothing needed it
 * @param convergedAtMillis when the cluster was healthy again; -1 when it did not get there in time
 * @param routes HAProxy's write and read backends as its stats page showed them
 * @param activeBeforeFault the alerts Prometheus had pending or firing just before the fault
 * @param ledger the ledger check after the traffic stopped; null when the traffic could not start
 * @param history Patroni's {@code /history} at the end
 * @param leaderAtEnd the leader key's holder at the end; null when unknown
 * @param streamingAtEnd the replicas streaming from the leader at the end ({@code pg_stat_replication})
 * @param acknowledged every write acknowledged to the drill's clients, with the member and timeline that
 *     took it (the traffic's and the held session's)
 * @param held the session held straight to the old leader; null for drills without one
 * @param reread the traffic's ledger read back from its file and checked again, through traffic's API
 *     ({@code TrafficLedger.read}, {@code LedgerVerifier.verify}); null when there was none to read
 * @param values figures the drill measured itself ({@link DrillContext#note}), by name
 * @param problems what went wrong running the drill itself (a restore that failed, an exception)
 * @param exporterEvents exporter-etcd's leader changes ({@code /events}) at the end, newest first
 */
public record DrillRecording(DrillPlan plan, ClusterFacts facts, String target, long startedAtMillis,
                             long steadyAtMillis, long faultAtMillis, long restoreAtMillis, long convergedAtMillis,
                             long endedAtMillis, List<Mark> marks, List<OperationOutcome> outcomes,
                             List<MetricsSample> metrics, List<PositionSample> positions,
                             List<LeaderKeySample> leaderKeys, List<RouteSample> routes, List<AlertSeen> alerts,
                             List<PrometheusAlert> activeBeforeFault, LedgerCheck ledger, List<HistoryEntry> history,
                             String leaderAtEnd, List<String> streamingAtEnd, List<LedgerEntry> acknowledged,
                             HeldSession held, LedgerCheck reread, Map<String, Long> values, List<String> problems,
                             List<LeaderEventsApi.Event> exporterEvents) {

  public DrillRecording {
    marks = List.copyOf(marks);
    outcomes = List.copyOf(outcomes);
    metrics = List.copyOf(metrics);
    positions = List.copyOf(positions);
    leaderKeys = List.copyOf(leaderKeys);
    routes = List.copyOf(routes);
    alerts = List.copyOf(alerts);
    activeBeforeFault = List.copyOf(activeBeforeFault);
    history = List.copyOf(history);
    streamingAtEnd = List.copyOf(streamingAtEnd);
    acknowledged = List.copyOf(acknowledged);
    values = Map.copyOf(values);
    problems = List.copyOf(problems);
    exporterEvents = List.copyOf(exporterEvents);
  }

  /** A figure the drill noted, if it did. */
  public OptionalLong value(String name) {
    Long v = values.get(name);
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  public Optional<Mark> mark(String label) {
    return marks.stream().filter(m -> m.label().equals(label)).findFirst();
  }

  public boolean restored() {
    return restoreAtMillis >= 0;
  }

  /** Until when the fault lasted: the restore's start, or the end of the drill when nothing was restored. */
  public long faultEndMillis() {
    return restored() ? restoreAtMillis : endedAtMillis;
  }

  public boolean converged() {
    return convergedAtMillis >= 0;
  }
}
