package io.pgha.etcd;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Adapts jetcd's CompletableFutures to Vert.x futures on our context, each with a deadline. */
final class Calls {
  private Calls() {}

  /**
   * Starts the call and completes on {@code context} (never on a jetcd thread), failing with a
   * TimeoutException after {@code timeoutMillis} even if jetcd keeps waiting.
   */
  static <T> Future<T> call(Context context, long timeoutMillis, Supplier<CompletableFuture<T>> call) {
    CompletableFuture<T> cf;
    try {
      cf = call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Future.fromCompletionStage(cf, context).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }
}
