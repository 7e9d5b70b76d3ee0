package io.pgha.traffic;

import io.pgha.traffic.OperationOutcome.Kind;

/** Short-hand outcomes for tests: times are milliseconds, each operation takes 2 ms. */
final class Outcomes {

  private Outcomes() {
  }

  static OperationOutcome writeOk(long endedAt, String member) {
    return OperationOutcome.ok(Kind.WRITE, endedAt - 2, endedAt, member, true);
  }

  static OperationOutcome writeOk(long endedAt) {
    return writeOk(endedAt, "pg-1");
  }

  static OperationOutcome writeFailed(long endedAt, String error) {
    return OperationOutcome.failed(Kind.WRITE, endedAt - 2, endedAt, error);
  }

  static OperationOutcome writeFailed(long endedAt) {
    return writeFailed(endedAt, "08006 An I/O error occurred while sending to the backend");
  }

  static OperationOutcome readOk(long endedAt, String member) {
    return OperationOutcome.ok(Kind.READ, endedAt - 2, endedAt, member, false);
  }

  static OperationOutcome readFailed(long endedAt, String error) {
    return OperationOutcome.failed(Kind.READ, endedAt - 2, endedAt, error);
  }
}
