package io.pgha.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The thresholds table of alerts/README.md and the rules say the same. */
class ThresholdsDocTest {

  record Row(String alert, Map<String, String> labels, List<String> fragments, String forDuration) {}

  private static final Pattern CODE = Pattern.compile("`([^`]*)`");

  @Test
  void thresholdsTableMatchesTheRules() throws IOException {
    List<Row> rows = parse(Files.readString(Path.of("README.md")));
    List<Rule> alerts = RuleConventionsTest.ALERTS;
    assertThat(rows).as("one README row per alerting rule").hasSameSizeAs(alerts);
    for (Rule alert : alerts) {
      Row row = rows.stream()
          .filter(r -> r.alert().equals(alert.alert()) && r.labels().equals(new TreeMap<>(alert.labels())))
          .findFirst().orElse(null);
      assertThat(row).as("README thresholds row for %s %s", alert.alert(), alert.labels()).isNotNull();
      assertThat(row.forDuration()).as("%s %s: For", alert.alert(), alert.labels())
          .isEqualTo(alert.forDuration());
      assertThat(row.fragments()).as("%s: Condition", alert.alert()).isNotEmpty();
      for (String fragment : row.fragments()) {
        assertThat(containsFragment(alert.expr(), fragment))
            .as("%s %s: expression%n%s%ncontains `%s`", alert.alert(), alert.labels(), alert.expr(), fragment)
            .isTrue();
      }
    }
  }

  @Test
  void parsingFindsADisagreement() {
    String doc = """
        ## Thresholds

        | Alert | Labels | Condition | For | Why |
        |---|---|---|---|---|
        | PghaX | severity=warning, unit=bytes | `x > 5` `{a=~"b\\|c"}` | 2m | because |

        ## Next
        """;
    List<Row> rows = parse(doc);
    assertThat(rows).containsExactly(new Row("PghaX",
        new TreeMap<>(Map.of("severity", "warning", "unit", "bytes")), List.of("x > 5", "{a=~\"b|c\"}"), "2m"));
    assertThat(containsFragment("x >  5\n or y", "x > 5")).isTrue();
    assertThat(containsFragment("x > 50", "x > 5")).isFalse();
    assertThat(containsFragment("ax > 5", "x > 5")).isFalse();
    assertThat(containsFragment("m[10m]", "[10m]")).isTrue();
  }

  /** {@code fragment} occurs in {@code expr} (whitespace-insensitive), not as part of a longer token. */
  static boolean containsFragment(String expr, String fragment) {
    String e = normalize(expr);
    String f = normalize(fragment);
    for (int i = e.indexOf(f); i >= 0; i = e.indexOf(f, i + 1)) {
      boolean startOk = i == 0 || !isWord(f.charAt(0)) || !isWord(e.charAt(i - 1));
      int end = i + f.length();
      boolean endOk = end == e.length() || !isWord(f.charAt(f.length() - 1)) || !isWord(e.charAt(end));
      if (startOk && endOk) {
        return true;
      }
    }
    return false;
  }

  private static boolean isWord(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':' || c == '.';
  }

  static List<Row> parse(String markdown) {
    markdown = "\n" + markdown;
    int start = markdown.indexOf("\n## Thresholds\n");
    assertThat(start).as("README has a ## Thresholds section").isNotNegative();
    List<Row> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : markdown.substring(start + 1).split("\n")) {
      if (line.startsWith("## ") && !line.startsWith("## Thresholds")) {
        break;
      }
      if (!line.startsWith("|")) {
        if (inTable) {
          break;
        }
        continue;
      }
      String[] cells = line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0)).split("(?<!\\\\)\\|");
      if (!inTable || cells[0].trim().startsWith("---")) {
        inTable = true; // header and separator rows
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      for (String pair : cells[1].trim().split("\\s*,\\s*")) {
        String[] kv = pair.split("=", 2);
        labels.put(kv[0].trim(), kv[1].trim());
      }
      List<String> fragments = new ArrayList<>();
      Matcher m = CODE.matcher(cells[2].replace("\\|", "|"));
      while (m.find()) {
        fragments.add(m.group(1));
      }
      rows.add(new Row(cells[0].trim(), labels, fragments, cells[3].trim()));
    }
    return rows;
  }

  private static String normalize(String s) {
    return s.trim().replaceAll("\\s+", " ");
  }
}
