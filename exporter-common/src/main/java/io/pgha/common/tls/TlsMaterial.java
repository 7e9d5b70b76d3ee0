package io.pgha.common.tls;

import io.pgha.common.ProblemLog;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one loader of TLS certificates, keys and CA bundles for the three exporters, their clients
 * and their web server alike. It hands out a key manager and a trust manager that always use the
 * files as they are on disk now: a file replaced (renamed over, rewritten, a symlink swapped) is
 * read again at the next handshake or {@link #check()}, so certificates rotate without a restart,
 * as the Prometheus exporter-toolkit's do.
 *
 * <p>What can be judged locally is judged before a connection is tried ({@link #check()}): a
 * certificate expired or not yet valid, a key that does not belong to its certificate, a file
 * missing or unreadable. What only the peer's certificate shows (signed by another CA, expired,
 * issued for another host) fails the handshake with a {@link PeerCertificateException} saying so.
 * Every message names the configuration key and the file, never their content.
 *
 * <p>A client's material that turns bad makes its connections fail until it is fixed; a server's
 * keeps serving the last good certificate (and says once why it did not take the new one).
 */
public final class TlsMaterial {
  private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final String ALIAS_PREFIX = "pgha-";

  private enum Role { CLIENT, SERVER }

  /** What was read from the files at one time, and the files' stamps then. */
  private record Snapshot(long generation, List<String> stamps, Optional<X509ExtendedTrustManager> trust,
      X509Certificate[] caCertificates, Optional<PrivateKey> key, X509Certificate[] chain) {}

  private final TlsFiles files;
  private final Role role;
  private final boolean verifyPeer;
  private final ProblemLog problems = new ProblemLog(LOG);
  private final X509ExtendedKeyManager keyManager = new CurrentKeyManager();
  private final X509ExtendedTrustManager trustManager = new CurrentTrustManager();
  private volatile Snapshot current;
  private volatile Snapshot previous;
  /** The reason the files as they are now cannot be used (client side); null when they can. */
  private volatile TlsFileException failure;
  private volatile List<String> failedStamps;
  private SSLContext sslContext;

  private TlsMaterial(TlsFiles files, Role role, boolean verifyPeer) {
    this.files = files;
    this.role = role;
    this.verifyPeer = verifyPeer;
  }

  /**
   * A client's material: {@code files.ca()} to check the server with (the JVM's trusted CAs when
   * absent), {@code files.cert()} and {@code key()} to present when the server asks. With
   * {@code verifyServer} false any server certificate is accepted (an explicit, insecure choice).
   * Files that are unusable now do not fail here: {@link #check()} says why, as long as they are.
   */
  public static TlsMaterial client(TlsFiles files, boolean verifyServer) {
    TlsMaterial m = new TlsMaterial(files, Role.CLIENT, verifyServer);
    m.refresh();
    return m;
  }

  /**
   * A server's material: its certificate and key (required), and the CA that clients'
   * certificates are checked against, if any. Fails at once with the reason when the files cannot
   * be used, so a bad configuration stops the exporter before it listens.
   */
  public static TlsMaterial server(TlsFiles files) {
    if (files.cert().isEmpty() || files.key().isEmpty()) {
      throw new IllegalArgumentException("a server needs a certificate and a key");
    }
    TlsMaterial m = new TlsMaterial(files, Role.SERVER, true);
    m.refresh();
    if (m.failure != null) {
      throw m.failure;
    }
    return m;
  }

  public TlsFiles files() {
    return files;
  }

  public boolean verifiesPeer() {
    return verifyPeer;
  }

  /**
   * The files read again if they changed, and judged now: a {@link TlsFileException} with the
   * reason when they cannot be used. Returns the generation of the material in use, which grows
   * whenever changed files were read: a client keeping connections drops them when it grew.
   */
  public long check() {
    Snapshot s = refresh();
    if (failure != null) {
      throw failure;
    }
    if (role == Role.CLIENT && s.chain().length > 0) {
      String validity = validity(s.chain()[0], Instant.now());
      if (validity != null) {
        throw new TlsFileException(files.cert().orElseThrow().key(), files.cert().orElseThrow().path(), validity);
      }
    }
    return s.generation();
  }

  /** Presents the certificate as the files hold it at each handshake. */
  public X509ExtendedKeyManager keyManager() {
    return keyManager;
  }

  /** Checks the peer's certificate against the CA file as it is at each handshake. */
  public X509ExtendedTrustManager trustManager() {
    return trustManager;
  }

  /** A JSSE context on this material's managers, for clients that take one (java.net.http, pgjdbc's sockets). */
  public synchronized SSLContext sslContext() {
    if (sslContext == null) {
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new javax.net.ssl.KeyManager[] {keyManager}, new javax.net.ssl.TrustManager[] {trustManager}, null);
        sslContext = context;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("no TLS in this JVM: " + e.getMessage(), e);
      }
    }
    return sslContext;
  }

  /**
   * What went wrong in a connection, in one line when TLS was the cause: the reason this loader
   * gave, or the peer refusing our certificate (naming our certificate file). Empty otherwise.
   */
  public Optional<String> explain(Throwable failure) {
    Optional<String> own = TlsErrors.describe(failure);
    if (own.isPresent() && own.get().equals(TlsErrors.CLOSED_IN_HANDSHAKE) && files.cert().isPresent()) {
      return Optional.of(closedInHandshake());
    }
    if (own.isPresent() && own.get().startsWith(TlsErrors.REFUSED_OUR_CERTIFICATE) && files.cert().isPresent()) {
      return Optional.of(own.get().replace(TlsErrors.REFUSED_OUR_CERTIFICATE,
          TlsErrors.REFUSED_OUR_CERTIFICATE + " in " + files.cert().get()));
    }
    if (own.isPresent() && own.get().startsWith(TlsErrors.REFUSED_OUR_CERTIFICATE)) {
      return Optional.of("the server asks for a client certificate and none is configured "
          + own.get().substring(TlsErrors.REFUSED_OUR_CERTIFICATE.length()).strip());
    }
    return own;
  }

  /**
   * For a connection being set up to a server that refuses a client certificate by dropping the
   * connection (OpenSSL under TLS 1.3: PostgreSQL): the client reads the alert, a reset or a broken
   * pipe, as the race goes. One wording for all three, so a lasting refusal logs one line, not one
   * per outcome. Empty without a client certificate, or for any other failure.
   */
  public Optional<String> refusedWhileConnecting(Throwable failure) {
    if (files.cert().isEmpty()) {
      return Optional.empty();
    }
    Optional<String> own = TlsErrors.describe(failure);
    boolean refused = own.map(r -> r.startsWith(TlsErrors.REFUSED_OUR_CERTIFICATE)
        || r.equals(TlsErrors.CLOSED_IN_HANDSHAKE)).orElse(false);
    if (!refused && !(own.isEmpty() && TlsErrors.closed(failure))) {
      return Optional.empty();
    }
    return Optional.of(closedInHandshake());
  }

  /** The server dropped us in the handshake, naming the client certificate it may have refused. */
  private String closedInHandshake() {
    return TlsErrors.CLOSED_IN_HANDSHAKE + "; if it refused the client certificate in " + files.cert().orElseThrow()
        + ", its own log says why";
  }

  /** {@code failure}, or a {@link TlsConnectionException} with the reason when TLS was the cause. */
  public Throwable explained(Throwable failure) {
    return explain(failure).<Throwable>map(TlsConnectionException::new).orElse(failure);
  }

  // ---- loading ----

  private synchronized Snapshot refresh() {
    List<String> stamps = stamps();
    Snapshot s = current;
    if (s != null && s.stamps().equals(stamps) && failure == null) {
      return s;
    }
    if (failure != null && stamps.equals(failedStamps)) {
      return s;
    }
    try {
      Snapshot loaded = load(stamps, s == null ? 1 : s.generation() + 1);
      previous = s;
      current = loaded;
      failure = null;
      failedStamps = null;
      if (s != null) {
        LOG.info("{}: read again{}", files, describe(loaded));
        problems.cleared(files.toString());
      }
      return loaded;
    } catch (TlsFileException e) {
      failedStamps = stamps;
      if (role == Role.SERVER && s != null) {
        // Serving on with the certificate that worked beats refusing every scrape.
        problems.failed(files.toString(), e.getMessage() + "; still serving the certificate read before");
        current = new Snapshot(s.generation(), stamps, s.trust(), s.caCertificates(), s.key(), s.chain());
        return current;
      }
      failure = e;
      return s;
    }
  }

  private Snapshot load(List<String> stamps, long generation) {
    Optional<X509ExtendedTrustManager> trust = Optional.empty();
    X509Certificate[] cas = new X509Certificate[0];
    if (files.ca().isPresent()) {
      TlsFiles.File ca = files.ca().get();
      List<X509Certificate> certificates = Pem.certificates(ca);
      Instant now = Instant.now();
      if (certificates.stream().allMatch(c -> validity(c, now) != null)) {
        throw new TlsFileException(ca.key(), ca.path(), "no certificate in it is valid now: " + validity(certificates.get(0), now));
      }
      cas = certificates.toArray(X509Certificate[]::new);
      trust = Optional.of(trustManagerFor(ca, cas));
    }
    Optional<PrivateKey> key = Optional.empty();
    X509Certificate[] chain = new X509Certificate[0];
    if (files.cert().isPresent()) {
      TlsFiles.File certFile = files.cert().get();
      TlsFiles.File keyFile = files.key().orElseThrow();
      chain = Pem.certificates(certFile).toArray(X509Certificate[]::new);
      PrivateKey k = Pem.privateKey(keyFile);
      if (!matches(k, chain[0])) {
        throw new TlsFileException(keyFile.key(), keyFile.path(), "the key does not belong to the certificate in "
            + certFile + " (" + subject(chain[0]) + ")");
      }
      if (role == Role.SERVER) {
        String validity = validity(chain[0], Instant.now());
        if (validity != null) {
          problems.failed(certFile.toString(), validity + "; clients will refuse it");
        } else {
          problems.cleared(certFile.toString());
        }
      }
      key = Optional.of(k);
    }
    return new Snapshot(generation, stamps, trust, cas, key, chain);
  }

  private static X509ExtendedTrustManager trustManagerFor(TlsFiles.File ca, X509Certificate[] cas) {
    try {
      KeyStore store = null;
      if (cas != null) {
        store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < cas.length; i++) {
          store.setCertificateEntry("ca-" + i, cas[i]);
        }
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          return x;
        }
      }
      throw new GeneralSecurityException("no X.509 trust manager");
    } catch (GeneralSecurityException | IOException e) {
      if (ca == null) {
        throw new TlsFileException("the JVM's trusted CAs cannot be read: " + e.getMessage());
      }
      throw new TlsFileException(ca.key(), ca.path(), "cannot be used as trusted CAs (" + e.getMessage() + ")");
    }
  }

  /** The JVM's own trusted CAs, read once and only when a client without a CA file first needs them. */
  private static final class JvmTrust {
    static final X509ExtendedTrustManager MANAGER = trustManagerFor(null, null);
  }

  /** Does the key sign what the certificate's public key verifies? */
  private static boolean matches(PrivateKey key, X509Certificate certificate) {
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "RSASSA-PSS" -> "RSASSA-PSS";
      default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
    };
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      if (algorithm.equals("RSASSA-PSS")) {
        signer.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
            java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
      }
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      if (algorithm.equals("RSASSA-PSS")) {
        verifier.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
            java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
      }
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a key of another kind than the certificate's cannot belong to it
    }
  }

  /** Why the certificate is not valid at {@code now}; null when it is. */
  static String validity(X509Certificate c, Instant now) {
    if (now.isAfter(c.getNotAfter().toInstant())) {
      return "the certificate (" + subject(c) + ") expired on " + TIME.format(c.getNotAfter().toInstant());
    }
    if (now.isBefore(c.getNotBefore().toInstant())) {
      return "the certificate (" + subject(c) + ") is not valid before " + TIME.format(c.getNotBefore().toInstant());
    }
    return null;
  }

  static String subject(X509Certificate c) {
    return c.getSubjectX500Principal().getName();
  }

  private String describe(Snapshot s) {
    return s.chain().length == 0 ? ""
        : " (certificate " + subject(s.chain()[0]) + ", valid until " + TIME.format(s.chain()[0].getNotAfter().toInstant()) + ")";
  }

  /** What identifies each file's content now: a change of any means it is read again. */
  private List<String> stamps() {
    List<String> stamps = new ArrayList<>();
    for (TlsFiles.File f : files.all()) {
      stamps.add(stamp(f.path()));
    }
    return stamps;
  }

  private static String stamp(Path path) {
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      return a.fileKey() + "/" + a.lastModifiedTime().toMillis() + "/" + a.size();
    } catch (IOException e) {
      return "unreadable: " + e.getClass().getSimpleName();
    }
  }

  /** The current material for a handshake: a refresh, or what was read last if that fails. */
  private Snapshot forHandshake() {
    Snapshot s = refresh();
    return s != null ? s : current;
  }

  private Snapshot byAlias(String alias) {
    if (alias == null || !alias.startsWith(ALIAS_PREFIX)) {
      return null;
    }
    long generation;
    try {
      generation = Long.parseLong(alias.substring(ALIAS_PREFIX.length()));
    } catch (NumberFormatException e) {
      return null;
    }
    // A handshake that chose its alias just before a reload still gets the pair it chose.
    for (Snapshot s : new Snapshot[] {current, previous}) {
      if (s != null && s.generation() == generation) {
        return s;
      }
    }
    return null;
  }

  // ---- the managers handed to Vert.x, gRPC and pgjdbc ----

  private final class CurrentKeyManager extends X509ExtendedKeyManager {
    private String alias(String... keyTypes) {
      Snapshot s = forHandshake();
      if (s == null || s.key().isEmpty() || (role == Role.CLIENT && failure != null)) {
        return null;
      }
      String algorithm = s.key().get().getAlgorithm();
      for (String type : keyTypes) {
        if (type != null && (type.equalsIgnoreCase(algorithm) || type.startsWith(algorithm)
            || (algorithm.startsWith("Ed") && type.equalsIgnoreCase("EdDSA")))) {
          return ALIAS_PREFIX + s.generation();
        }
      }
      return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      String a = alias(keyType);
      return a == null ? null : new String[] {a};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return alias(keyType);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return alias(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return alias(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return alias(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      Snapshot s = byAlias(alias);
      return s == null ? null : s.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      Snapshot s = byAlias(alias);
      return s == null ? null : s.key().orElse(null);
    }
  }

  private final class CurrentTrustManager extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      if (verifyPeer) {
        check(chain, peerHost(socket), "server", t -> t.checkServerTrusted(chain, authType, socket));
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      if (verifyPeer) {
        check(chain, engine == null ? null : engine.getPeerHost(), "server", t -> t.checkServerTrusted(chain, authType, engine));
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      if (verifyPeer) {
        check(chain, null, "server", t -> t.checkServerTrusted(chain, authType));
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      check(chain, null, "client", t -> t.checkClientTrusted(chain, authType, socket));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      check(chain, null, "client", t -> t.checkClientTrusted(chain, authType, engine));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain, null, "client", t -> t.checkClientTrusted(chain, authType));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      Snapshot s = forHandshake();
      return s == null ? new X509Certificate[0] : s.caCertificates().clone();
    }
  }

  @FunctionalInterface
  private interface Verification {
    void run(X509ExtendedTrustManager trust) throws CertificateException;
  }

  private void check(X509Certificate[] chain, String host, String peer, Verification verification)
      throws CertificateException {
    Snapshot s = forHandshake();
    String against = files.ca().map(f -> "checked against " + f).orElse("checked against the JVM's trusted CAs (no CA file set)");
    if (s != null && s.trust().isEmpty() && role == Role.CLIENT) {
      s = new Snapshot(s.generation(), s.stamps(), Optional.of(JvmTrust.MANAGER), s.caCertificates(), s.key(), s.chain());
    }
    if (s == null || s.trust().isEmpty()) {
      throw new PeerCertificateException("the " + peer + "'s certificate cannot be checked: "
          + (failure != null ? failure.getMessage() : "no CA file"));
    }
    if (chain == null || chain.length == 0) {
      throw new PeerCertificateException("the " + peer + " sent no certificate");
    }
    X509Certificate leaf = chain[0];
    String validity = validity(leaf, Instant.now());
    if (validity != null) {
      throw new PeerCertificateException("the " + peer + "'s certificate is refused: " + validity.replace("the certificate ", "")
          + forHost(host));
    }
    try {
      verification.run(s.trust().get());
    } catch (CertificateException e) {
      throw new PeerCertificateException(TlsErrors.peerRefused(peer, leaf, host, e, against));
    }
  }

  private static String forHost(String host) {
    return host == null ? "" : " (connecting to " + host + ")";
  }

  private static String peerHost(Socket socket) {
    if (socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null) {
      return ssl.getHandshakeSession().getPeerHost();
    }
    return socket == null || socket.getInetAddress() == null ? null : socket.getInetAddress().getHostAddress();
  }

  /** The names a certificate is valid for, as {@code DNS:x, IP:y}. */
  static String names(X509Certificate c) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alt = c.getSubjectAlternativeNames();
      if (alt != null) {
        for (List<?> entry : alt) {
          Object type = entry.get(0);
          if (Objects.equals(type, 2)) {
            names.add("DNS:" + entry.get(1));
          } else if (Objects.equals(type, 7)) {
            names.add("IP:" + entry.get(1));
          }
        }
      }
    } catch (java.security.cert.CertificateParsingException e) {
      // no readable names: said below
    }
    return names.isEmpty() ? "no subject alternative names" : String.join(", ", names);
  }

  static boolean isValidityProblem(Throwable t) {
    for (Throwable e = t; e != null; e = e.getCause()) {
      if (e instanceof CertificateExpiredException || e instanceof CertificateNotYetValidException) {
        return true;
      }
    }
    return false;
  }

  static String time(Date date) {
    return TIME.format(date.toInstant());
  }
}
