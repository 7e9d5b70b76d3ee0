package io.pgha.cli.exporters;

import io.pgha.etcd.EtcdExporter;
import io.pgha.patroni.PatroniExporter;
import io.pgha.postgres.PostgresExporter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs pgha's exporters in one JVM: one heap, one JIT and code cache, one copy of the classes of
 * Vert.x, Netty and Jackson, instead of three. Each exporter keeps its own configuration, port,
 * Vert.x instance and shutdown; a bad configuration of any stops the whole process, as it would
 * stop that exporter alone.
 *
 * <pre>
 * java -cp pgha-cli.jar io.pgha.cli.exporters.ExportersInOneJvm \
 *     patroni --config exporter-patroni.yml -- postgres --config exporter-postgres.yml -- etcd --config exporter-etcd.yml
 * </pre>
 * Each group is an exporter's name and the flags its own jar takes.
 */
public final class ExportersInOneJvm {
  static final Map<String, Consumer<String[]>> EXPORTERS = Map.of(
      "patroni", PatroniExporter::main,
      "postgres", PostgresExporter::main,
      "etcd", EtcdExporter::main);

  private ExportersInOneJvm() {}

  public static void main(String[] args) {
    Map<String, String[]> groups;
    try {
      groups = groups(args);
    } catch (IllegalArgumentException e) {
      System.err.println("pgha exporters: " + e.getMessage());
      System.err.println("usage: ExportersInOneJvm patroni|postgres|etcd FLAGS... [-- patroni|postgres|etcd FLAGS...]...");
      System.exit(2);
      return;
    }
    // Each main starts its exporter and returns; the exporters' non-daemon threads keep the JVM up.
    groups.forEach((exporter, flags) -> EXPORTERS.get(exporter).accept(flags));
  }

  /** The groups of the command line, in order: exporter name to its flags. */
  static Map<String, String[]> groups(String[] args) {
    Map<String, String[]> out = new LinkedHashMap<>();
    List<String> current = new ArrayList<>();
    for (String a : args) {
      if (a.equals("--")) {
        add(out, current);
        current = new ArrayList<>();
      } else {
        current.add(a);
      }
    }
    add(out, current);
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no exporter given");
    }
    return out;
  }

  private static void add(Map<String, String[]> out, List<String> group) {
    if (group.isEmpty()) {
      return;
    }
    String name = group.get(0);
    if (!EXPORTERS.containsKey(name)) {
      throw new IllegalArgumentException("unknown exporter '" + name + "' (patroni, postgres, etcd)");
    }
    if (out.containsKey(name)) {
      throw new IllegalArgumentException("exporter '" + name + "' given twice");
    }
    out.put(name, group.subList(1, group.size()).toArray(String[]::new));
  }
}
