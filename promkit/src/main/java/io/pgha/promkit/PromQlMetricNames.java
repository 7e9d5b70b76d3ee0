package io.pgha.promkit;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, so a test can check that something emits each of
 * them: the rules' expressions and annotation queries (alerts) and the panels' queries (dashboards).
 *
 * <p>Not a PromQL parser: a lexer that knows enough of the grammar to tell metric names from
 * functions, aggregation operators, keywords (in any case, as PromQL takes them), label names
 * (inside {@code {}} and after {@code by}, {@code without}, {@code on}, {@code ignoring},
 * {@code group_left}, {@code group_right}), strings, numbers, durations, ranges and comments. A
 * metric named through {@code {__name__="..."}} counts too; a regular expression on {@code __name__}
 * cannot be enumerated and is ignored.
 */
public final class PromQlMetricNames {

  private static final Set<String> KEYWORDS = Set.of(
      "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right",
      "bool", "offset", "inf", "nan",
      // the @ modifier's start() and end()
      "start", "end",
      // aggregation operators may be followed by "by (...)" before their "(".
      "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
      "bottomk", "topk", "quantile", "limitk", "limit_ratio", "atan2");

  private static final Set<String> LABEL_LIST_KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  private static final Pattern NAME_MATCHER =
      Pattern.compile("__name__\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|'((?:[^'\\\\]|\\\\.)*)'|`([^`]*)`)");

  /** Go templates in annotations run PromQL through {@code printf "..." | query}. */
  private static final Pattern TEMPLATE_QUERY =
      Pattern.compile("printf\\s+\"((?:[^\"\\\\]|\\\\.)*)\"[^}]*\\|\\s*query");

  private PromQlMetricNames() {}

  /** The metric names in the PromQL queries of a Go template ({@code printf "q" | query}). */
  public static Set<String> inTemplate(String template) {
    Set<String> names = new TreeSet<>();
    Matcher m = TEMPLATE_QUERY.matcher(template);
    while (m.find()) {
      names.addAll(of(unquoteGo(m.group(1))));
    }
    return names;
  }

  /** The metric names in one PromQL expression. */
  public static Set<String> of(String promql) {
    Set<String> names = new TreeSet<>();
    List<Token> tokens = lex(promql);
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind == Kind.BRACES) {
        Matcher m = NAME_MATCHER.matcher(t.text);
        while (m.find()) {
          names.add(m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4));
        }
        continue;
      }
      if (t.kind != Kind.IDENT) {
        continue;
      }
      Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
      String lower = t.text.toLowerCase(Locale.ROOT);
      if (LABEL_LIST_KEYWORDS.contains(lower) && next != null && next.kind == Kind.OPEN_PAREN) {
        i = skipParens(tokens, i + 1);
      } else if (KEYWORDS.contains(lower)) {
        // operator or keyword, not a name
      } else if (next != null && next.kind == Kind.OPEN_PAREN) {
        // a function call
      } else {
        names.add(t.text);
      }
    }
    return names;
  }

  private static int skipParens(List<Token> tokens, int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      if (tokens.get(i).kind == Kind.OPEN_PAREN) {
        depth++;
      } else if (tokens.get(i).kind == Kind.CLOSE_PAREN && --depth == 0) {
        return i;
      }
    }
    return tokens.size();
  }

  private enum Kind { IDENT, OPEN_PAREN, CLOSE_PAREN, BRACES, OTHER }

  private record Token(Kind kind, String text) {}

  private static List<Token> lex(String s) {
    List<Token> tokens = new java.util.ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        i = skipString(s, i);
        tokens.add(new Token(Kind.OTHER, "string"));
      } else if (c == '{') {
        int end = i + 1;
        while (end < s.length() && s.charAt(end) != '}') {
          char d = s.charAt(end);
          end = d == '"' || d == '\'' || d == '`' ? skipString(s, end) : end + 1;
        }
        tokens.add(new Token(Kind.BRACES, s.substring(i + 1, Math.min(end, s.length()))));
        i = end + 1;
      } else if (c == '[') {
        // range or subquery duration
        while (i < s.length() && s.charAt(i) != ']') {
          i++;
        }
        i++;
      } else if (c == '(') {
        tokens.add(new Token(Kind.OPEN_PAREN, "("));
        i++;
      } else if (c == ')') {
        tokens.add(new Token(Kind.CLOSE_PAREN, ")"));
        i++;
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_'
            || s.charAt(i) == ':')) {
          i++;
        }
        tokens.add(new Token(Kind.IDENT, s.substring(start, i)));
      } else if (Character.isDigit(c) || c == '.') {
        // numbers (1e3, 0x10) and durations (5m, 1h30m) never start a name
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
        tokens.add(new Token(Kind.OTHER, "number"));
      } else {
        tokens.add(new Token(Kind.OTHER, String.valueOf(c)));
        i++;
      }
    }
    return tokens;
  }

  /** The index just past the string literal starting at {@code start}. */
  private static int skipString(String s, int start) {
    char quote = s.charAt(start);
    int i = start + 1;
    while (i < s.length() && s.charAt(i) != quote) {
      i += quote != '`' && s.charAt(i) == '\\' ? 2 : 1;
    }
    return i + 1;
  }

  private static String unquoteGo(String s) {
    return s.replace("\\\"", "\"").replace("\\\\", "\\");
  }
}
