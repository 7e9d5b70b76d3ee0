package io.pgha.patroni;

import io.pgha.common.ErrorText;
import io.pgha.common.ProblemLog;
import io.pgha.common.ScrapeContext;
import io.pgha.common.ScrapeMemo;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.patroni.api.PatroniDynamicConfig;
import io.pgha.patroni.api.PatroniStatus;
import io.pgha.patroni.api.UnexpectedResponseException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watched Patroni cluster. Its collectors share one {@link Scrape} per scrape, so each
 * endpoint of each member is read once per scrape whatever the number of collectors (Patroni's REST
 * server has a listen backlog of 5). Confined to the scope's own context (see {@link PatroniExporter}), where its collectors run
 * and its client's answers arrive.
 *
 * <p>It remembers the members it has seen. Members are read from the first scrape on, in parallel
 * with discovery, so while the DCS is unreachable (and {@code /cluster} hangs) their
 * {@code /patroni} is still read. A member that leaves {@code /cluster} (its key expired after it
 * stopped) is kept while its REST API is one of the configured member URLs, so a stopped member
 * shows as {@code member_up 0} rather than vanishing.
 */
final class PatroniScope {
  private static final Logger LOG = LoggerFactory.getLogger(PatroniScope.class);

  /** What one scrape of this scope fetched; every future completes before the scrape deadline. */
  record Scrape(
      Future<ClusterView> view,
      Future<Map<String, Future<MemberProbe>>> members,
      Future<Map<String, MemberProbe>> probes,
      Future<HistorySummary> history,
      Future<PatroniDynamicConfig> config) {}

  private final PatroniConfig.Scope config;
  private final PatroniClient client;
  private final MemberDiscovery discovery;
  private final long requestTimeoutMillis;
  private final Map<String, URI> known = new LinkedHashMap<>();
  private final ScrapeMemo<Scrape> scrapes = new ScrapeMemo<>(this::start);
  private final ProblemLog problems = new ProblemLog(LOG);
  private final Clock clock = Clock.systemUTC();
  /** The member that answered {@code /cluster} in the last scrape that had an answer. */
  private URI lastAnswered;
  /** The history read last, while it is complete for the leader's timeline (null when not). */
  private KnownHistory knownHistory;

  /**
   * A history that ends with the timeline before the leader's: nothing is added to it until the
   * leader's timeline changes, so it is not read again until then.
   */
  private record KnownHistory(long leaderTimeline, HistorySummary summary) {}

  PatroniScope(Vertx vertx, PatroniConfig.Scope config, PatroniClient client) {
    this.config = config;
    this.client = client;
    this.requestTimeoutMillis = config.requestTimeout().toMillis();
    this.discovery = new MemberDiscovery(vertx, client, config.scope(), config.members(), requestTimeoutMillis);
  }

  String name() {
    return config.scope();
  }

  /** What "now" is for ages computed from the members' timestamps. */
  Clock clock() {
    return clock;
  }

  /** The fetches of the scrape {@code context} belongs to, started by whichever collector asks first. */
  Scrape scrape(ScrapeContext context) {
    return scrapes.get(context);
  }

  private Scrape start(ScrapeContext context) {
    Map<String, URI> before = knownMembers();
    Map<String, Future<MemberProbe>> started = new LinkedHashMap<>();
    before.forEach((member, url) -> started.put(member, probe(context, member, url)));

    Future<ClusterView> view = discovery.discover(context).onSuccess(this::logDiscovery);
    URI guess = lastAnswered;
    view.onSuccess(v -> v.answeredBy().ifPresent(answering -> lastAnswered = answering));
    Future<Map<String, Future<MemberProbe>>> members = view.map(v -> {
      Map<String, Future<MemberProbe>> result = new LinkedHashMap<>();
      rememberFrom(v).forEach((member, url) -> {
        boolean alreadyAsked = url.equals(before.get(member));
        result.put(member, alreadyAsked ? started.get(member) : probe(context, member, url));
      });
      return result;
    });
    Future<Map<String, MemberProbe>> probes = members.compose(m -> {
      List<Future<MemberProbe>> all = new ArrayList<>(m.values());
      return Future.join(all).transform(done -> {
        Map<String, MemberProbe> result = new LinkedHashMap<>();
        m.forEach((member, f) -> result.put(member, f.result()));
        return Future.succeededFuture(result);
      });
    });
    Future<HistorySummary> history = view.compose(v -> history(context, v));
    Future<PatroniDynamicConfig> dynamicConfig = fromAnsweringMember(view, guess, "/config",
        base -> client.config(base, Timeouts.request(context, requestTimeoutMillis)));
    return new Scrape(view, members, probes, history, dynamicConfig);
  }

