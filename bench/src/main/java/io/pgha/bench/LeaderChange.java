package io.pgha.bench;

/** One leader change the bench caused: how, from whom to whom, and how long until the key moved. */
public record LeaderChange(int number, Fault fault, String from, String to, double faultToKeyMs) {

  public enum Fault {
    /** A planned switchover through Patroni's REST API. */
    SWITCHOVER,
    /** SIGKILL to the leader's Patroni and PostgreSQL: the key moves when its TTL runs out. */
    KILL;

    @Override
    public String toString() {
      return this == SWITCHOVER ? "switchover" : "hard kill";
    }
  }
}
