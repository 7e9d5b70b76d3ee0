package io.pgha.patroni;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link QuickAck} reaches the socket of a Vert.x client connection (Linux's TCP_QUICKACK, read back). */
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
    HttpServer server = vertx.createHttpServer().requestHandler(r -> r.response().end("{}"))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    HttpClientAgent client = vertx.createHttpClient();
    boolean[] seen = new boolean[3];
    HttpClientResponse response = client.request(new RequestOptions().setMethod(HttpMethod.GET)
            .setHost("127.0.0.1").setPort(server.actualPort()).setURI("/patroni"))
        .compose(request -> request.send().onSuccess(headers -> {
          Channel channel = QuickAck.channel(request.connection());
          // Delayed acknowledgements, as a TLS handshake leaves them ...
          channel.config().setOption(QuickAck.OPTION, false);
          seen[0] = channel.config().getOption(QuickAck.OPTION);
          // ... and at once again.
          seen[1] = QuickAck.now(request.connection());
          seen[2] = channel.config().getOption(QuickAck.OPTION);
        }))
        .await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(seen).containsExactly(false, true, true);
  }

  @Test
  void withoutAVertxConnectionNothingHappens() {
    assertThat(QuickAck.channel(null)).isNull();
    assertThat(QuickAck.now(null)).isFalse();
  }
}
