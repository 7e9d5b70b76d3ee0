package io.pgha.lab.client;

import io.pgha.common.tls.TlsFiles;
import io.pgha.common.tls.TlsMaterial;
import io.pgha.lab.topology.ClusterTrust;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS for lab's HTTP clients: one JSSE context whose managers use, at each handshake, the
 * material of every TLS cluster this JVM knows ({@link ClusterTrust}): its CA is trusted, its
 * client certificate presented (etcd with {@code --client-cert-auth} and Patroni's unsafe
 * endpoints ask for it), and its exporters' basic-auth login added. The files are read by
 * exporter-common's {@link TlsMaterial}, so a certificate replaced on disk is used at once.
 */
public final class ClusterTls {
  private static final Map<String, TlsMaterial> MATERIALS = new ConcurrentHashMap<>();
  private static final TlsMaterial JVM_TRUST = TlsMaterial.client(TlsFiles.NONE, true);
  private static final X509ExtendedKeyManager KEYS = new KnownKeys();
  private static final X509ExtendedTrustManager CAS = new KnownCas();
  private static final SSLContext CONTEXT = context();

  private ClusterTls() {}

  /** The context every lab HTTP client uses. */
  public static SSLContext sslContext() {
    return CONTEXT;
  }

  /** Its key manager, for clients that build their own context (gRPC's, for etcd). */
  public static X509ExtendedKeyManager keyManager() {
    return KEYS;
  }

  /** Its trust manager, for clients that build their own context. */
  public static X509ExtendedTrustManager trustManager() {
    return CAS;
  }

  /**
   * {@code Basic ...} for a request to an exporter of a known TLS cluster (its scrape user and
   * password, read from the file each time); empty for anything else.
   */
  public static Optional<String> authorization(URI uri) {
    if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
      return Optional.empty();
    }
    return ClusterTrust.exporterAt(uri.getHost() + ":" + uri.getPort()).map(k -> {
      try {
        String password = Files.readString(Path.of(k.tls().scrapePasswordFile()), StandardCharsets.UTF_8).strip();
        String login = k.tls().scrapeUsername() + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException(k.tls().scrapePasswordFile() + ": cannot read: " + e.getMessage(), e);
      }
    });
  }

  private static List<TlsMaterial> materials() {
    List<TlsMaterial> out = new ArrayList<>();
    for (ClusterTrust.Known k : ClusterTrust.known()) {
      out.add(MATERIALS.compute(k.workdir(), (wd, before) -> before != null && same(before, k.tls()) ? before : material(k.tls())));
    }
    return out;
  }

  private static boolean same(TlsMaterial m, Topology.Tls tls) {
    return m.files().ca().map(f -> f.path().toString()).orElse("").equals(tls.caFile())
        && m.files().cert().map(f -> f.path().toString()).orElse("").equals(tls.certFile());
  }

  private static TlsMaterial material(Topology.Tls tls) {
    return TlsMaterial.client(new TlsFiles(Optional.of(new TlsFiles.File("tls.ca_file", Path.of(tls.caFile()))),
        Optional.of(new TlsFiles.File("tls.cert_file", Path.of(tls.certFile()))),
        Optional.of(new TlsFiles.File("tls.key_file", Path.of(tls.keyFile())))), true);
  }

  private static SSLContext context() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new javax.net.ssl.KeyManager[] {KEYS}, new javax.net.ssl.TrustManager[] {CAS}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JVM: " + e.getMessage(), e);
    }
  }

  /** Trusts what any known cluster's CA (or, knowing none, the JVM) trusts. */
  private static final class KnownCas extends X509ExtendedTrustManager {
    @FunctionalInterface
    private interface Check {
      void run(X509ExtendedTrustManager tm) throws CertificateException;
    }

    private static void any(Check check) throws CertificateException {
      List<TlsMaterial> known = materials();
      if (known.isEmpty()) {
        check.run(JVM_TRUST.trustManager());
        return;
      }
      CertificateException first = null;
      for (TlsMaterial m : known) {
        try {
          check.run(m.trustManager());
          return;
        } catch (CertificateException e) {
          first = first == null ? e : first;
        }
      }
      throw first;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      any(tm -> tm.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      any(tm -> tm.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      any(tm -> tm.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      throw new CertificateException("lab's clients accept no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      throw new CertificateException("lab's clients accept no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("lab's clients accept no clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /**
   * Presents the client certificate of the known cluster whose CA the server asks for (the first
   * known one when it names none). Aliases are {@code <index>/<alias of that cluster's manager>}.
   */
  private static final class KnownKeys extends X509ExtendedKeyManager {
    private String choose(String[] keyType, Principal[] issuers, SSLEngine engine, Socket socket) {
      List<TlsMaterial> known = materials();
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < known.size(); i++) {
          TlsMaterial m = known.get(i);
          if (pass == 0 && !issuedBy(m, issuers)) {
            continue;
          }
          String alias = engine != null ? m.keyManager().chooseEngineClientAlias(keyType, issuers, engine)
              : m.keyManager().chooseClientAlias(keyType, issuers, socket);
          if (alias != null) {
            return i + "/" + alias;
          }
        }
      }
      return null;
    }

    private static boolean issuedBy(TlsMaterial m, Principal[] issuers) {
      if (issuers == null || issuers.length == 0) {
        return true;
      }
      X509Certificate[] cas = m.trustManager().getAcceptedIssuers();
      for (Principal p : issuers) {
        for (X509Certificate ca : cas) {
          if (ca.getSubjectX500Principal().equals(p)) {
            return true;
          }
        }
      }
      return false;
    }

    private static TlsMaterial owner(String alias) {
      List<TlsMaterial> known = materials();
      int slash = alias == null ? -1 : alias.indexOf('/');
      if (slash < 0) {
        return null;
      }
      int index = Integer.parseInt(alias.substring(0, slash));
      return index < known.size() ? known.get(index) : null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return choose(keyType, issuers, null, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return choose(keyType, issuers, engine, null);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      TlsMaterial m = owner(alias);
      return m == null ? null : m.keyManager().getCertificateChain(alias.substring(alias.indexOf('/') + 1));
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      TlsMaterial m = owner(alias);
      return m == null ? null : m.keyManager().getPrivateKey(alias.substring(alias.indexOf('/') + 1));
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      String a = choose(new String[] {keyType}, issuers, null, null);
      return a == null ? null : new String[] {a};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }
}
