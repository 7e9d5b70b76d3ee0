package io.pgha.lab.alerts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table: columns padded to their widest cell, two spaces apart, no trailing blanks. */
public final class TextTable {

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public TextTable(String... headers) {
    this.headers = List.of(headers);
  }

  public TextTable row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("expected " + headers.size() + " cells: " + Arrays.toString(cells));
    }
    rows.add(List.of(cells));
    return this;
  }

  public String render() {
    int[] widths = new int[headers.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int c = 0; c < row.size(); c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.size(); c++) {
        line.append(c == 0 ? "" : "  ").append(row.get(c));
        if (c < row.size() - 1) {
          line.append(" ".repeat(widths[c] - row.get(c).length()));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
