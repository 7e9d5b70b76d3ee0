package io.pgha.traffic;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a traffic run behaves.
 *
 * @param rate operations per second, writes and reads together
 * @param readRatio share of the operations that are reads, 0 to 1
 * @param connectTimeout bound on opening a connection (TCP and login); whole seconds, at least 1
 * @param socketTimeout bound on waiting for any answer; whole seconds, at least 1
 * @param ledgerCheckTimeout how long the ledger check keeps retrying until a primary answers
 * @param ledgerDirectory where the ledger file goes
 */
public record TrafficOptions(double rate, double readRatio, Duration connectTimeout, Duration socketTimeout,
                             Duration ledgerCheckTimeout, Path ledgerDirectory) {

  public static final double DEFAULT_RATE = 50;
  public static final double DEFAULT_READ_RATIO = 0.5;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_LEDGER_CHECK_TIMEOUT = Duration.ofSeconds(30);
  public static final double MAX_RATE = 5000;

  public TrafficOptions {
    if (!(rate > 0) || rate > MAX_RATE) {
      throw new IllegalArgumentException("rate must be above 0 and at most " + (int) MAX_RATE + " per second: " + rate);
    }
    if (!(readRatio >= 0 && readRatio <= 1)) {
      throw new IllegalArgumentException("read ratio must be between 0 and 1: " + readRatio);
    }
    // pgjdbc takes these in whole seconds.
    requireWholeSeconds(connectTimeout, "connect timeout");
    requireWholeSeconds(socketTimeout, "socket timeout");
    Objects.requireNonNull(ledgerCheckTimeout, "ledgerCheckTimeout");
    Objects.requireNonNull(ledgerDirectory, "ledgerDirectory");
  }

  /** Defaults for everything but the ledger directory, typically {@code <workdir>/traffic}. */
  public static TrafficOptions defaults(Path ledgerDirectory) {
    return new TrafficOptions(DEFAULT_RATE, DEFAULT_READ_RATIO, DEFAULT_CONNECT_TIMEOUT, DEFAULT_SOCKET_TIMEOUT,
        DEFAULT_LEDGER_CHECK_TIMEOUT, ledgerDirectory);
  }

  public TrafficOptions withRate(double newRate, double newReadRatio) {
    return new TrafficOptions(newRate, newReadRatio, connectTimeout, socketTimeout, ledgerCheckTimeout,
        ledgerDirectory);
  }

  public double writesPerSecond() {
    return rate * (1 - readRatio);
  }

  public double readsPerSecond() {
    return rate * readRatio;
  }

  private static void requireWholeSeconds(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.getSeconds() < 1 || duration.getNano() != 0) {
      throw new IllegalArgumentException(what + " must be whole seconds, at least 1: " + duration);
    }
  }
}
