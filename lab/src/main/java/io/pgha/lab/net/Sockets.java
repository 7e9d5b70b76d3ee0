package io.pgha.lab.net;

import java.util.ArrayList;
import java.util.List;

/** The established TCP connections of a host's group, and ending them, with {@code ss}. */
public final class Sockets {

  private Sockets() {
  }

  /** The client ends of the connections a host's group has open to {@code server}. */
  public static List<Endpoint> clientEnds(String absoluteCgroup, Endpoint server) {
    return clientEnds(Commands.check(filter("-tnH", absoluteCgroup, server)));
  }

  /**
   * Ends the connections a host's group has open to {@code server} ({@code ss -K}): the client sees them
   * reset and connects again (through whatever rules apply by then).
   */
  public static void kill(String absoluteCgroup, Endpoint server) {
    Commands.check(filter("-tnHK", absoluteCgroup, server));
  }

  private static List<String> filter(String flags, String absoluteCgroup, Endpoint server) {
    return List.of("ss", flags, "state", "established", "cgroup", "=", absoluteCgroup, "dst", server.host(),
        "dport", "=", ":" + server.port());
  }

  /** The local ends in {@code ss -tnH state established ...} output: Recv-Q, Send-Q, local, peer. */
  static List<Endpoint> clientEnds(String ssOutput) {
    List<Endpoint> ends = new ArrayList<>();
    for (String line : ssOutput.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4) {
        ends.add(Endpoint.parse(f[2]));
      }
    }
    return ends;
  }
}
