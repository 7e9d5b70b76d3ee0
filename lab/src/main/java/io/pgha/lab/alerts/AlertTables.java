package io.pgha.lab.alerts;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Renders what Prometheus has pending or firing and what the receiver got. Pure. */
public final class AlertTables {

  private static final List<String> STATE_ORDER = List.of("firing", "pending");
  private static final List<String> SEVERITY_ORDER = List.of("critical", "warning");

  private AlertTables() {}

  /** Firing before pending, critical before warning, then by name and labels. */
  public static String prometheus(List<PrometheusAlert> alerts) {
    if (alerts.isEmpty()) {
      return "nothing pending or firing\n";
    }
    TextTable table = new TextTable("STATE", "SEVERITY", "ALERT", "ACTIVE SINCE", "VALUE", "LABELS", "SUMMARY");
    alerts.stream()
        .sorted(Comparator.comparing((PrometheusAlert a) -> rank(STATE_ORDER, a.state()))
            .thenComparing(a -> rank(SEVERITY_ORDER, a.labels().get("severity")))
            .thenComparing(PrometheusAlert::alertname)
            .thenComparing(a -> otherLabels(a.labels())))
        .forEach(a -> table.row(a.state(), a.labels().getOrDefault("severity", "-"), a.alertname(),
            time(a.activeAt()), number(a.value()), otherLabels(a.labels()),
            a.annotations().getOrDefault("summary", "")));
    return table.render();
  }

  /** One row per alert of each notification, oldest notification first. */
  public static String notifications(List<Notification> notifications) {
    if (notifications.isEmpty()) {
      return "no notifications\n";
    }
    TextTable table = new TextTable("#", "STATUS", "SEVERITY", "ALERT", "STARTS", "ENDS", "LABELS", "SUMMARY");
    for (Notification n : notifications) {
      for (NotifiedAlert a : n.alerts()) {
        table.row(String.valueOf(n.line()), a.status(), a.labels().getOrDefault("severity", "-"),
            a.alertname(), time(a.startsAt()), a.endsAt().map(AlertTables::time).orElse("-"),
            otherLabels(a.labels()), a.annotations().getOrDefault("summary", ""));
      }
    }
    return table.render();
  }

  /** The labels that are not already columns, as {@code k=v k=v}, sorted by name. */
  static String otherLabels(Map<String, String> labels) {
    String text = labels.entrySet().stream()
        .filter(e -> !e.getKey().equals("alertname") && !e.getKey().equals("severity"))
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
    return text.isEmpty() ? "-" : text;
  }

  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Prometheus writes values like {@code 1.0256e+00}; show them as people write numbers. */
  static String number(String value) {
    return parse(value).map(d -> {
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return String.valueOf((long) d.doubleValue());
      }
      String s = String.format(java.util.Locale.ROOT, "%.3f", d);
      return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }).orElse(value.isEmpty() ? "-" : value);
  }

  private static Optional<Double> parse(String value) {
    try {
      double d = Double.parseDouble(value);
      return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static int rank(List<String> order, String value) {
    int i = order.indexOf(value);
    return i < 0 ? order.size() : i;
  }
}
