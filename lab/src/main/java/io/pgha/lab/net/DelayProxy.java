package io.pgha.lab.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay to one upstream listener that hands every chunk on {@code delay} after it arrived, in
 * each direction: the round trip of every request grows by twice the delay, as on a slow network. What
 * tc's netem would do per packet; this kernel has no netem ({@code CONFIG_NET_SCH_NETEM} is not set),
 * so the latency is added in user space, and a {@link FaultRule#redirect} sends a host's connections
 * here. Listens on 127.0.0.1 at a port the kernel picks. Two threads per direction of each connection:
 * one reads, one writes when each chunk is due.
 */
public final class DelayProxy implements AutoCloseable {

  private static final int CHUNK = 16 * 1024;
  private static final int CONNECT_TIMEOUT_MILLIS = 2000;

  private final Endpoint upstream;
  private final long delayNanos;
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicLong connections = new AtomicLong();
  private volatile boolean closed;

  private DelayProxy(Endpoint upstream, Duration delay, ServerSocket server) {
    this.upstream = upstream;
    this.delayNanos = delay.toNanos();
    this.server = server;
  }

  public static DelayProxy start(Endpoint upstream, Duration delay) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    DelayProxy proxy = new DelayProxy(upstream, delay, server);
    thread("pgha-delay-accept-" + upstream, proxy::acceptLoop).start();
    return proxy;
  }

  /** Where to send connections instead of the upstream. */
  public Endpoint listening() {
    return new Endpoint(server.getInetAddress().getHostAddress(), server.getLocalPort());
  }

  public Endpoint upstream() {
    return upstream;
  }

  /** Connections relayed so far. */
  public long connections() {
    return connections.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      Socket up = new Socket();
      try {
        up.connect(new InetSocketAddress(upstream.host(), upstream.port()), CONNECT_TIMEOUT_MILLIS);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(up);
        continue;
      }
      connections.incrementAndGet();
      sockets.add(client);
      sockets.add(up);
      // Both sockets close once both directions have ended (each end may half-close first).
      AtomicInteger ended = new AtomicInteger();
      Runnable oneEnded = () -> {
        if (ended.incrementAndGet() == 2) {
          closeQuietly(client);
          closeQuietly(up);
          sockets.remove(client);
          sockets.remove(up);
        }
      };
      relay(client, up, "up", oneEnded);
      relay(up, client, "down", oneEnded);
    }
  }

  /** Chunks read from {@code from}, written to {@code to} when due; the end of input is passed on too. */
  private void relay(Socket from, Socket to, String direction, Runnable ended) {
    BlockingQueue<Chunk> due = new LinkedBlockingQueue<>();
    String name = "pgha-delay-" + direction + "-" + upstream;
    thread(name + "-read", () -> {
      byte[] buffer = new byte[CHUNK];
      try {
        // Not closed here: closing a socket's stream closes the socket, and the other way may still flow.
        InputStream in = from.getInputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          due.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
        }
        due.add(new Chunk(System.nanoTime() + delayNanos, null));
      } catch (IOException e) {
        due.add(new Chunk(System.nanoTime(), null));
        closeQuietly(to);
      }
    }).start();
    thread(name + "-write", () -> {
      try {
        OutputStream out = to.getOutputStream();
        while (true) {
          Chunk c = due.take();
          long wait = c.dueNanos() - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          if (c.bytes() == null) {
            if (!to.isClosed()) {
              to.shutdownOutput();
            }
            ended.run();
            return;
          }
          out.write(c.bytes());
          out.flush();
        }
      } catch (IOException e) {
        closeQuietly(from);
        closeQuietly(to);
        ended.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).start();
  }

  private record Chunk(long dueNanos, byte[] bytes) {
  }

  private static Thread thread(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // already closed or broken: nothing to do
    }
  }

  /** Stops listening and ends every relayed connection. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    sockets.forEach(DelayProxy::closeQuietly);
  }
}
