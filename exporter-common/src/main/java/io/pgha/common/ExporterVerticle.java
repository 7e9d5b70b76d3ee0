package io.pgha.common;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * One exporter as a verticle: on start it builds its clients and collectors (on its own context,
 * where its collectors then run) and listens; on stop its server stops accepting and lets scrapes
 * in flight finish within the grace period, then the exporter closes its clients. It never exits
 * the JVM: that is the launcher's business.
 */
public final class ExporterVerticle<C> extends VerticleBase {
  private final ExporterConfig<C> config;
  private CollectorSet collectors;
  private ExporterServer server;

  public ExporterVerticle(ExporterConfig<C> config) {
    this.config = config;
  }

  public String name() {
    return config.name();
  }

  @Override
  public Future<?> start() {
    try {
      collectors = config.spec().factory().create(vertx, config.config());
      ScrapeEngine engine = new ScrapeEngine(vertx, config.name(), Version.current(), collectors.collectors());
      server = new ExporterServer(engine, config.web(),
          LandingPage.html(config.name(), config.web(), config.masked(), config.webConfig(), collectors.pages().keySet()),
          config.webConfig(), collectors.pages());
    } catch (RuntimeException e) {
      return closeClients().transform(ignored -> Future.failedFuture(e));
    }
    return server.listen(vertx).<Void>mapEmpty().recover(e -> closeClients().transform(ignored -> Future.failedFuture(
        new IllegalStateException("cannot listen on " + config.web().listenAddress() + ": " + ErrorText.describe(e), e))));
  }

  @Override
  public Future<?> stop() {
    Future<Void> serving = server == null ? Future.succeededFuture() : server.shutdown();
    return serving.transform(ignored -> closeClients());
  }

  /** The port bound (useful with port 0). */
  public int port() {
    return server.actualPort();
  }

  /** Off the event loop: closing jetcd or JDBC clients blocks. */
  private Future<Void> closeClients() {
    CollectorSet set = collectors;
    if (set == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      set.close();
      return null;
    }, false);
  }
}
