package io.pgha.traffic;

import java.util.Map;
import java.util.Objects;

/**
 * Where traffic goes and as whom: HAProxy's write and read endpoints, the database, the credentials,
 * and the members, so a serving server address can be named.
 *
 * @param members member name by {@code host:port} of its PostgreSQL
 */
public record TrafficTarget(Endpoint write, Endpoint read, String database, String user, String password,
                            Map<String, String> members) {

  public record Endpoint(String host, int port) {
    @Override
    public String toString() {
      return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  public TrafficTarget {
    Objects.requireNonNull(write, "write");
    Objects.requireNonNull(read, "read");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    members = Map.copyOf(members);
  }

  /** The member serving at host:port, or {@code host:port} itself when cluster.json does not list it. */
  public String memberName(String host, int port) {
    String address = new Endpoint(host, port).toString();
    return members.getOrDefault(address, address);
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "TrafficTarget[write=" + write + ", read=" + read + ", database=" + database + ", user=" + user
        + ", members=" + members + "]";
  }
}
