package io.pgha.lab.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The webhook Alertmanager posts to: every notification on {@code POST /alerts} is appended as one
 * JSON line to a file, so drills and tests can see exactly what was sent and when.
 */
public final class AlertReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 4 * 1024 * 1024;

  private final HttpServer server;
  private final Path file;

  public AlertReceiver(InetSocketAddress address, Path file) throws IOException {
    this.file = file;
    Files.createDirectories(file.getParent());
    this.server = HttpServer.create(address, 16);
    server.createContext("/alerts", this::alerts);
    server.createContext("/", this::other);
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void alerts(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        reply(ex, 405, "POST only\n");
        return;
      }
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        reply(ex, 413, "too large\n");
        return;
      }
      JsonNode notification;
      try {
        notification = JSON.readTree(body);
      } catch (IOException e) {
        reply(ex, 400, "not JSON\n");
        return;
      }
      if (notification == null || !notification.isObject()) {
        reply(ex, 400, "not a JSON object\n");
        return;
      }
      append(JSON.writeValueAsString(notification) + "\n");
      reply(ex, 200, "ok\n");
    }
  }

  /** One writer at a time, so concurrent notifications never interleave inside a line. */
  private synchronized void append(String line) throws IOException {
    Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }

  private void other(HttpExchange ex) throws IOException {
    try (ex) {
      if ("/".equals(ex.getRequestURI().getPath()) || "/-/healthy".equals(ex.getRequestURI().getPath())) {
        reply(ex, 200, "pgha alert receiver: POST Alertmanager notifications to /alerts\n");
      } else {
        reply(ex, 404, "not found\n");
      }
    }
  }

  private static void reply(HttpExchange ex, int status, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }
}
