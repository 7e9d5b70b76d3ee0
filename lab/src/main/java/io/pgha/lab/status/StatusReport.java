package io.pgha.lab.status;

import io.pgha.lab.client.HaproxyStats;
import io.pgha.lab.topology.Topology;
import io.pgha.patroni.api.PatroniCluster;
import java.util.ArrayList;
import java.util.List;

/** Renders a {@link ClusterState} as plain-text tables, in the manner of {@code patronictl list}. */
public final class StatusReport {
  private StatusReport() {}

  public static String render(ClusterState s) {
    Topology t = s.topology();
    StringBuilder out = new StringBuilder();
    out.append("Cluster ").append(t.scope()).append(" (work dir ").append(t.workdir())
        .append(", offset ").append(t.offset()).append(")\n");
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("Member", "Host", "Role", "State", "TL", "Lag in MB"));
    if (s.members().isPresent()) {
      for (PatroniCluster.Member m : s.members().get()) {
        rows.add(List.of(m.name(), m.host().orElse(""), role(m), m.state(),
            m.timeline().map(Object::toString).orElse(""), lagMb(m)));
      }
    } else {
      for (Topology.Member m : t.members()) {
        rows.add(List.of(m.name(), m.host(), "?", "no answer", "", ""));
      }
    }
    table(out, rows);
    out.append('\n');
    rows = new ArrayList<>();
    rows.add(List.of("etcd", "Client URL", "Healthy", "Leader"));
    for (ClusterState.EtcdView e : s.etcd()) {
      Topology.EtcdMember em = t.etcdMember(e.name());
      rows.add(List.of(e.name(), em.clientUrl(), e.healthy() ? "yes" : e.reachable() ? "no" : "down",
          e.leader() ? "*" : ""));
    }
    table(out, rows);
    out.append('\n');
    rows = new ArrayList<>();
    rows.add(List.of("HAProxy", "Port", "Server", "Status"));
    if (s.haproxy().isPresent()) {
      for (HaproxyStats.ServerState sv : s.haproxy().get()) {
        int port = sv.proxy().equals(HaproxyStats.WRITE) ? t.haproxy().writePort()
            : sv.proxy().equals(HaproxyStats.READ) ? t.haproxy().readPort() : 0;
        rows.add(List.of(sv.proxy(), port == 0 ? "" : Integer.toString(port), sv.server(), sv.status()));
      }
    } else {
      rows.add(List.of("(stats page does not answer)", "", "", ""));
    }
    table(out, rows);
    List<String> problems = s.problems();
    out.append('\n').append(problems.isEmpty() ? "healthy" : "DEGRADED:").append('\n');
    for (String p : problems) {
      out.append("  - ").append(p).append('\n');
    }
    return out.toString();
  }

  private static String role(PatroniCluster.Member m) {
    return switch (m.role()) {
      case "leader" -> "Leader";
      case "sync_standby" -> "Sync Standby";
      case "replica" -> "Replica";
      case "standby_leader" -> "Standby Leader";
      default -> m.role();
    };
  }

  private static String lagMb(PatroniCluster.Member m) {
    if (m.leader()) {
      return "";
    }
    // Patroni gives every replica a lag; the model leaves it out where Patroni says "unknown".
    return m.lagBytes().map(b -> Long.toString(Math.round(b / 1048576.0))).orElse("unknown");
  }

  static void table(StringBuilder out, List<List<String>> rows) {
    int cols = rows.get(0).size();
    int[] w = new int[cols];
    for (List<String> r : rows) {
      for (int i = 0; i < cols; i++) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    String sep = sep(w);
    out.append(sep);
    for (int r = 0; r < rows.size(); r++) {
      out.append('|');
      for (int i = 0; i < cols; i++) {
        out.append(' ').append(pad(rows.get(r).get(i), w[i])).append(" |");
      }
      out.append('\n');
      if (r == 0) {
        out.append(sep);
      }
    }
    out.append(sep);
  }

  private static String sep(int[] w) {
    StringBuilder sb = new StringBuilder("+");
    for (int x : w) {
      sb.append("-".repeat(x + 2)).append('+');
    }
    return sb.append('\n').toString();
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(w - s.length());
  }
}
