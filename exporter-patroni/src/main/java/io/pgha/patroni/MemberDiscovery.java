package io.pgha.patroni;

import io.pgha.common.ErrorText;
import io.pgha.common.ScrapeContext;
import io.pgha.patroni.api.PatroniCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds a scope's members through {@code /cluster} of any configured member that answers.
 *
 * <p>It asks the member that answered last time first. When that one fails it asks the next at
 * once; when it is merely slow (Patroni's {@code /cluster} hangs for seconds while the DCS is
 * unreachable) it also asks the next after {@link #HEDGE_MILLIS}, so one stuck member does not eat
 * the whole scrape deadline. The first valid answer wins.
 */
final class MemberDiscovery {
  static final long HEDGE_MILLIS = 500;

  private final Vertx vertx;
  private final PatroniClient client;
  private final String scope;
  private final List<URI> members;
  private final long requestTimeoutMillis;
  private volatile int preferred;

  MemberDiscovery(Vertx vertx, PatroniClient client, String scope, List<URI> members, long requestTimeoutMillis) {
    this.vertx = vertx;
    this.client = client;
    this.scope = scope;
    this.members = List.copyOf(members);
    this.requestTimeoutMillis = requestTimeoutMillis;
  }

  /** Never fails: no valid answer is a {@link ClusterView} without a cluster. */
  Future<ClusterView> discover(ScrapeContext context) {
    int n = members.size();
    int first = preferred;
    Promise<ClusterView> result = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<String> failures = new ArrayList<>();
    Runnable[] askNext = new Runnable[1];
    askNext[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= n || result.future().isComplete()) {
        return;
      }
      int index = (first + i) % n;
      URI base = members.get(index);
      long timeout = Timeouts.request(context, requestTimeoutMillis);
      client.cluster(base, timeout).onComplete(ar -> {
        String problem = ar.succeeded() ? scopeProblem(ar.result()) : ErrorText.describe(ar.cause());
        if (problem == null) {
          if (result.tryComplete(ClusterView.found(ar.result(), base))) {
            preferred = index;
          }
          return;
        }
        failures.add(base + "/cluster: " + problem);
        if (failed.incrementAndGet() == n) {
          result.tryComplete(ClusterView.notFound(failures));
        } else {
          askNext[0].run();
        }
      });
      if (i + 1 < n) {
        vertx.setTimer(HEDGE_MILLIS, t -> askNext[0].run());
      }
    };
    askNext[0].run();
    return result.future();
  }

  private String scopeProblem(PatroniCluster cluster) {
    return cluster.scope().filter(s -> !s.equals(scope))
        .map(s -> "answers for scope " + s + ", not " + scope).orElse(null);
  }
}
