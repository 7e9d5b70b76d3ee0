package io.pgha.postgres;

import io.pgha.common.ErrorText;
import io.pgha.common.ScrapeContext;
import io.pgha.common.ScrapeMemo;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Gathers the queries that the collectors of one scrape ask for and sends them to every target
 * together: one round trip per target and scrape, however many collectors there are.
 *
 * <p>The engine starts all collectors of a scrape in one go on its context; requests made during
 * that go are collected and sent on the next turn of the loop. A request that comes later still
 * works, it just costs a round trip of its own. Confined to the engine's context.
 */
public final class PostgresSampler implements AutoCloseable {
  /** Answer for a silent target this much before the scrape deadline, so its up 0 is served. */
  static final long ANSWER_MARGIN_MILLIS = 50;
  /**
   * A target's call not ended this long after it was made gets a worker thread added beside it: a
   * round trip to a healthy target takes a few milliseconds, so one this slow is waiting on the
   * network, the server or the calls queued before it.
   */
  static final Duration SLOW_CALL = Duration.ofMillis(100);

  private final List<PgTargetClient> clients;
  private final JdbcWorkers workers;
  private final ScrapeMemo<Batch> batches = new ScrapeMemo<>(this::schedule);

  public PostgresSampler(Vertx vertx, PostgresConfig config) {
    this.workers = new JdbcWorkers(vertx, "pg-jdbc", JdbcWorkers.threadsFor(config.targets().size()), SLOW_CALL);
    List<PgTargetClient> list = new ArrayList<>();
    for (PostgresTarget t : config.targets()) {
      list.add(new PgTargetClient(t, config.credentials(), config.connectTimeout(), config.statementTimeout(), workers));
    }
    this.clients = List.copyOf(list);
  }

  /** Every target's sample for this scrape, including {@code query} (null: just the connection state). */
  public Future<List<TargetSample>> sample(ScrapeContext context, PgQuery<?> query) {
    Batch batch = batches.get(context);
    if (batch.sent) {
      batch = schedule(context);
    }
    if (query != null) {
      batch.queries.putIfAbsent(query.name(), query);
    }
    return batch.result.future();
  }

  /** A new batch, sent on the next turn of the loop with whatever was asked for until then. */
  private Batch schedule(ScrapeContext context) {
    Batch batch = new Batch(context);
    context.vertx().getOrCreateContext().runOnContext(v -> send(batch));
    return batch;
  }

  private void send(Batch batch) {
    batch.sent = true;
    List<PgQuery<?>> queries = List.copyOf(batch.queries.values());
    long wait = Math.max(1, batch.context.remainingMillis() - ANSWER_MARGIN_MILLIS);
    List<Future<TargetSample>> samples = new ArrayList<>(clients.size());
    for (PgTargetClient client : clients) {
      samples.add(client.sample(queries, batch.context.deadlineNanos())
          .timeout(wait, TimeUnit.MILLISECONDS)
          .recover(e -> Future.succeededFuture(client.problem(downReason(e, wait)))));
    }
    Future.join(samples).onComplete(ignored ->
        batch.result.complete(samples.stream().map(Future::result).toList()));
  }

  private static String downReason(Throwable e, long wait) {
    if (e instanceof TimeoutException) {
      return "no answer within " + wait + " ms";
    }
    return "internal error: " + ErrorText.describe(e);
  }

  @Override
  public void close() {
    clients.forEach(PgTargetClient::close);
    workers.close();
  }

  private static final class Batch {
    final ScrapeContext context;
    final Map<String, PgQuery<?>> queries = new LinkedHashMap<>();
    final Promise<List<TargetSample>> result = Promise.promise();
    boolean sent;

    Batch(ScrapeContext context) {
      this.context = context;
    }
  }
}
