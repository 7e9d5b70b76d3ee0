package io.pgha.patroni;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link QuickAck} reaches the socket of a client channel as {@link PatroniHttp} opens them (Linux's TCP_QUICKACK, read back). */
class QuickAckTest {
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void switchesAConnectionThatDelaysAcknowledgementsToAcknowledgingAtOnce() throws Exception {
    VertxInternal internal = (VertxInternal) vertx;
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Channel channel = new Bootstrap()
          .group(internal.nettyEventLoopGroup())
          .channelFactory(internal.transport().channelFactory(false))
          .handler(new ChannelInboundHandlerAdapter())
          .connect(server.getInetAddress(), server.getLocalPort())
          .sync().channel();
      try (Socket accepted = server.accept()) {
        // Delayed acknowledgements, as a TLS handshake leaves them ...
        channel.config().setOption(QuickAck.OPTION, false);
        boolean before = channel.config().getOption(QuickAck.OPTION);
        // ... and at once again.
        boolean set = QuickAck.now(channel);
        boolean after = channel.config().getOption(QuickAck.OPTION);
        assertThat(new boolean[] {before, set, after}).containsExactly(false, true, true);
      } finally {
        channel.close().sync();
      }
    }
  }

  @Test
  void aChannelWithoutTheOptionIsLeftAlone() {
    EmbeddedChannel channel = new EmbeddedChannel();
    assertThat(QuickAck.now(channel)).isFalse();
    channel.finishAndReleaseAll();
  }
}
