package io.pgha.lab.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** HAProxy's stats page as CSV ({@code /;csv}): one row per server of each backend. */
public final class HaproxyStats {
  public static final String WRITE = "write";
  public static final String READ = "read";

  /** A server line: backend ("write"/"read"), server (member name) and HAProxy's status text. */
  public record ServerState(String proxy, String server, String status) {
    public boolean up() {
      return status.startsWith("UP");
    }
  }

  private HaproxyStats() {}

  /** Parses the CSV, keeping server rows only (not the FRONTEND/BACKEND aggregates). */
  public static List<ServerState> parse(String csv) {
    List<ServerState> out = new ArrayList<>();
    String[] lines = csv.split("\n");
    if (lines.length == 0 || !lines[0].startsWith("# ")) {
      return out;
    }
    List<String> header = Arrays.asList(lines[0].substring(2).split(","));
    int px = header.indexOf("pxname");
    int sv = header.indexOf("svname");
    int st = header.indexOf("status");
    if (px < 0 || sv < 0 || st < 0) {
      return out;
    }
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",", -1);
      if (f.length <= Math.max(px, Math.max(sv, st))) {
        continue;
      }
      if (f[sv].equals("FRONTEND") || f[sv].equals("BACKEND")) {
        continue;
      }
      out.add(new ServerState(f[px], f[sv], f[st]));
    }
    return out;
  }

  public static List<ServerState> upIn(List<ServerState> servers, String proxy) {
    return servers.stream().filter(s -> s.proxy().equals(proxy) && s.up()).toList();
  }
}
