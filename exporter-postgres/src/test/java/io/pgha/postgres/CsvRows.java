package io.pgha.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Rows recorded by {@link FixtureRecorder} (or {@code psql --csv}), read back through the collectors' readers. */
final class CsvRows {
  private CsvRows() {}

  static Path fixture(String scenario, String query) {
    return Path.of("src/test/resources/fixtures", scenario, query + ".csv");
  }

  /** The recorded rows of {@code query} in {@code scenario}, each read with the query's own reader. */
  static <R> List<R> read(String scenario, PgQuery<R> query) {
    try {
      List<R> rows = new ArrayList<>();
      for (Row row : parse(Files.readString(fixture(scenario, query.name()), StandardCharsets.UTF_8))) {
        rows.add(query.reader().read(row));
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Row> parse(String csv) {
    List<List<String>> records = records(csv);
    List<String> header = records.get(0);
    List<Row> rows = new ArrayList<>();
    for (List<String> values : records.subList(1, records.size())) {
      Map<String, String> byName = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        byName.put(header.get(i), values.get(i));
      }
      rows.add(new MapRow(byName));
    }
    return rows;
  }

  /** Splits CSV into records of fields; an unquoted empty field is NULL (null here). */
  private static List<List<String>> records(String csv) {
    List<List<String>> records = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < csv.length(); i++) {
      char ch = csv.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          field.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
        wasQuoted = true;
      } else if (ch == ',' || ch == '\n') {
        fields.add(field.length() == 0 && !wasQuoted ? null : field.toString());
        field.setLength(0);
        wasQuoted = false;
        if (ch == '\n') {
          records.add(fields);
          fields = new ArrayList<>();
        }
      } else if (ch != '\r') {
        field.append(ch);
      }
    }
    return records;
  }

  private record MapRow(Map<String, String> values) implements Row {
    private String get(String column) {
      if (!values.containsKey(column)) {
        throw new IllegalArgumentException("no column " + column + " in the recorded rows");
      }
      return values.get(column);
    }

    @Override
    public String text(String column) {
      return get(column);
    }

    @Override
    public Double number(String column) {
      String v = get(column);
      return v == null ? null : Double.valueOf(v);
    }

    @Override
    public Boolean bool(String column) {
      String v = get(column);
      return v == null ? null : v.equals("t") || v.equals("true");
    }
  }
}
