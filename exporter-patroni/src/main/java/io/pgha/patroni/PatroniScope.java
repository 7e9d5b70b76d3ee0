package io.pgha.patroni;

import io.pgha.common.ErrorText;
import io.pgha.common.ProblemLog;
import io.pgha.common.Refreshed;
import io.pgha.common.ScrapeContext;
import io.pgha.common.ScrapeMemo;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.patroni.api.PatroniDynamicConfig;
import io.pgha.patroni.api.PatroniStatus;
import io.pgha.patroni.api.UnexpectedResponseException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watched Patroni cluster. Its collectors share one {@link Scrape} per scrape, so each
 * endpoint of each member is read once per scrape whatever the number of collectors (Patroni's REST
 * server has a listen backlog of 5). Confined to the scope's own context (see {@link PatroniExporter}), where its collectors run
 * and its client's answers arrive.
 *
 * <p>A round of requests is what one scrape reads: without {@code refresh_interval}, each scrape
 * makes its own round. With it, rounds run in the background at that interval ({@link Refreshed})
 * and a scrape is answered from the last one that ended, so its cost is no longer the members'
 * answers and does not grow with the number of scrapers; a round older than the interval plus the
 * round's own timeout is not served: the scrape waits for the next one within its deadline, and
 * failing that the scope shows as unanswered ({@code up 0}, every known member {@code member_up 0})
 * with the reason logged.
 *
 * <p>It remembers the members it has seen. Members are read from the first scrape on, in parallel
 * with discovery, so while the DCS is unreachable (and {@code /cluster} hangs) their
 * {@code /patroni} is still read. A member that leaves {@code /cluster} (its key expired after it
 * stopped) is kept while its REST API is one of the configured member URLs, so a stopped member
 * shows as {@code member_up 0} rather than vanishing.
 */
final class PatroniScope implements AutoCloseable {
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
  private final ScrapeMemo<Scrape> scrapes;
  /** The rounds run in the background, with {@code refresh_interval}. */
  private final Optional<Refreshed<Scrape>> kept;
  private final ProblemLog problems = new ProblemLog(LOG);
  /** A stale round's reason names its age, new at every scrape: logged at most once a minute while it lasts. */
  private final ProblemLog staleness = new ProblemLog(LOG, Duration.ofMinutes(1));
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

  /** Starts the background rounds at once when the scope has a {@code refresh_interval}. */
  PatroniScope(Vertx vertx, Context context, PatroniConfig.Scope config, PatroniClient client) {
    this.config = config;
    this.client = client;
    this.requestTimeoutMillis = config.requestTimeout().toMillis();
    this.discovery = new MemberDiscovery(vertx, client, config.scope(), config.members(), requestTimeoutMillis);
    // A round is two requests deep at most (/cluster, then /history or a new member's /patroni).
    Duration roundTimeout = config.requestTimeout().multipliedBy(2);
    this.kept = config.refreshInterval().map(every -> new Refreshed<>(vertx, context,
        "scope " + config.scope() + "'s last round of requests", every, every.plus(roundTimeout), roundTimeout,
        this::round).start());
    this.scrapes = new ScrapeMemo<>(kept.isPresent() ? this::fromKept : this::start);
  }

  String name() {
    return config.scope();
  }

  /** What "now" is for ages computed from the members' timestamps. */
  Clock clock() {
    return clock;
  }

  /**
   * The fetches of the scrape {@code context} belongs to, started by whichever collector asks first
   * (or, with {@code refresh_interval}, the last background round young enough).
   */
  Scrape scrape(ScrapeContext context) {
    return scrapes.get(context);
  }

  /** How old the last background round is (from when it started); empty without one. */
  Optional<Long> stateAgeMillis() {
    return kept.flatMap(Refreshed::latest).map(Refreshed.Reading::ageMillis);
  }

  @Override
  public void close() {
    kept.ifPresent(Refreshed::close);
  }

  /** A background round: the fetches of one scrape, handed on once every one of them ended. */
  private Future<Scrape> round(ScrapeContext context) {
    Scrape scrape = start(context);
    return Future.join(scrape.view(), scrape.members(), scrape.probes(), scrape.history(), scrape.config())
        .transform(ended -> Future.succeededFuture(scrape));
  }

  /** A scrape answered from the background rounds; one too old and no new one in time is an unanswered scope. */
  private Scrape fromKept(ScrapeContext context) {
    String what = "scope " + config.scope() + " kept state";
    // Waited for until shortly before the deadline, so the scope is shown unanswered rather than cut.
    ScrapeContext waiting = new ScrapeContext(context.vertx(),
        context.deadlineNanos() - TimeUnit.MILLISECONDS.toNanos(Timeouts.MARGIN_MILLIS));
    Future<Scrape> served = kept.orElseThrow().fresh(waiting).map(reading -> {
      staleness.recovered(what, "a round of requests young enough is served again");
      return reading.value();
    }).otherwise(cause -> {
      String reason = ErrorText.describe(cause);
      staleness.failed(what, reason);
      return unanswered(reason);
    });
    return new Scrape(served.compose(Scrape::view), served.compose(Scrape::members), served.compose(Scrape::probes),
        served.compose(Scrape::history), served.compose(Scrape::config));
  }

  /** What a scrape shows when no member could be read in time: no /cluster, every known member unreachable. */
  private Scrape unanswered(String reason) {
    Map<String, Future<MemberProbe>> members = new LinkedHashMap<>();
    Map<String, MemberProbe> probes = new LinkedHashMap<>();
    known.forEach((member, url) -> {
      MemberProbe probe = new MemberProbe.Unreachable(member, url, reason);
      members.put(member, Future.succeededFuture(probe));
      probes.put(member, probe);
    });
    IllegalStateException failure = new IllegalStateException(reason);
    return new Scrape(Future.succeededFuture(ClusterView.notFound(List.of(reason))), Future.succeededFuture(members),
        Future.succeededFuture(probes), Future.failedFuture(failure), Future.failedFuture(failure));
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
