package io.pgha.common.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.common.CapturedStderr;
import io.pgha.common.ErrorText;
import io.pgha.common.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS loader on real handshakes (JSSE sockets on loopback) with certificates made by openssl:
 * every bad case gives its own clear reason naming the file, and files replaced on disk are used
 * by the next handshake, on both sides.
 */
class TlsMaterialTest {
  @TempDir static Path pkiDir;
  @TempDir Path dir;
  private static TestPki ca;
  private static TestPki otherCa;
  private static TestPki.Issued server;
  private static TestPki.Issued client;

  private final ExecutorService serverThread = Executors.newSingleThreadExecutor();
  @RegisterExtension final CapturedStderr log = new CapturedStderr();

  @BeforeAll
  static void pki() throws Exception {
    ca = TestPki.create(pkiDir, "test-ca");
    otherCa = TestPki.create(pkiDir, "other-ca");
    server = ca.issue("server", "127.0.0.1", "localhost");
    client = ca.issue("client");
  }


  @AfterEach
  void restore() {
    serverThread.shutdownNow();
  }

  private static TlsFiles files(Path caFile, TestPki.Issued pair) {
    return new TlsFiles(Optional.ofNullable(caFile).map(p -> new TlsFiles.File("ca_file", p)),
        Optional.ofNullable(pair).map(p -> new TlsFiles.File("cert_file", p.certFile())),
        Optional.ofNullable(pair).map(p -> new TlsFiles.File("key_file", p.keyFile())));
  }

