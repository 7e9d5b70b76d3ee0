package io.pgha.common;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * HTTP basic authentication against bcrypt hashes, as in the exporter-toolkit web config.
 *
 * <p>bcrypt is deliberately slow (tens of milliseconds), so it runs on a worker thread, never on
 * the event loop, and successful checks are remembered by a SHA-256 digest of the credentials so a
 * Prometheus scraping every few seconds does not pay for it each time. Neither passwords nor hashes
 * are ever logged.
 */
public final class BasicAuth implements Handler<RoutingContext> {
  static final Pattern BCRYPT_HASH = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");
  private static final int MAX_REMEMBERED = 256;
  private static final BCrypt.Verifyer VERIFYER =
      BCrypt.verifyer(BCrypt.Version.VERSION_2A, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));

  private final Map<String, byte[]> hashes;
  private final byte[] decoy;
  private final Set<String> verified = ConcurrentHashMap.newKeySet();

  /** {@code users} maps user names to bcrypt hashes ({@code $2a$}, {@code $2b$} or {@code $2y$}). */
  public BasicAuth(Map<String, String> users) {
    if (users.isEmpty()) {
      throw new IllegalArgumentException("no users");
    }
    Map<String, byte[]> copy = new ConcurrentHashMap<>();
    users.forEach((user, hash) -> {
      if (!BCRYPT_HASH.matcher(hash).matches()) {
        throw new IllegalArgumentException("not a bcrypt hash for user " + user);
      }
      copy.put(user, hash.getBytes(StandardCharsets.UTF_8));
    });
    this.hashes = Map.copyOf(copy);
    // An unknown user is checked against a hash of the same cost, so the answer takes as long
    // as for a known user and does not reveal which user names exist.
    int cost = Integer.parseInt(users.values().iterator().next().substring(4, 6));
    this.decoy = BCrypt.withDefaults().hash(cost, "pgha-decoy".toCharArray());
  }

  public int userCount() {
    return hashes.size();
  }

  /** Checks the credentials. Blocking (bcrypt): call it off the event loop. */
  public boolean verify(String user, String password) {
    byte[] hash = hashes.get(user);
    boolean match;
    try {
      match = VERIFYER.verify(password.toCharArray(), hash == null ? decoy : hash).verified;
    } catch (RuntimeException e) {
      match = false;
    }
    return hash != null && match;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Credentials credentials = Credentials.parse(ctx.request().getHeader("Authorization"));
    if (credentials == null) {
      unauthorized(ctx);
      return;
    }
    String key = credentials.digest();
    if (verified.contains(key)) {
      ctx.next();
      return;
    }
    ctx.vertx().executeBlocking(() -> verify(credentials.user(), credentials.password()), false)
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result()) {
            if (verified.size() >= MAX_REMEMBERED) {
              verified.clear();
            }
            verified.add(key);
            ctx.next();
          } else {
            unauthorized(ctx);
          }
        });
  }

  private static void unauthorized(RoutingContext ctx) {
    ctx.response().setStatusCode(401)
        .putHeader("WWW-Authenticate", "Basic realm=\"pgha exporter\", charset=\"UTF-8\"")
        .putHeader("content-type", "text/plain; charset=utf-8")
        .end("Unauthorized\n");
  }

  private record Credentials(String user, String password) {
    static Credentials parse(String header) {
      if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
        return null;
      }
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    String digest() {
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(user.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        return HexFormat.of().formatHex(sha.digest(password.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String toString() {
      return "Credentials[user=" + user + "]";
    }
  }
}
