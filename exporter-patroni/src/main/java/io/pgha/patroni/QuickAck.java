package io.pgha.patroni;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import jdk.net.ExtendedSocketOptions;

/**
 * Makes the kernel acknowledge at once what a connection to Patroni has received (Linux's
 * {@code TCP_QUICKACK}, which also sends an acknowledgement already delayed).
 *
 * <p>Why: Patroni's REST server writes an answer's headers and its body separately, and Nagle's
 * algorithm on its side holds the body until the headers are acknowledged. Over TLS the handshake
 * leaves the client's kernel delaying acknowledgements (up to 40 ms), so every answer over HTTPS
 * waited about 40 ms for that (Patroni 3.0.2: 48 ms median for {@code /patroni}, 4-5 ms with the
 * acknowledgement sent on the first bytes of the answer). The option does not last, so it is set
 * when the answer's headers have arrived, not when the connection opens (which did not help).
 *
 * <p>Where the option is not there (another transport, another system) nothing happens and the
 * answer just comes later.
 */
final class QuickAck {
  static final ChannelOption<Boolean> OPTION = NioChannelOption.of(ExtendedSocketOptions.TCP_QUICKACK);

  private QuickAck() {}

  /** Sends what the connection's kernel would delay now; false when that cannot be done here. */
  static boolean now(Channel channel) {
    try {
      return channel.config().setOption(OPTION, true);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
