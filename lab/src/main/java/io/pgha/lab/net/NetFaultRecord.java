package io.pgha.lab.net;

import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What network faults are installed for a cluster, in {@code <workdir>/run/net-faults.txt}: written
 * before anything is installed and deleted once all is removed, so the next {@code pgha up} or
 * {@code pgha down} finds what a run that died (SIGKILL, a power cut) left and removes it. One line per
 * rule, after a line naming the chain; a person can read it too.
 */
public final class NetFaultRecord {

  static final String FILE = "net-faults.txt";

  private final Topology t;
  private final Path file;

  public NetFaultRecord(Topology t) {
    this.t = t;
    this.file = t.workdirPath().resolve("run").resolve(FILE);
  }

  public Path file() {
    return file;
  }

  /** Notes the rules about to be installed (in addition to those noted before). */
  public void write(List<FaultRule> rules) throws IOException {
    List<String> lines = new ArrayList<>();
    if (Files.isRegularFile(file)) {
      lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
    } else {
      lines.add("# network faults pgha installed for " + t.workdir() + "; the next pgha up or down removes them");
      lines.add("chain " + FaultChain.name(t) + " in tables " + String.join(", ", FaultChain.TABLES));
    }
    rules.forEach(r -> lines.add("rule " + r.table() + " " + r));
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(FILE + ".tmp");
    Files.write(tmp, lines, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public void delete() throws IOException {
    Files.deleteIfExists(file);
  }

  /**
   * Removes whatever network fault of this cluster is still installed: the chain named for it (also when
   * the record is missing) and the record. Returns what it removed, for a line of output; empty when
   * nothing was there. Without root only a recorded fault is looked for (iptables needs root).
   */
  public static List<String> clearLeftovers(Topology t, boolean root) throws IOException {
    NetFaultRecord record = new NetFaultRecord(t);
    boolean recorded = Files.isRegularFile(record.file);
    List<String> removed = new ArrayList<>();
    if (recorded || root) {
      FaultChain chain = new FaultChain(t);
      List<String> tables = chain.remove();
      if (!tables.isEmpty()) {
        removed.add("iptables chain " + chain.chain() + " (" + String.join(", ", tables) + ")");
      }
    }
    if (recorded) {
      record.delete();
      removed.add(record.file.toString());
    }
    return removed;
  }
}
