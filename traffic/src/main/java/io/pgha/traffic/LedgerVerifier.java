package io.pgha.traffic;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Looks acknowledged writes up on the primary, through HAProxy's write port. After a failover the port
 * may answer late or, right after HAProxy restarts, reach a replica: it retries until a primary answers
 * or the timeout passes.
 */
public final class LedgerVerifier {

  static final String IS_IN_RECOVERY = "SELECT pg_is_in_recovery()";
  static final String FIND_TOKENS = "SELECT token FROM events WHERE token = ANY (?)";
  private static final int BATCH = 5000;
  private static final long RETRY_PAUSE_MILLIS = 250;

  private final TrafficConnector connector;
  private final Duration timeout;

  LedgerVerifier(TrafficConnector connector, Duration timeout) {
    this.connector = connector;
    this.timeout = timeout;
  }

  /** Checks a ledger (for instance one read back with {@link TrafficLedger#read}) against the cluster. */
  public static LedgerCheck verify(TrafficTarget target, TrafficOptions options, List<LedgerEntry> entries) {
    return new LedgerVerifier(new TrafficConnector(target, options), options.ledgerCheckTimeout()).verify(entries);
  }

  LedgerCheck verify(List<LedgerEntry> entries) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<List<LedgerEntry>> batches = new ArrayList<>();
    for (int i = 0; i < entries.size(); i += BATCH) {
      batches.add(entries.subList(i, Math.min(entries.size(), i + BATCH)));
    }
    List<LedgerEntry> missing = new ArrayList<>();
    int found = 0;
    int checkedBatches = 0;
    String problem;
    while (checkedBatches < batches.size()) {
      try (Connection connection = connector.open(connector.target().ledgerCheck())) {
        if (isInRecovery(connection)) {
          throw new SQLException("the write port reached a replica");
        }
        for (; checkedBatches < batches.size(); checkedBatches++) {
          List<LedgerEntry> batch = batches.get(checkedBatches);
          Set<UUID> present = presentTokens(connection, batch);
          for (LedgerEntry entry : batch) {
            if (present.contains(entry.token())) {
              found++;
            } else {
              missing.add(entry);
            }
          }
        }
      } catch (SQLException e) {
        problem = ErrorText.brief(e);
        if (System.nanoTime() + RETRY_PAUSE_MILLIS * 1_000_000 > deadline) {
          return LedgerCheck.incomplete(entries.size(), found, missing, "no primary answered through "
              + connector.target().ledgerCheck() + " within " + timeout.toSeconds() + " s (last error: " + problem + ")");
        }
        if (!pause()) {
          return LedgerCheck.incomplete(entries.size(), found, missing, "interrupted (last error: " + problem + ")");
        }
      }
    }
    return LedgerCheck.complete(entries.size(), missing);
  }

  private static boolean isInRecovery(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery(IS_IN_RECOVERY)) {
      row.next();
      return row.getBoolean(1);
    }
  }

  private static Set<UUID> presentTokens(Connection connection, List<LedgerEntry> batch) throws SQLException {
    Set<UUID> present = new HashSet<>();
    Array tokens = connection.createArrayOf("uuid", batch.stream().map(LedgerEntry::token).toArray());
    try (PreparedStatement find = connection.prepareStatement(FIND_TOKENS)) {
      find.setArray(1, tokens);
      try (ResultSet rows = find.executeQuery()) {
        while (rows.next()) {
          present.add(rows.getObject(1, UUID.class));
        }
      }
    } finally {
      tokens.free();
    }
    return present;
  }

  private static boolean pause() {
    try {
      Thread.sleep(RETRY_PAUSE_MILLIS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
