package io.pgha.lab.net;

import io.pgha.lab.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's own iptables chain, {@code pgha-<offset>}, in the filter and nat tables, jumped to from
 * the top of OUTPUT (on loopback every packet passes OUTPUT; the jump carries a comment naming the work
 * dir). It holds only {@link FaultRule}s; {@link #remove} takes the jumps, the rules and the chain away
 * again. Every call waits for the xtables lock ({@code -w}): other clusters' drills may change their
 * own chains at the same moment. Rules go in as one {@code iptables-restore --noflush} transaction.
 */
public final class FaultChain {

  static final List<String> TABLES = List.of(FaultRule.FILTER, FaultRule.NAT);
  private static final String JUMP_FROM = "OUTPUT";

  private final String chain;
  private final String comment;

  public FaultChain(Topology t) {
    this.chain = name(t);
    this.comment = "pgha " + t.workdir();
  }

  /** {@code pgha-<offset>}: the name every run against this cluster uses, so leftovers are found. */
  public static String name(Topology t) {
    return HostCgroups.baseName(t);
  }

  public String chain() {
    return chain;
  }

  /**
   * Appends the rules in one {@code iptables-restore --noflush} transaction, with the chain and its jump in
   * each table where {@code iptables-save} finds them missing: two commands in all, where one {@code iptables}
   * call per step took 3.6 to 12.5 s for a partition on a loaded machine, during which the cut was half in place.
   */
  public void append(List<FaultRule> rules) {
    if (rules.isEmpty()) {
      return;
    }
    Commands.check(List.of("iptables-restore", "-w", "10", "--noflush"),
        restoreInput(Commands.check(List.of("iptables-save")), chain, comment, rules));
  }

  /**
   * What {@code iptables-restore --noflush} is given: per table with rules, the chain declared (only when
   * {@code save} lacks it: declaring an existing chain would flush it), the jump from the top of OUTPUT (when
   * missing), then the rules appended.
   */
  static String restoreInput(String save, String chain, String comment, List<FaultRule> rules) {
    StringBuilder in = new StringBuilder();
    for (String table : TABLES) {
      List<FaultRule> own = rules.stream().filter(r -> r.table().equals(table)).toList();
      if (own.isEmpty()) {
        continue;
      }
      List<String> lines = tableLines(save, table);
      in.append('*').append(table).append('\n');
      if (lines.stream().noneMatch(l -> l.startsWith(":" + chain + " "))) {
        in.append(':').append(chain).append(" - [0:0]\n");
      }
      if (lines.stream().noneMatch(l -> l.startsWith("-A " + JUMP_FROM + " ") && l.endsWith(" -j " + chain))) {
        in.append("-I ").append(JUMP_FROM).append(" 1 -m comment --comment \"").append(comment).append("\" -j ")
            .append(chain).append('\n');
      }
      for (FaultRule r : own) {
        in.append("-A ").append(chain).append(' ').append(String.join(" ", r.args())).append('\n');
      }
      in.append("COMMIT\n");
    }
    return in.toString();
  }

  /** The lines of one table's section of {@code iptables-save}'s output. */
  static List<String> tableLines(String save, String table) {
    List<String> lines = new ArrayList<>();
    boolean in = false;
    for (String line : save.lines().toList()) {
      if (line.startsWith("*")) {
        in = line.equals("*" + table);
      } else if (in && !line.equals("COMMIT")) {
        lines.add(line);
      }
    }
    return lines;
  }

  boolean exists(String table) {
    return Commands.run(iptables(table, "-S", chain)).ok();
  }

  /** Whether the chain exists in any table (a run that died may have left it). */
  public boolean present() {
    return TABLES.stream().anyMatch(this::exists);
  }

  /**
   * Removes the jumps to the chain, its rules and the chain, in every table; what is gone already is
   * skipped. Returns the tables it was found in.
   */
  public List<String> remove() {
    List<String> found = new ArrayList<>();
    for (String table : TABLES) {
      List<Integer> jumps = jumpLines(Commands.run(iptables(table, "-L", JUMP_FROM, "-n", "--line-numbers")).output(),
          chain);
      // From the bottom up: deleting a line renumbers those below it.
      for (int i = jumps.size() - 1; i >= 0; i--) {
        Commands.check(iptables(table, "-D", JUMP_FROM, Integer.toString(jumps.get(i))));
      }
      if (exists(table)) {
        Commands.check(iptables(table, "-F", chain));
        Commands.check(iptables(table, "-X", chain));
        found.add(table);
      } else if (!jumps.isEmpty()) {
        found.add(table);
      }
    }
    return found;
  }

  /** The rules of the chain as {@code iptables -S} prints them, per table (for messages and tests). */
  public List<String> listing() {
    List<String> lines = new ArrayList<>();
    for (String table : TABLES) {
      Commands.Result r = Commands.run(iptables(table, "-S", chain));
      if (r.ok()) {
        r.output().lines().filter(l -> l.startsWith("-A ")).forEach(l -> lines.add(table + ": " + l));
      }
    }
    return lines;
  }

  /** The line numbers of OUTPUT's rules that jump to {@code chain}, from {@code iptables -L OUTPUT -n --line-numbers}. */
  static List<Integer> jumpLines(String listing, String chain) {
    List<Integer> lines = new ArrayList<>();
    for (String line : listing.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && f[0].matches("\\d+") && f[1].equals(chain)) {
        lines.add(Integer.parseInt(f[0]));
      }
    }
    return lines;
  }

  private static List<String> iptables(String table, String... args) {
    List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "10", "-t", table));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
