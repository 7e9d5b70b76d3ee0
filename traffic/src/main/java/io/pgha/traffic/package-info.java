/**
 * Demo traffic through HAProxy, and the measurements the fault drills are built on.
 *
 * <p>{@code ./pgha traffic} (the cli module's {@code TrafficCommand}) is a thin front end; the
 * drills use the same pieces directly:
 * <pre>{@code
 * TrafficTarget target = TrafficTarget.of(workdir, "postgres");            // cluster.json + secrets/app.password
 * TrafficOptions options = TrafficOptions.defaults(workdir.resolve("traffic")).withRate(50, 0.5);
 * try (TrafficRun run = TrafficRun.start(target, options)) {                  // writer and reader threads
 *   long faultAt = run.nowMillis();                                            // the run's clock: epoch ms
 *   ... inject the fault, restore ...
 *   Optional<WriteOutage> outage = WriteOutages.longest(run.outcomes(), faultAt, run.nowMillis());
 *   List<TrafficWindow> timeline = run.buckets();                             // writes/reads ok/failed per 100 ms
 *   TrafficSummary summary = run.stop();                                       // totals, outages, ledger check
 *   summary.lostWrites(); summary.longestWriteOutageMillis(); summary.writesFailed();
 * }
 * LedgerCheck again = LedgerVerifier.verify(target, options, TrafficLedger.read(ledgerFile));  // re-check later
 * }</pre>
 *
 * <p>Definitions. An operation belongs to the moment it ended (when the client learned its outcome). A
 * write outage runs from the acknowledgement of the last successful write before failed writes to the
 * acknowledgement of the first successful write after them; a write that hangs and then succeeds is not an
 * outage but shows in the longest gap between acknowledged writes. A lost write is one acknowledged to the
 * client (its commit returned) whose token the primary does not have afterwards.
 *
 * <p>The ledger file {@code <workdir>/traffic/ledger-<start>.tsv} holds one acknowledged write per line
 * ({@code acked_at} ISO-8601 UTC, {@code token} UUID, {@code member}); {@code #} lines are comments.
 *
 * <p>Pure logic ({@link io.pgha.traffic.WriteOutages}, {@link io.pgha.traffic.TrafficWindows},
 * {@link io.pgha.traffic.TrafficSummary}, {@link io.pgha.traffic.TrafficText}) is apart from
 * JDBC ({@code EventWriter}, {@code EventReader}, {@link io.pgha.traffic.LedgerVerifier}). All
 * outcomes of a run stay in memory: about 15 MB for an hour at 50 operations a second.
 */
package io.pgha.traffic;

