package io.pgha.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of docs/metrics.md, read so each exporter's tests can check them against its declared
 * families: the same names, types and label names (in the declared order), no more, no fewer. The
 * doc's prose (source, meaning) is the doc's own.
 */
public final class MetricsDoc {
  public static final String COMMON = "## Common to every exporter";
  /** How the common section writes the exporter's name inside metric names. */
  public static final String EXPORTER = "<exporter>";

  /** One table row. */
  public record Row(String name, String type, List<String> labels) {}

  private final Map<String, List<Row>> sections;

  private MetricsDoc(Map<String, List<Row>> sections) {
    this.sections = sections;
  }

  /** docs/metrics.md of the repository, from a module's directory (where Maven runs its tests). */
  public static MetricsDoc read() {
    return read(Path.of("..", "docs", "metrics.md"));
  }

  public static MetricsDoc read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, List<Row>> sections = new LinkedHashMap<>();
    String section = "";
    for (String line : lines) {
      if (line.startsWith("## ")) {
        section = line.strip();
        sections.put(section, new ArrayList<>());
      } else if (line.startsWith("| `pgha_") || line.startsWith("| pgha_")) {
        String[] cells = line.split("\\|");
        sections.get(section).add(new Row(strip(cells[1]), strip(cells[2]).split(" ")[0],
            Arrays.stream(strip(cells[3]).split(",")).map(MetricsDoc::strip).filter(s -> !s.isEmpty()).toList()));
      }
    }
    return new MetricsDoc(sections);
  }

  private static String strip(String cell) {
    return cell.replace("`", "").strip();
  }

  public List<Row> rows(String section) {
    List<Row> rows = sections.get(section);
    assertThat(rows).as("docs/metrics.md has a section %s", section).isNotNull();
    return rows;
  }

  static Row row(MetricFamily family, String name) {
    return new Row(name, family.type().toString(), family.labelNames());
  }

  /**
   * The exporter's section lists exactly its families (the engine's may be listed there too, and
   * must then be right), and the common section lists the engine's families, written with
   * {@code <exporter>} for the exporter's name.
   */
  public void assertDocuments(String exporter, List<MetricFamily> families) {
    CoreMetrics core = CoreMetrics.of(exporter);
    List<String> coreNames = core.all().stream().map(MetricFamily::name).toList();
    List<Row> own = families.stream().filter(f -> !coreNames.contains(f.name())).map(f -> row(f, f.name())).toList();
    List<Row> engine = core.all().stream().map(f -> row(f, f.name())).toList();

    List<Row> section = rows("## exporter-" + exporter);
    List<Row> documentedOwn = section.stream().filter(r -> !coreNames.contains(r.name())).toList();
    assertThat(documentedOwn).as("the rows of ## exporter-%s: name, type, labels", exporter)
        .containsExactlyInAnyOrderElementsOf(own);
    assertThat(section.stream().filter(r -> coreNames.contains(r.name())).toList())
        .as("engine rows in ## exporter-%s", exporter).isSubsetOf(engine);

    String prefix = "pgha_" + exporter + "_";
    List<Row> templated = core.all().stream()
        .map(f -> row(f, f.name().replace(prefix, "pgha_" + EXPORTER + "_"))).toList();
    assertThat(rows(COMMON)).as("the rows of " + COMMON).containsExactlyInAnyOrderElementsOf(templated);
  }
}
