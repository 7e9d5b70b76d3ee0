package io.pgha.traffic;

import io.pgha.lab.deploy.Secrets;
import io.pgha.lab.topology.ClusterFile;
import io.pgha.lab.topology.Topology;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where traffic goes and as whom: HAProxy's write and read endpoints, the database, the credentials,
 * and the members, so a serving server address can be named.
 *
 * @param ledgerCheck where acknowledged writes are looked up afterwards: the primary, through HAProxy's
 *     write port (also when the writes went {@link #pinnedTo straight to one member})
 * @param members member name by {@code host:port} of its PostgreSQL
 */
public record TrafficTarget(Endpoint write, Endpoint read, Endpoint ledgerCheck, String database, String user,
                            String password, Map<String, String> members) {

  public record Endpoint(String host, int port) {
    @Override
    public String toString() {
      return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  public TrafficTarget {
    Objects.requireNonNull(write, "write");
    Objects.requireNonNull(read, "read");
    Objects.requireNonNull(ledgerCheck, "ledgerCheck");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    members = Map.copyOf(members);
  }

  /**
   * HAProxy's ports and the members from the work dir's cluster.json, as the {@code app} user with
   * its generated password. Problems name the file and the key (see {@link ClusterFile}, {@link Secrets}).
   */
  public static TrafficTarget of(Path workdir, String database) {
    Topology t = ClusterFile.load(workdir);
    Map<String, String> members = new LinkedHashMap<>();
    for (Topology.Member m : t.members()) {
      members.put(new Endpoint(m.host(), m.pgPort()).toString(), m.name());
    }
    String password = new Secrets(workdir).password(Secrets.APP);
    Endpoint write = new Endpoint(t.haproxy().host(), t.haproxy().writePort());
    return new TrafficTarget(write, new Endpoint(t.haproxy().host(), t.haproxy().readPort()), write, database,
        Secrets.APP, password, members);
  }

  /**
   * Writes (and reads) go straight to one member's PostgreSQL, not through HAProxy: a client that keeps
   * its session to that member whatever HAProxy and Patroni do. The ledger is still checked on the primary.
   */
  public TrafficTarget pinnedTo(String member) {
    Endpoint own = members.entrySet().stream().filter(e -> e.getValue().equals(member))
        .map(e -> parse(e.getKey())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no member named " + member + " (members: "
            + members.values() + ")"));
    return new TrafficTarget(own, own, ledgerCheck, database, user, password, members);
  }

  private static Endpoint parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Endpoint(host, Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /** The member serving at host:port, or {@code host:port} itself when cluster.json does not list it. */
  public String memberName(String host, int port) {
    String address = new Endpoint(host, port).toString();
    return members.getOrDefault(address, address);
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "TrafficTarget[write=" + write + ", read=" + read + ", ledgerCheck=" + ledgerCheck + ", database="
        + database + ", user=" + user + ", members=" + members + "]";
  }
}
