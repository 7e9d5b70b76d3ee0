package io.pgha.common;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exporter's collectors, the clients they share, and any page it serves beside {@code /metrics}
 * (behind the same TLS and basic auth). The exporter owns the clients: it closes them when it stops
 * (after its server stopped serving), newest first, whichever collectors use them.
 */
public final class CollectorSet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CollectorSet.class);

  private final List<ScrapeCollector> collectors = new ArrayList<>();
  private final Deque<AutoCloseable> clients = new ArrayDeque<>();
  private final Map<String, Handler<RoutingContext>> pages = new LinkedHashMap<>();

  public CollectorSet add(ScrapeCollector collector) {
    collectors.add(collector);
    return this;
  }

  /** Registers a client to close with the exporter; returns it. */
  public <T extends AutoCloseable> T client(T client) {
    clients.push(client);
    return client;
  }

  public List<ScrapeCollector> collectors() {
    return List.copyOf(collectors);
  }

  /** A page served on GET {@code path} (for example exporter-etcd's {@code /events}). */
  public CollectorSet page(String path, Handler<RoutingContext> handler) {
    if (!path.startsWith("/") || pages.containsKey(path)) {
      throw new IllegalArgumentException("page path must start with / and be unique: " + path);
    }
    pages.put(path, handler);
    return this;
  }

  public Map<String, Handler<RoutingContext>> pages() {
    return Map.copyOf(pages);
  }

  /** Closes the clients, newest first. Blocking (jetcd, JDBC): not on an event loop. */
  @Override
  public void close() {
    while (!clients.isEmpty()) {
      AutoCloseable client = clients.pop();
      try {
        client.close();
      } catch (Exception e) {
        LOG.warn("closing {}: {}", client.getClass().getSimpleName(), ErrorText.describe(e));
      }
    }
  }
}
