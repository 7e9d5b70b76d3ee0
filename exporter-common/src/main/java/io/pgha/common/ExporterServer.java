package io.pgha.common;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /metrics}, {@code /-/healthy}, a landing page and the exporter's own pages
 * ({@link CollectorSet#page}) for one exporter; started and stopped by its {@link ExporterVerticle}.
 */
public final class ExporterServer {
  private static final Logger LOG = LoggerFactory.getLogger(ExporterServer.class);
  /** Answer this much before Prometheus's own scrape timeout, so a late collector is cut, not the scrape. */
  static final long DEADLINE_MARGIN_MILLIS = 250;
  static final long MIN_DEADLINE_MILLIS = 100;

  private final ScrapeEngine engine;
  private final WebSettings web;
  private final String landingPage;
  private final ExpositionFormats formats = ExpositionFormats.init();
  /** How long a stopping server waits for scrapes in flight before it closes their connections. */
  static final long SHUTDOWN_GRACE_MILLIS = 5_000;

  private final WebConfig webConfig;
  private final Map<String, Handler<RoutingContext>> pages;
  private HttpServer server;
  /** The size of the last page rendered: the next is about as long, so its buffer starts that big. */
  private volatile int lastPageBytes = 8192;
  /**
   * The collections scrapes are waiting for, each with the pages rendered of it: sixteen scrapers
   * sharing a collection get one page per format, not sixteen. A collection's pages go when the
   * last scrape waiting for it is answered, so no page outlives its collection.
   */
  private final Map<Future<ScrapeResult>, Pages> waiting = new IdentityHashMap<>();
  private long pagesRendered;

  /** One collection's pages, one per format asked for, and how many scrapes wait for it. */
  private static final class Pages {
    private final Map<ExpositionFormatWriter, Buffer> byFormat = new IdentityHashMap<>();
    private int scrapes;
  }

  public ExporterServer(ScrapeEngine engine, WebSettings web, String landingPage, WebConfig webConfig) {
    this(engine, web, landingPage, webConfig, Map.of());
  }

  public ExporterServer(ScrapeEngine engine, WebSettings web, String landingPage, WebConfig webConfig,
      Map<String, Handler<RoutingContext>> pages) {
    this.engine = engine;
    this.web = web;
    this.landingPage = landingPage;
    this.webConfig = webConfig;
    this.pages = Map.copyOf(pages);
  }

  /** Listens; fails if the address cannot be bound. */
  public Future<HttpServer> listen(Vertx vertx) {
    Router router = Router.router(vertx);
    if (!webConfig.headers().isEmpty()) {
      router.route().handler(ctx -> {
        webConfig.headers().forEach(ctx.response()::putHeader);
        ctx.next();
      });
    }
    webConfig.basicAuth().ifPresent(auth -> router.route().handler(auth));
    router.get(web.telemetryPath()).handler(this::metrics);
    pages.forEach((path, handler) -> router.get(path).handler(handler));
    router.get("/-/healthy").handler(ctx -> ctx.response().putHeader("content-type", "text/plain").end("OK\n"));
    router.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(landingPage));
    // No cleartext HTTP/2 upgrade: Prometheus speaks HTTP/1.1, and an h2c connection turns a
    // graceful shutdown into a GOAWAY that some clients treat as a failed scrape.
    HttpServerOptions options = new HttpServerOptions(webConfig.serverOptions()).setHost(web.host()).setPort(web.port())
        .setHttp2ClearTextEnabled(false);
    return vertx.createHttpServer(options).requestHandler(router).listen()
        .onSuccess(s -> {
          server = s;
          LOG.info("pgha exporter {} listening on {}://{}:{}{}{}", engine.exporter(), webConfig.tls() ? "https" : "http",
              web.host(), s.actualPort(), web.telemetryPath(),
              webConfig.basicAuth().map(a -> " (basic auth, " + a.userCount() + " users)").orElse(""));
        });
  }

  /** Stops accepting connections and lets scrapes in flight finish, for a bounded time. */
  public Future<Void> shutdown() {
    return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The port actually bound (useful when configured with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void metrics(RoutingContext ctx) {
    long timeout = deadlineMillis(ctx.request().getHeader("X-Prometheus-Scrape-Timeout-Seconds"), web.scrapeTimeout().toMillis());
    String accept = ctx.request().getHeader("Accept");
    Future<ScrapeResult> collection = engine.scrape(timeout);
    Pages pages;
    synchronized (waiting) {
      pages = waiting.computeIfAbsent(collection, c -> new Pages());
      pages.scrapes++;
    }
    collection.onComplete(ar -> {
      try {
        if (ar.failed()) {
          ctx.response().setStatusCode(500).putHeader("content-type", "text/plain").end("internal error: " + ErrorText.describe(ar.cause()) + "\n");
          return;
        }
        ExpositionFormatWriter writer = formats.findWriter(accept);
        if (!writer.isAvailable()) {
          writer = formats.getPrometheusTextFormatWriter();
        }
        ctx.response().putHeader("content-type", writer.getContentType()).end(page(pages, writer, ar.result()));
      } catch (IOException | RuntimeException e) {
        LOG.error("could not render the scrape", e);
        ctx.response().setStatusCode(500).end();
      } finally {
        synchronized (waiting) {
          if (--pages.scrapes == 0) {
            waiting.remove(collection);
          }
        }
      }
    });
  }

  /** The collection's page in {@code writer}'s format: rendered by the first scrape that asks for it. */
  private Buffer page(Pages pages, ExpositionFormatWriter writer, ScrapeResult collection) throws IOException {
    synchronized (pages) {
      Buffer page = pages.byFormat.get(writer);
      if (page == null) {
        page = render(writer, collection);
        pages.byFormat.put(writer, page);
      }
      return page;
    }
  }

  /** How many scrapes wait for a collection now (tests: to know that all have joined one). */
  int scrapesWaiting() {
    synchronized (waiting) {
      return waiting.values().stream().mapToInt(p -> p.scrapes).sum();
    }
  }

  /** How many pages this server rendered (tests: scrapes sharing a collection share its page). */
  synchronized long pagesRendered() {
    return pagesRendered;
  }

  /**
   * The text formats are written by {@link PageWriter}, the others (and anything it does not write)
   * by client_java's writer; straight into the buffer sent, sized after the last page: a page of a
   * hundred scopes is over a megabyte, which a buffer doubling from 8 KiB would copy eight times.
   */
  private Buffer render(ExpositionFormatWriter writer, ScrapeResult result) throws IOException {
    int expected = lastPageBytes + lastPageBytes / 8;
    Buffer page = null;
    PageWriter.Format own = writer instanceof OpenMetricsTextFormatWriter ? PageWriter.Format.OPENMETRICS
        : writer instanceof PrometheusTextFormatWriter ? PageWriter.Format.PROMETHEUS_TEXT : null;
    if (own != null) {
      try {
        page = new PageWriter(expected).write(result, own);
      } catch (PageWriter.Unsupported e) {
        LOG.debug("client_java writes this page: {}", e.getMessage());
      }
    }
    if (page == null) {
      page = clientJava(writer, result, expected);
    }
    lastPageBytes = Math.max(8192, page.length());
    synchronized (this) {
      pagesRendered++;
    }
    return page;
  }

  private static Buffer clientJava(ExpositionFormatWriter writer, ScrapeResult result, int expected) throws IOException {
    Buffer page = Buffer.buffer(expected);
    writer.write(new OutputStream() {
      @Override
      public void write(int b) {
        page.appendByte((byte) b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        page.appendBytes(b, off, len);
      }
    }, result.snapshots());
    return page;
  }

  /** The collection deadline: Prometheus's scrape timeout less a margin, else the configured default. */
  static long deadlineMillis(String header, long defaultMillis) {
    if (header != null) {
      try {
        double seconds = Double.parseDouble(header.trim());
        if (seconds > 0 && Double.isFinite(seconds)) {
          return Math.max(MIN_DEADLINE_MILLIS, (long) (seconds * 1000) - DEADLINE_MARGIN_MILLIS);
        }
      } catch (NumberFormatException ignored) {
        // A garbled header falls back to the configured deadline.
      }
    }
    return defaultMillis;
  }
}
