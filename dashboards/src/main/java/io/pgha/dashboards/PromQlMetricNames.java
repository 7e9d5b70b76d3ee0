package io.pgha.dashboards;

import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the metric names a PromQL expression selects, without a full parser: it skips strings,
 * label matchers, ranges, grouping label lists, function and aggregation names and keywords; what
 * identifiers remain are metric names. Good for the expressions dashboards contain, not for
 * {@code {__name__=~"..."}} selectors (those name no metric and are not reported).
 */
public final class PromQlMetricNames {

  private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev",
      "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

  /** Keywords followed by a parenthesised list of label names. */
  private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left",
      "group_right");

  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "atan2",
      "inf", "nan", "start", "end");

  private PromQlMetricNames() {}

  public static Set<String> of(String expr) {
    Set<String> names = new TreeSet<>();
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '{') {
        i = skipTo(expr, i, '}');
      } else if (c == '[') {
        i = skipTo(expr, i, ']');
      } else if (c == '#') {
        int eol = expr.indexOf('\n', i);
        i = eol < 0 ? n : eol + 1;
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
          i++; // numbers and durations: 0.99, 1e3, 5m, 0x1f
        }
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_'
            || expr.charAt(i) == ':')) {
          i++;
        }
        String word = expr.substring(start, i);
        int next = skipSpaces(expr, i);
        char following = next < n ? expr.charAt(next) : '\0';
        if (LABEL_LISTS.contains(word)) {
          if (following == '(') {
            i = skipTo(expr, next, ')');
          }
        } else if (KEYWORDS.contains(word) || AGGREGATIONS.contains(word) || following == '(') {
          continue; // operator, aggregation or function call: its arguments are scanned next
        } else {
          names.add(word);
        }
      } else {
        i++;
      }
    }
    return names;
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Index after the closing character, honouring strings inside (label values may contain it). */
  private static int skipTo(String s, int open, char close) {
    int i = open + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(s, i);
      } else if (c == close) {
        return i + 1;
      } else {
        i++;
      }
    }
    return s.length();
  }

  private static int skipString(String s, int open) {
    char quote = s.charAt(open);
    int i = open + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\' && quote != '`') {
        i += 2;
      } else if (c == quote) {
        return i + 1;
      } else {
        i++;
      }
    }
    return s.length();
  }
}
