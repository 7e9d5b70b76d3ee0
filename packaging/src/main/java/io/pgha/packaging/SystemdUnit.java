package io.pgha.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A systemd unit file read the way systemd reads what our units use: sections and directives,
 * {@code %i} of a template's instance, {@code EnvironmentFile=} assignments, and a command line
 * ({@code ExecStart=}) split into words with {@code $VAR} split at whitespace and {@code ${VAR}}
 * kept as one word. So the tests run the command a unit would run, as the unit writes it.
 */
public final class SystemdUnit {
  /** Prefixes of an Exec line that change how systemd runs it, not what it runs. */
  private static final String EXEC_PREFIXES = "-@:+!";

  private final String name;
  private final Map<String, List<String>> directives;

  private SystemdUnit(String name, Map<String, List<String>> directives) {
    this.name = name;
    this.directives = directives;
  }

  public static SystemdUnit read(Path file) throws IOException {
    return parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Directives are keyed {@code Section.Key}; a key given twice keeps both values, in order. */
  public static SystemdUnit parse(String name, String text) {
    Map<String, List<String>> directives = new LinkedHashMap<>();
    String section = "";
    for (String raw : joinContinuations(text)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1);
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(name + ": not a directive: " + line);
      }
      directives.computeIfAbsent(section + "." + line.substring(0, eq).strip(), k -> new ArrayList<>())
          .add(line.substring(eq + 1).strip());
    }
    return new SystemdUnit(name, directives);
  }

  private static List<String> joinContinuations(String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
      } else {
        lines.add(current.append(line).toString());
        current.setLength(0);
      }
    }
    return lines;
  }

  public String name() {
    return name;
  }

  /** The template's instance {@code instance} ({@code pgha-exporter@.service} to {@code pgha-exporter@etcd.service}). */
  public SystemdUnit instance(String instance) {
    if (!name.contains("@.")) {
      throw new IllegalStateException(name + " is not a template");
    }
    Map<String, List<String>> resolved = new LinkedHashMap<>();
    directives.forEach((k, values) -> resolved.put(k,
        values.stream().map(v -> v.replace("%i", instance).replace("%I", instance)).toList()));
    return new SystemdUnit(name.replace("@.", "@" + instance + "."), resolved);
  }

  /** The last value of {@code Section.Key}, as systemd keeps for single-valued settings. */
  public Optional<String> value(String key) {
    List<String> values = directives.getOrDefault(key, List.of());
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
  }

  public List<String> values(String key) {
    return directives.getOrDefault(key, List.of());
  }

  /**
   * The command of an {@code Exec*=} directive as systemd would run it with {@code env}: prefixes
   * dropped, words split, quotes removed, variables expanded.
   */
  public List<String> command(String key, Map<String, String> env) {
    String line = value(key).orElseThrow(() -> new IllegalArgumentException(name + " has no " + key));
    int start = 0;
    while (start < line.length() && EXEC_PREFIXES.indexOf(line.charAt(start)) >= 0) {
      start++;
    }
    List<String> argv = new ArrayList<>();
    for (Word word : words(line.substring(start))) {
      if (!word.quoted() && word.text().matches("\\$[A-Za-z_][A-Za-z0-9_]*")) {
        String value = env.getOrDefault(word.text().substring(1), "");
        for (String part : value.strip().split("\\s+")) {
          if (!part.isEmpty()) {
            argv.add(part);
          }
        }
      } else {
        argv.add(expandBraces(word.text(), env));
      }
    }
    return argv;
  }

  private static String expandBraces(String text, Map<String, String> env) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf("${", i);
      int close = open < 0 ? -1 : text.indexOf('}', open);
      if (close < 0) {
        out.append(text.substring(i));
        break;
      }
      out.append(text, i, open).append(env.getOrDefault(text.substring(open + 2, close), ""));
      i = close + 1;
    }
    return out.toString();
  }

  private record Word(String text, boolean quoted) {}

  private static List<Word> words(String line) {
    List<Word> words = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    boolean inWord = false;
    char quote = 0;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          current.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        quoted = true;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(new Word(current.toString(), quoted));
          current.setLength(0);
          quoted = false;
          inWord = false;
        }
      } else {
        current.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unterminated quote in: " + line);
    }
    if (inWord) {
      words.add(new Word(current.toString(), quoted));
    }
    return words;
  }

  /** The assignments of an {@code EnvironmentFile=}: {@code KEY=VALUE} lines, one level of quotes removed. */
  public static Map<String, String> environmentFile(Path file) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String line = raw.strip();
      int eq = line.indexOf('=');
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || eq < 0) {
        continue;
      }
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
          && value.charAt(value.length() - 1) == value.charAt(0)) {
        value = value.substring(1, value.length() - 1);
      }
      env.put(line.substring(0, eq).strip(), value);
    }
    return env;
  }
}
