package io.pgha.traffic;

import java.sql.SQLException;
import java.util.UUID;

/** One kind of traffic (writes or reads) over its own connection. Not thread-safe: one worker uses it. */
interface TrafficOperation extends AutoCloseable {

  /**
   * Who served an operation; token is the written event's token, null for reads; timeline the one the
   * write went to (0 for reads).
   */
  record Served(String member, boolean primary, UUID token, long timeline) {
  }

  OperationOutcome.Kind kind();

  /**
   * Performs one operation, connecting first when there is no connection. On failure the connection is
   * dropped, so the next attempt reconnects and HAProxy can route it to where things work now.
   */
  Served perform() throws SQLException;

  @Override
  void close();
}
