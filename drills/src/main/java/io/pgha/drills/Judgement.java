package io.pgha.drills;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a drill made of its recording: its own checks and figures, before the common ones are added. */
public final class Judgement {

  final List<Check> checks = new ArrayList<>();
  final List<Detection> pgha = new ArrayList<>();
  final List<Detection> patroni = new ArrayList<>();
  final List<Figure> figures = new ArrayList<>();
  Optional<WalDistance> wal = Optional.empty();
  boolean lossAllowed;

  public Judgement expect(String name, String expected, String measured, boolean ok) {
    checks.add(Check.expect(name, expected, measured, ok));
    return this;
  }

  public Judgement goal(String name, String expected, String measured, boolean ok) {
    checks.add(Check.goal(name, expected, measured, ok));
    return this;
  }

  /** A pgha exporter series that must show the fault; a check fails when it never did. */
  public Judgement pgha(Detection d) {
    pgha.add(d);
    return expect("pgha exporter shows it", d.what(), Fmt.seconds(d.afterMillis(), "never"), d.seen());
  }

  /** A Patroni {@code /metrics} series that must show the fault; a check fails when it never did. */
  public Judgement patroni(Detection d) {
    patroni.add(d);
    return expect("Patroni /metrics shows it", d.what(), Fmt.seconds(d.afterMillis(), "never"), d.seen());
  }

  public Judgement figure(String name, String value) {
    figures.add(new Figure(name, value));
    return this;
  }

  public Judgement wal(Optional<WalDistance> distance) {
    this.wal = distance;
    return this;
  }

  /** Without synchronous replication a failover may lose acknowledged writes: counted, not failed. */
  public Judgement allowLoss() {
    this.lossAllowed = true;
    return this;
  }
}
