package io.pgha.patroni;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.pgha.patroni.api.UnexpectedResponseException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * One {@code GET} on a connection of its own, closed after the answer: all Patroni's REST API
 * (3.0.2 speaks HTTP/1.0) offers. Netty directly, on the event loop of the Vert.x context that asks,
 * so the request, the answer and what the caller does with it stay on one thread.
 *
 * <p>Not Vert.x's HTTP client: a scrape of a hundred scopes makes 500 requests, and the client's
 * per-connection machinery (a connection pool per member address made and dropped for every
 * request, message queues of 1,024 slots per connection) cost 87-93 ms of CPU per 500 requests
 * on the bench's 2-core machine, against 52-58 ms for the same requests on bare Netty.
 *
 * <p>The answer is read whole, up to {@link #MAX_BODY} bytes; every failure (cannot connect, TLS,
 * not HTTP, closed early, too long, no answer before the deadline) fails the future and closes the
 * connection.
 */
final class PatroniHttp {
  /** The longest answer read; Patroni's largest, {@code /history}, takes about 120 bytes per failover. */
  static final int MAX_BODY = 16 << 20;

  /** Status and body of an answer. */
  record Answer(int status, byte[] body) {}

  private final VertxInternal vertx;
  /** Vert.x's own transport and name resolver, looked up once: every request uses them. */
  private final ChannelFactory<? extends Channel> channels;
  private final AddressResolverGroup<InetSocketAddress> resolver;

  PatroniHttp(Vertx vertx) {
    this.vertx = (VertxInternal) vertx;
    this.channels = this.vertx.transport().channelFactory(false);
    this.resolver = this.vertx.nameResolver().nettyAddressResolverGroup();
  }

  /**
   * {@code GET path} at {@code server}'s host and port, with {@code headers}; over TLS when
   * {@code tls} is given (a context for this request's handshake, and whether to check that the
   * certificate names the host), then acknowledging an answer's headers at once ({@link QuickAck}).
   * The whole exchange ends within {@code timeoutMillis}.
   */
  Future<Answer> get(URI server, String path, Map<CharSequence, String> headers, long timeoutMillis,
      SSLContext tls, boolean verifyHost) {
    ContextInternal context = vertx.getOrCreateContext();
    Promise<Answer> promise = context.promise();
    String host = host(server);
    int port = server.getPort() >= 0 ? server.getPort() : tls != null ? 443 : 80;
    Exchange exchange = new Exchange(promise, path);
    EventLoop loop = context.nettyEventLoop();
    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .channelFactory(channels)
        .resolver(resolver)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMillis)))
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ChannelPipeline p = ch.pipeline();
            if (tls != null) {
              SSLEngine engine = tls.createSSLEngine(host, port);
              engine.setUseClientMode(true);
              // Patroni's REST server (Python's ssl) ends a TLS 1.3 connection from the JDK's TLS
              // right after the handshake, before answering: seen with Patroni 3.0.2 and
              // verify_client. TLS 1.2 is what every Patroni serves.
              engine.setEnabledProtocols(new String[] {"TLSv1.2"});
              if (verifyHost) {
                SSLParameters parameters = engine.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                engine.setSSLParameters(parameters);
              }
              SslHandler ssl = new SslHandler(engine);
              ssl.setHandshakeTimeoutMillis(Math.max(1, timeoutMillis));
              p.addLast(ssl);
            }
            p.addLast(new HttpClientCodec());
            if (tls != null) {
              p.addLast(new QuickAckOnHeaders());
            }
            p.addLast(new HttpObjectAggregator(MAX_BODY));
            p.addLast(exchange);
          }
        });
    DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
        path == null || path.isEmpty() ? "/" : path, Unpooled.EMPTY_BUFFER);
    request.headers()
        .set(HttpHeaderNames.HOST, hostHeader(server, port, tls != null))
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    headers.forEach((name, value) -> request.headers().set(name, value));
    // On the loop, so the exchange's state is only ever touched by its thread.
    Runnable begin = () -> {
      ChannelFuture connecting = bootstrap.connect(host, port);
      // The deadline covers the whole exchange: resolving the name, connecting, TLS, the answer.
      exchange.start(connecting.channel(), loop, timeoutMillis);
      connecting.addListener((ChannelFutureListener) connected -> {
        if (!connected.isSuccess()) {
          exchange.fail(connected.cause());
          return;
        }
        Channel channel = connected.channel();
        channel.writeAndFlush(request).addListener((ChannelFutureListener) written -> {
          if (!written.isSuccess()) {
            exchange.fail(written.cause());
            channel.close();
          }
        });
      });
    };
    if (loop.inEventLoop()) {
      begin.run();
    } else {
      loop.execute(begin);
    }
    return promise.future();
  }

  /** The host to connect to: an IPv6 literal without the brackets URI keeps. */
  private static String host(URI server) {
    String host = server.getHost();
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  /** {@code Host}: the URL's host, with the port unless it is the scheme's own. */
  private static String hostHeader(URI server, int port, boolean https) {
    return port == (https ? 443 : 80) ? server.getHost() : server.getHost() + ":" + port;
  }

  /** Sends the acknowledgement of what has arrived when an answer's headers do (see {@link QuickAck}). */
  private static final class QuickAckOnHeaders extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpResponse) {
        QuickAck.now(ctx.channel());
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** One request's end: the answer, or the first failure; the connection closed either way. */
  private static final class Exchange extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final Promise<Answer> promise;
    private final String path;
    private ScheduledFuture<?> deadline;
    private Channel channel;

    Exchange(Promise<Answer> promise, String path) {
      this.promise = promise;
      this.path = path;
    }

    /** The exchange begins on {@code channel}: the deadline starts. */
    void start(Channel channel, EventLoop loop, long timeoutMillis) {
      this.channel = channel;
      deadline = loop.schedule(
          () -> fail(new TimeoutException(path + ": no answer within " + timeoutMillis + " ms")),
          timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      if (response.decoderResult().isFailure()) {
        Throwable cause = response.decoderResult().cause();
        fail(cause instanceof TooLongFrameException
            ? tooLong()
            : new UnexpectedResponseException(path + ": not an HTTP answer (" + cause.getMessage() + ")"));
        return;
      }
      ByteBuf content = response.content();
      end(new Answer(response.status().code(), ByteBufUtil.getBytes(content)), null);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      fail(new IOException(path + ": the connection closed before the answer"));
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof TooLongFrameException) {
        fail(tooLong());
      } else if (cause instanceof PrematureChannelClosureException) {
        fail(new IOException(path + ": the connection closed before the whole answer"));
      } else {
        fail(cause);
      }
    }

    /** The aggregator's refusal of an answer over {@link #MAX_BODY}, as it reaches either handler method. */
    private UnexpectedResponseException tooLong() {
      return new UnexpectedResponseException(path + ": answer longer than " + MAX_BODY + " bytes");
    }

    void fail(Throwable cause) {
      end(null, cause);
    }

    private void end(Answer answer, Throwable cause) {
      if (deadline != null) {
        deadline.cancel(false);
      }
      if (channel != null) {
        channel.close();
      }
      if (cause == null) {
        promise.tryComplete(answer);
      } else {
        promise.tryFail(cause);
      }
    }
  }
}