  /**
   * {@code /history} only grows when a member is promoted, which starts a new timeline: it is read
   * again when the leader's timeline differs from the one it was complete for (or there is no
   * leader), so a scrape neither waits for it nor reads the whole history every time.
   */
  private Future<HistorySummary> history(ScrapeContext context, ClusterView view) {
    Optional<Long> timeline = view.cluster().flatMap(PatroniCluster::leader).flatMap(PatroniCluster.Member::timeline);
    KnownHistory known = knownHistory;
    if (known != null && timeline.isPresent() && timeline.get() == known.leaderTimeline()) {
      return Future.succeededFuture(known.summary());
    }
    return answering(view, "/history").compose(base -> client.history(base, Timeouts.request(context, requestTimeoutMillis)))
        .onSuccess(summary -> {
          // The new leader writes the history entry of its promotion a loop after taking the key.
          boolean complete = timeline.isPresent() && summary.lastTimeline() == timeline.get() - 1;
          knownHistory = complete ? new KnownHistory(timeline.get(), summary) : null;
        });
  }

  /**
   * Reads from the member that answered {@code /cluster}: the one known to be up and in the DCS.
   * The member that answered last time ({@code guess}) is asked at once, beside discovery, so the
   * read does not wait for {@code /cluster}; when another member answers {@code /cluster} this time,
   * that one is asked too and the first answer wins. Nothing is served when no member answered.
   */
  private <T> Future<T> fromAnsweringMember(Future<ClusterView> view, URI guess, String endpoint,
      Function<URI, Future<T>> read) {
    Future<T> early = guess == null ? null : read.apply(guess);
    return view.compose(v -> answering(v, endpoint)).compose(answering -> {
      if (early != null && answering.equals(guess)) {
        return early;
      }
      Future<T> asked = read.apply(answering);
      if (early == null) {
        return asked;
      }
      return Future.any(early, asked).transform(ar -> ar.succeeded()
          ? Future.succeededFuture(early.succeeded() ? early.result() : asked.result())
          : asked);
    });
  }

  /** The member that answered {@code /cluster}; failed, naming {@code endpoint}, when none did. */
  private Future<URI> answering(ClusterView view, String endpoint) {
    return view.answeredBy().map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
        new UnexpectedResponseException("no member of scope " + config.scope() + " answered /cluster, so "
            + endpoint + " was not read")));
  }

  private Future<MemberProbe> probe(ScrapeContext context, String member, URI apiUrl) {
    long timeout = Timeouts.request(context, requestTimeoutMillis);
    return client.status(apiUrl, timeout).map(status -> checked(member, apiUrl, status)).otherwise(cause -> {
      String reason = ErrorText.describe(cause);
      return cause instanceof UnexpectedResponseException
          ? new MemberProbe.Unexpected(member, apiUrl, reason)
          : new MemberProbe.Unreachable(member, apiUrl, reason);
    }).onSuccess(this::logProbe);
  }

  private MemberProbe checked(String member, URI apiUrl, PatroniStatus status) {
    if (status.scope().isPresent() && !status.scope().get().equals(config.scope())) {
      return new MemberProbe.Unexpected(member, apiUrl,
          "/patroni: reports scope " + status.scope().get() + ", not " + config.scope());
    }
    if (status.name().isPresent() && !status.name().get().equals(member)) {
      return new MemberProbe.Unexpected(member, apiUrl,
          "/patroni: reports member name " + status.name().get() + ", not " + member);
    }
    return new MemberProbe.Answered(member, apiUrl, status);
  }

  /**
   * A member answering like something other than Patroni of this scope is member_up 0 like a silent
   * one; unlike silence it points at a misconfiguration, so its reason is logged (once per change).
   */
  private void logProbe(MemberProbe probe) {
    String what = "scope " + config.scope() + " member " + probe.member();
    if (probe instanceof MemberProbe.Unexpected u) {
      problems.failed(what, u.apiUrl() + ": " + u.reason());
    } else if (probe instanceof MemberProbe.Answered) {
      problems.recovered(what, "answers as Patroni again");
    } else {
      problems.cleared(what);
    }
  }

  private Map<String, URI> knownMembers() {
    return new LinkedHashMap<>(known);
  }

  /** Updates the remembered members from this scrape's discovery and returns them. */
  private Map<String, URI> rememberFrom(ClusterView view) {
    if (view.cluster().isEmpty()) {
      return new LinkedHashMap<>(known);
    }
    Map<String, URI> next = new LinkedHashMap<>();
    for (PatroniCluster.Member m : view.cluster().get().members()) {
      m.apiUrl().ifPresent(url -> next.put(m.name(), url));
    }
    known.forEach((member, url) -> {
      if (!next.containsKey(member) && isConfigured(url)) {
        next.put(member, url);
      }
    });
    known.clear();
    known.putAll(next);
    return new LinkedHashMap<>(next);
  }

  private boolean isConfigured(URI apiUrl) {
    return config.members().stream().anyMatch(base ->
        base.getScheme().equals(apiUrl.getScheme()) && base.getRawAuthority().equals(apiUrl.getRawAuthority()));
  }

  private void logDiscovery(ClusterView view) {
    String what = "scope " + config.scope();
    if (view.cluster().isPresent()) {
      problems.recovered(what, "/cluster answered again by " + view.answeredBy().orElseThrow());
    } else {
      problems.failed(what, "no member answered /cluster: " + String.join("; ", view.failures()));
    }
  }
}
