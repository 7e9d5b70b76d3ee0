package io.pgha.etcd;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every unary etcd call a gRPC deadline. jetcd sets none, so without it a call to a member
 * that accepts the connection but never answers stays pending long after the scrape gave up on it.
 * Streams (the watch, lease keep-alives) live on and are left alone.
 */
final class CallDeadline implements ClientInterceptor {
  private final long millis;

  CallDeadline(Duration timeout) {
    this.millis = timeout.toMillis();
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    if (method.getType() == MethodDescriptor.MethodType.UNARY && options.getDeadline() == null) {
      return next.newCall(method, options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS));
    }
    return next.newCall(method, options);
  }
}
