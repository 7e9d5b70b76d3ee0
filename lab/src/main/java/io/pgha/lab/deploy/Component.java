package io.pgha.lab.deploy;

import java.nio.file.Path;
import java.util.List;

/**
 * One long-running process of the cluster: its name (also the name of its PID and log files), the
 * command that runs it in the foreground, the ports it listens on, and whether it runs as postgres.
 */
public record Component(String name, Kind kind, List<String> command, List<Port> ports,
    boolean asPostgres, Path home) {

  /** Start and stop order: etcd first and last, Patroni between, the rest around them. */
  public enum Kind { ETCD, PATRONI, SERVICE }

  /** A TCP port a component listens on, with what it is for (named in "port taken" errors). */
  public record Port(String host, int port, String what) {
    @Override
    public String toString() {
      return host + ":" + port + " (" + what + ")";
    }
  }

  public Component {
    command = List.copyOf(command);
    ports = List.copyOf(ports);
  }
}
