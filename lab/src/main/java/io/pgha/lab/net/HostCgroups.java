package io.pgha.lab.net;

import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cgroup v2 per "host" of one cluster ({@code pgha-<offset>/etcd-1}, {@code pgha-<offset>/pg-1}...),
 * which its processes start in. Every process on loopback connects from 127.0.0.1, so iptables cannot tell
 * pg-1's connections from pg-2's by address; it can by cgroup ({@code -m cgroup --path}). The match uses
 * the cgroup a socket was created in, so a process must start in its group (moved later, it would keep
 * its open connections outside): {@link #prefix} is put in front of its command line, and PostgreSQL,
 * started by Patroni, inherits the group.
 */
public final class HostCgroups {

  private static final Path MOUNTS = Path.of("/proc/mounts");
  /** Joins the group named by $0, then becomes the command: the PID (and the PID file) stay the same. */
  static final String JOIN_THEN_EXEC = "echo $$ > \"$0\" && exec \"$@\"";

  private final Path mount;
  private final String base;

  HostCgroups(Path mount, String base) {
    this.mount = mount;
    this.base = base;
  }

  /** The cluster's groups, if cgroup v2 is mounted (at /sys/fs/cgroup or, in hybrid mode, /sys/fs/cgroup/unified). */
  public static Optional<HostCgroups> of(Topology t) {
    try {
      return cgroup2Mount(Files.readAllLines(MOUNTS, StandardCharsets.UTF_8))
          .map(m -> new HostCgroups(m, baseName(t)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code pgha-<offset>}: one cluster per offset runs on a machine (its ports are its own). */
  public static String baseName(Topology t) {
    return "pgha-" + t.offset();
  }

  /** The mount point of the cgroup2 file system in a /proc/mounts listing. */
  static Optional<Path> cgroup2Mount(List<String> mounts) {
    for (String line : mounts) {
      String[] f = line.split(" ");
      if (f.length >= 3 && f[2].equals("cgroup2")) {
        return Optional.of(Path.of(f[1]));
      }
    }
    return Optional.empty();
  }

  /** The group's path as iptables' {@code --path} takes it: relative to the cgroup2 root. */
  public String path(String host) {
    return base + "/" + host;
  }

  /** The group's path as {@code ss}'s {@code cgroup} filter and /proc/PID/cgroup write it. */
  public String absolutePath(String host) {
    return "/" + path(host);
  }

  Path dir(String host) {
    return mount.resolve(base).resolve(host);
  }

  /**
   * What goes in front of a host's command line so that it starts in the host's group (created now):
   * {@code sh -c 'echo $$ > <group>/cgroup.procs && exec "$@"' <group>/cgroup.procs}.
   */
  public List<String> prefix(String host) throws IOException {
    Files.createDirectories(dir(host));
    return List.of("sh", "-c", JOIN_THEN_EXEC, dir(host).resolve("cgroup.procs").toString());
  }

  /** Whether a running process is in the host's group. */
  public boolean holds(long pid, String host) {
    try {
      return inGroup(Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"), StandardCharsets.UTF_8),
          absolutePath(host));
    } catch (IOException e) {
      return false;
    }
  }

  /** The unified hierarchy's line of /proc/PID/cgroup ({@code 0::/path}) names this group. */
  static boolean inGroup(List<String> procCgroup, String absolutePath) {
    return procCgroup.stream().anyMatch(l -> l.equals("0::" + absolutePath));
  }

  /** Removes the groups no process is left in (a group with processes stays: rmdir refuses). */
  public List<String> removeEmpty() {
    List<String> removed = new ArrayList<>();
    Path root = mount.resolve(base);
    if (!Files.isDirectory(root)) {
      return removed;
    }
    try (var children = Files.list(root)) {
      for (Path child : children.filter(Files::isDirectory).toList()) {
        if (rmdir(child)) {
          removed.add(base + "/" + child.getFileName());
        }
      }
    } catch (IOException e) {
      return removed;
    }
    if (rmdir(root)) {
      removed.add(base);
    }
    return removed;
  }

  private static boolean rmdir(Path dir) {
    try {
      Files.delete(dir);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
