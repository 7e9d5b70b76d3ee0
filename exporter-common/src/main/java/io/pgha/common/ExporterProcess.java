package io.pgha.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exporters of one JVM: one Vert.x, one {@link ExporterVerticle} per exporter, one way to stop.
 * Closing it stops every server from accepting, lets scrapes in flight finish within the grace
 * period, closes each exporter's clients, then Vert.x.
 */
public final class ExporterProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExporterProcess.class);
  /** Beyond the servers' grace period: what closing the clients may take. */
  private static final long CLOSE_MARGIN_MILLIS = 10_000;

  private final Vertx vertx;
  private final Map<String, ExporterVerticle<?>> exporters;

  private ExporterProcess(Vertx vertx, Map<String, ExporterVerticle<?>> exporters) {
    this.vertx = vertx;
    this.exporters = exporters;
  }

  /**
   * Starts the exporters and returns once every one listens. If one cannot, those started are
   * stopped again and an {@link IllegalStateException} names the exporter and the reason.
   */
  public static ExporterProcess start(List<ExporterConfig<?>> configs) {
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(Math.max(2, configs.size()))
        .setWorkerPoolSize(4));
    Map<String, ExporterVerticle<?>> started = new LinkedHashMap<>();
    ExporterProcess process = new ExporterProcess(vertx, started);
    for (ExporterConfig<?> config : configs) {
      ExporterVerticle<?> verticle = new ExporterVerticle<>(config);
      try {
        vertx.deployVerticle(verticle).await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        process.close();
        throw new IllegalStateException("exporter-" + config.name() + ": " + ErrorText.describe(e), e);
      }
      started.put(config.name(), verticle);
    }
    return process;
  }

  /** The port the exporter listens on. */
  public int port(String exporter) {
    ExporterVerticle<?> verticle = exporters.get(exporter);
    if (verticle == null) {
      throw new IllegalArgumentException("no exporter " + exporter + " here (" + exporters.keySet() + ")");
    }
    return verticle.port();
  }

  public List<String> exporters() {
    return List.copyOf(exporters.keySet());
  }

  /** Stops every exporter (together, each within its grace period), then Vert.x. Bounded. */
  @Override
  public void close() {
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : vertx.deploymentIDs()) {
      undeployed.add(vertx.undeploy(id));
    }
    try {
      Future.join(undeployed).await(ExporterServer.SHUTDOWN_GRACE_MILLIS + CLOSE_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("not every exporter stopped in time: {}", ErrorText.describe(e));
    }
    try {
      vertx.close().await(CLOSE_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("Vert.x did not close in time: {}", ErrorText.describe(e));
    }
  }
}
