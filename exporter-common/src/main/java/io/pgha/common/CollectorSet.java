package io.pgha.common;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exporter's collectors and the clients they share. The exporter owns the clients: it closes
 * them when it stops (after its server stopped serving), newest first, whichever collectors use
 * them.
 */
public final class CollectorSet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CollectorSet.class);

  private final List<ScrapeCollector> collectors = new ArrayList<>();
  private final Deque<AutoCloseable> clients = new ArrayDeque<>();

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