  /** Copies of an issued pair that the test may replace, as an operator would. */
  private TestPki.Issued copy(String name, TestPki.Issued from) throws IOException {
    TestPki.Issued to = new TestPki.Issued(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
    TestPki.install(from, to.certFile(), to.keyFile());
    return to;
  }

  /** What one connection saw: the certificate each side presented, or the client's failure. */
  private record Exchange(String serverSerial, String clientSerial, Throwable clientFailure) {}

  /** One connection from {@code clientTls} to a server on {@code serverTls} requiring a client certificate. */
  private Exchange connect(TlsMaterial serverTls, TlsMaterial clientTls, String host) throws Exception {
    java.net.ServerSocket listener = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    Future<String> seenByServer = serverThread.submit(() -> {
      try (java.net.Socket raw = listener.accept()) {
        raw.setSoTimeout(5000);
        SSLSocket s = (SSLSocket) serverTls.sslContext().getSocketFactory().createSocket(raw, null, false);
        s.setUseClientMode(false);
        s.setNeedClientAuth(true);
        try {
          s.startHandshake();
          String serial = ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16);
          s.getOutputStream().write('x');
          s.getOutputStream().flush();
          return serial;
        } catch (IOException e) {
          // A refusing server sends its alert; closing with the client's last handshake bytes still
          // unread would reset the connection before the client reads it (a race, not the case under
          // test). Real servers linger the same way: read until the client has hung up.
          raw.shutdownOutput();
          drain(raw.getInputStream());
          return null;
        }
      } catch (IOException e) {
        return null;
      } finally {
        listener.close();
      }
    });
    String serverSerial;
    Throwable failure = null;
    try (SSLSocket s = (SSLSocket) clientTls.sslContext().getSocketFactory().createSocket(host, listener.getLocalPort())) {
      s.setSoTimeout(5000);
      SSLParameters p = s.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS");
      s.setSSLParameters(p);
      s.startHandshake();
      InputStream in = s.getInputStream();
      // TLS 1.3: the server judges our certificate after our side finished; its verdict comes with the first read.
      if (in.read() != 'x') {
        throw new IOException("no byte from the server");
      }
      serverSerial = ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16);
    } catch (IOException e) {
      serverSerial = null;
      failure = e;
    }
    String clientSerial = seenByServer.get(10, TimeUnit.SECONDS);
    return failure == null ? new Exchange(serverSerial, clientSerial, null) : new Exchange(null, null, failure);
  }

  private static void drain(InputStream in) {
    byte[] buffer = new byte[4096];
    try {
      while (in.read(buffer) >= 0) {
        // until the peer's end of stream
      }
    } catch (IOException e) {
      // reset or timed out: nothing more to wait for
    }
  }

  private static String serial(Path cert) throws Exception {
    return TestPki.serial(cert).toLowerCase().replaceFirst("^0+", "");
  }

  @Test
  void aGoodPairOnBothSidesShakesHands() throws Exception {
    TlsMaterial serverTls = TlsMaterial.server(files(ca.caFile(), server));
    TlsMaterial clientTls = TlsMaterial.client(files(ca.caFile(), client), true);
    assertThat(clientTls.check()).isEqualTo(1);
    Exchange e = connect(serverTls, clientTls, "127.0.0.1");
    assertThat(e.clientFailure()).isNull();
    assertThat(e.serverSerial()).isEqualTo(serial(server.certFile()));
    assertThat(e.clientSerial()).isEqualTo(serial(client.certFile()));
  }

  @Test
  void readsKeysInPkcs8Pkcs1AndSec1AndRefusesEncryptedOnes() throws Exception {
    Path sec1 = TestPki.traditional(client.keyFile(), dir.resolve("sec1.key"));
    assertThat(Files.readString(sec1)).contains("BEGIN EC PRIVATE KEY");
    TlsMaterial.client(files(ca.caFile(), new TestPki.Issued(client.certFile(), sec1)), true).check();

    TestPki.Issued rsa = ca.issueRsaPkcs1("rsa-client");
    assertThat(Files.readString(rsa.keyFile())).contains("BEGIN RSA PRIVATE KEY");
    TlsMaterial rsaTls = TlsMaterial.client(files(ca.caFile(), rsa), true);
    rsaTls.check();
    Exchange e = connect(TlsMaterial.server(files(ca.caFile(), server)), rsaTls, "127.0.0.1");
    assertThat(e.clientFailure()).isNull();
    assertThat(e.clientSerial()).isEqualTo(serial(rsa.certFile()));

    Path encrypted = dir.resolve("encrypted.key");
    new ProcessBuilder("openssl", "pkey", "-in", client.keyFile().toString(), "-aes256", "-passout", "pass:secret",
        "-out", encrypted.toString()).start().waitFor();
    assertThat(Files.readString(encrypted)).contains("ENCRYPTED PRIVATE KEY");
    assertThatThrownBy(() -> TlsMaterial.client(files(ca.caFile(), new TestPki.Issued(client.certFile(), encrypted)), true).check())
        .isInstanceOf(TlsFileException.class)
        .hasMessage("key_file " + encrypted + ": the private key is encrypted; give an unencrypted one "
            + "(openssl pkey -in KEY -out KEY.plain), readable by the exporter only");
  }

  @Test
  void expiredNotYetValidAndMismatchedClientMaterialIsRefusedBeforeConnecting() throws Exception {
    Instant now = Instant.now();
    TestPki.Issued expired = ca.issue("expired", now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)));
    TestPki.Issued early = ca.issue("early", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(3)));
    TestPki.Issued other = ca.issue("other");

    assertThatThrownBy(() -> TlsMaterial.client(files(ca.caFile(), expired), true).check())
        .isInstanceOf(TlsFileException.class)
        .hasMessageStartingWith("cert_file " + expired.certFile() + ": the certificate (CN=expired) expired on ");
    assertThatThrownBy(() -> TlsMaterial.client(files(ca.caFile(), early), true).check())
        .hasMessageStartingWith("cert_file " + early.certFile() + ": the certificate (CN=early) is not valid before ");
    TestPki.Issued mismatched = new TestPki.Issued(client.certFile(), other.keyFile());
    assertThatThrownBy(() -> TlsMaterial.client(files(ca.caFile(), mismatched), true).check())
        .hasMessage("key_file " + other.keyFile() + ": the key does not belong to the certificate in cert_file "
            + client.certFile() + " (CN=client)");
    String keyText = Files.readString(other.keyFile());
    String body = keyText.substring(keyText.indexOf('\n') + 1, keyText.indexOf('\n') + 30);
    assertThat(log.text()).doesNotContain(body);
  }

  @Test
  void aServerCertificateFromAnotherCaExpiredOrForAnotherHostIsRefusedWithItsReason() throws Exception {
    TlsMaterial clientTls = TlsMaterial.client(files(ca.caFile(), client), true);

    TestPki.Issued foreign = otherCa.issue("foreign", "127.0.0.1");
    Exchange wrongCa = connect(TlsMaterial.server(files(ca.caFile(), foreign)), clientTls, "127.0.0.1");
    assertThat(ErrorText.describe(wrongCa.clientFailure())).isEqualTo("the server's certificate (CN=foreign), issued by "
        + "CN=other-ca, is not signed by a trusted CA, checked against ca_file " + ca.caFile());

    Instant now = Instant.now();
    TestPki.Issued expired = ca.issue("old-server", now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)), "127.0.0.1");
    Exchange old = connect(TlsMaterial.server(files(ca.caFile(), expired)), clientTls, "127.0.0.1");
    assertThat(ErrorText.describe(old.clientFailure()))
        .startsWith("the server's certificate is refused: (CN=old-server) expired on ").endsWith(" (connecting to 127.0.0.1)");

    TestPki.Issued elsewhere = ca.issue("pg-2", "127.0.0.22", "pg-2");
    Exchange mismatch = connect(TlsMaterial.server(files(ca.caFile(), elsewhere)), clientTls, "127.0.0.1");
    assertThat(ErrorText.describe(mismatch.clientFailure()))
        .isEqualTo("the server's certificate (CN=pg-2) is not valid for 127.0.0.1: it names IP:127.0.0.22, DNS:pg-2");

    TlsMaterial insecure = TlsMaterial.client(files(null, client), false);
    assertThat(connect(TlsMaterial.server(files(ca.caFile(), foreign)), insecure, "127.0.0.1").clientFailure())
        .as("insecure_skip_verify accepts anything").isNull();
  }

  @Test
  void theServerRefusingOurCertificateNamesOurCertificateFile() throws Exception {
    TestPki.Issued foreignClient = otherCa.issue("foreign-client");
    TlsMaterial clientTls = TlsMaterial.client(files(ca.caFile(), foreignClient), true);
    Exchange e = connect(TlsMaterial.server(files(ca.caFile(), server)), clientTls, "127.0.0.1");
    assertThat(e.clientFailure()).isNotNull();
    assertThat(clientTls.explain(e.clientFailure())).hasValueSatisfying(reason -> assertThat(reason)
        .startsWith("the server refused the client certificate in cert_file " + foreignClient.certFile() + " (TLS alert "));

    TlsMaterial none = TlsMaterial.client(files(ca.caFile(), null), true);
    Exchange without = connect(TlsMaterial.server(files(ca.caFile(), server)), none, "127.0.0.1");
    assertThat(none.explain(without.clientFailure())).hasValueSatisfying(reason -> assertThat(reason)
        .startsWith("the server asks for a client certificate and none is configured (TLS alert "));
  }

  @Test
  void filesReplacedOnDiskAreUsedByTheNextHandshakeOnBothSides() throws Exception {
    TestPki.Issued serverFiles = copy("server", server);
    TestPki.Issued clientFiles = copy("client", client);
    TlsMaterial serverTls = TlsMaterial.server(files(ca.caFile(), serverFiles));
    TlsMaterial clientTls = TlsMaterial.client(files(ca.caFile(), clientFiles), true);
    assertThat(connect(serverTls, clientTls, "127.0.0.1").clientSerial()).isEqualTo(serial(client.certFile()));

    TestPki.Issued newServer = ca.issue("server-renewed", "127.0.0.1");
    TestPki.Issued newClient = ca.issue("client-renewed");
    TestPki.install(newServer, serverFiles.certFile(), serverFiles.keyFile());
    TestPki.install(newClient, clientFiles.certFile(), clientFiles.keyFile());
    assertThat(clientTls.check()).as("the client's generation grows: connections kept are to be renewed").isEqualTo(2);
    Exchange renewed = connect(serverTls, clientTls, "127.0.0.1");
    assertThat(renewed.clientFailure()).isNull();
    assertThat(renewed.serverSerial()).isEqualTo(serial(newServer.certFile()));
    assertThat(renewed.clientSerial()).isEqualTo(serial(newClient.certFile()));
    assertThat(log.text()).contains("read again (certificate CN=client-renewed, valid until ");
  }

  @Test
  void aServerKeepsItsLastGoodCertificateWhenTheNewOneIsBrokenAndSaysSoOnce() throws Exception {
    TestPki.Issued serverFiles = copy("server", server);
    TlsMaterial serverTls = TlsMaterial.server(files(ca.caFile(), serverFiles));
    TlsMaterial clientTls = TlsMaterial.client(files(ca.caFile(), client), true);
    // A new certificate without its new key yet: the pair does not match.
    Files.copy(ca.issue("half-rotated", "127.0.0.1").certFile(), serverFiles.certFile(),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    for (int i = 0; i < 3; i++) {
      Exchange e = connect(serverTls, clientTls, "127.0.0.1");
      assertThat(e.clientFailure()).isNull();
      assertThat(e.serverSerial()).isEqualTo(serial(server.certFile()));
    }
    String logged = log.text();
    String line = "key_file " + serverFiles.keyFile() + ": the key does not belong to the certificate in cert_file "
        + serverFiles.certFile() + " (CN=half-rotated); still serving the certificate read before";
    assertThat(logged).contains(line);
    assertThat(logged.split(java.util.regex.Pattern.quote(line), -1)).as("logged once").hasSize(2);
  }

  @Test
  void aServerThatCannotReadItsFilesAtStartFailsWithTheReason() throws Exception {
    TestPki.Issued other = ca.issue("other");
    assertThatThrownBy(() -> TlsMaterial.server(files(null, new TestPki.Issued(server.certFile(), other.keyFile()))))
        .isInstanceOf(TlsFileException.class).hasMessageStartingWith("key_file " + other.keyFile() + ": the key does not belong");
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> TlsMaterial.server(files(null, new TestPki.Issued(garbage, server.keyFile()))))
        .hasMessageStartingWith("cert_file " + garbage + ": not a valid certificate (");
  }
}
