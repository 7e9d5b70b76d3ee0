package io.pgha.dashboards;

import io.pgha.promkit.PromQlMetricNames;
import io.pgha.testkit.LivePrometheus;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Sends every PromQL query of the dashboards, with the template variables substituted, to a live
 * Prometheus as an instant query, and checks that every metric name they use exists there.
 *
 * <p>From a JUnit test:
 * <pre>{@code
 * LiveQueryReport report = LiveQueryCheck.against("http://127.0.0.1:19090")
 *     .variable("scope", "pgha")
 *     .requireSeries(true)
 *     .build()
 *     .run(LiveQueryCheck.generatedDashboards());
 * assertThat(report.problems()).as(report.render()).isEmpty();
 * }</pre>
 * Variables not given are resolved like Grafana does on first load (first value of their
 * {@code label_values} query, or All). Blocking; meant for tests and the command line.
 */
public final class LiveQueryCheck {

  private final LivePrometheus api;
  private final Map<String, List<String>> given;
  private final long rangeSeconds;
  private final long scrapeSeconds;
  private final boolean requireSeries;

  private LiveQueryCheck(Builder b) {
    this.api = new LivePrometheus(b.prometheus, b.timeout);
    this.given = Map.copyOf(b.variables);
    this.rangeSeconds = b.rangeSeconds;
    this.scrapeSeconds = b.scrapeSeconds;
    this.requireSeries = b.requireSeries;
  }

  public static Builder against(String prometheusBaseUrl) {
    return new Builder(URI.create(prometheusBaseUrl));
  }

  public static Builder against(URI prometheusBaseUrl) {
    return new Builder(prometheusBaseUrl);
  }

  /** The dashboards as the code generates them (the drift test keeps them equal to the committed files). */
  public static List<JsonNode> generatedDashboards() {
    return Dashboards.all().stream().map(d -> (JsonNode) d.toJson()).toList();
  }

  /** Dashboard JSON files of a folder, e.g. the committed {@code dashboards/json}. */
  public static List<JsonNode> load(Path dir) throws IOException {
    List<JsonNode> dashboards = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        dashboards.add(Json.MAPPER.readTree(f.toFile()));
      }
    }
    return dashboards;
  }

  public LiveQueryReport run(List<JsonNode> dashboards) {
    List<LiveQueryReport.Result> results = new ArrayList<>();
    List<VariableResolver.Resolution> resolutions = new ArrayList<>();
    Set<String> used = new TreeSet<>();
    VariableResolver resolver = new VariableResolver(api, given);
    TemplateVariables builtIns = new TemplateVariables(TemplateVariables.builtIns(rangeSeconds, scrapeSeconds));
    for (JsonNode dashboard : dashboards) {
      TemplateVariables vars = resolver.resolve(dashboard, builtIns, resolutions);
      for (PanelQuery q : PanelQuery.of(dashboard)) {
        TemplateVariables.Interpolation sent = vars.interpolate(q.expr());
        used.addAll(PromQlMetricNames.of(sent.text()));
        if (!sent.unresolved().isEmpty()) {
          results.add(new LiveQueryReport.Result(q, null, false,
              "not sent: no value for variable(s) " + sent.unresolved(), 0));
          continue;
        }
        LivePrometheus.Answer answer = api.query(sent.text());
        if (answer.accepted() && "matrix".equals(answer.resultType())) {
          // Prometheus answers an instant query with a range vector, but Grafana's range queries
          // refuse one and no panel can draw it.
          results.add(new LiveQueryReport.Result(q, sent.text(), false,
              "returns a range vector: a panel needs an instant vector or a scalar", answer.series().size()));
          continue;
        }
        results.add(new LiveQueryReport.Result(q, sent.text(), answer.accepted(), answer.error(),
            answer.series().size()));
      }
    }
    Set<String> missing = new TreeSet<>();
    String namesError = null;
    try {
      Set<String> known = api.metricNames();
      used.stream().filter(m -> !known.contains(m)).forEach(missing::add);
    } catch (LivePrometheus.ApiException e) {
      namesError = e.getMessage();
    }
    return new LiveQueryReport(api.base().toString(), results, resolutions, used, missing, namesError,
        requireSeries);
  }

  /** Options of a check; only the Prometheus base URL is required. */
  public static final class Builder {
    private final URI prometheus;
    private final Map<String, List<String>> variables = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(10);
    private long rangeSeconds = 3600;
    private long scrapeSeconds = 15;
    private boolean requireSeries;

    private Builder(URI prometheus) {
      this.prometheus = prometheus;
    }

    /** A template variable's value(s); {@code "$__all"} selects All. */
    public Builder variable(String name, String... values) {
      variables.put(name, List.of(values));
      return this;
    }

    /** Per-request deadline (default 10 s). */
    public Builder timeout(Duration value) {
      this.timeout = value;
      return this;
    }

    /** The dashboard time range $__range stands for (default 1 h, the dashboards' default). */
    public Builder rangeSeconds(long value) {
      this.rangeSeconds = value;
      return this;
    }

    /** Prometheus's scrape interval, from which $__interval and $__rate_interval follow (default 15 s). */
    public Builder scrapeIntervalSeconds(long value) {
      this.scrapeSeconds = value;
      return this;
    }

    /** Whether a panel query returning no series is a problem (as with the cluster and traffic running). */
    public Builder requireSeries(boolean value) {
      this.requireSeries = value;
      return this;
    }

    public LiveQueryCheck build() {
      return new LiveQueryCheck(this);
    }
  }

  /**
   * {@code LiveQueryCheck PROMETHEUS_URL [--require-series] [--var name=value[,value]]... [DIR]}: checks
   * the dashboards in DIR (default: the generated ones), prints the report, exits 1 on problems.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: LiveQueryCheck PROMETHEUS_URL [--require-series] [--var name=value[,value]]... [DIR]");
      System.exit(2);
    }
    Builder builder = against(args[0]);
    Path dir = null;
    for (int i = 1; i < args.length; i++) {
      if ("--require-series".equals(args[i])) {
        builder.requireSeries(true);
      } else if ("--var".equals(args[i]) && i + 1 < args.length) {
        String[] kv = args[++i].split("=", 2);
        builder.variable(kv[0], kv.length > 1 ? kv[1].split(",") : new String[] {""});
      } else {
        dir = Path.of(args[i]);
      }
    }
    LiveQueryReport report = builder.build().run(dir == null ? generatedDashboards() : load(dir));
    System.out.print(report.render());
    report.problems().forEach(p -> System.out.println("PROBLEM " + p));
    System.exit(report.problems().isEmpty() ? 0 : 1);
  }
}
