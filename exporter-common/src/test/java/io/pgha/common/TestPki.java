package io.pgha.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throwaway certificate authority for TLS tests, driven by openssl ({@code openssl ca}, so a
 * certificate can be issued for any validity period: expired, not yet valid). Keys are EC P-256 in
 * PKCS#8 PEM unless asked otherwise. Every certificate may act as server and as client.
 */
public final class TestPki {
  private static final DateTimeFormatter OPENSSL_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final String name;
  private final AtomicInteger serial = new AtomicInteger();

  /** A certificate and its key as files. */
  public record Issued(Path certFile, Path keyFile) {}

  private TestPki(Path dir, String name) {
    this.dir = dir;
    this.name = name;
  }

  /** A new CA in {@code dir/<name>/}, valid from an hour ago for two days. Needs openssl. */
  public static TestPki create(Path dir, String name) throws IOException, InterruptedException {
    Path home = Files.createDirectories(dir.resolve(name));
    TestPki pki = new TestPki(home, name);
    Files.createDirectories(home.resolve("issued"));
    Files.writeString(home.resolve("index.txt"), "");
    Files.writeString(home.resolve("serial"), "1000\n");
    Files.writeString(home.resolve("ca.cnf"), """
        [ca]
        default_ca = test
        [test]
        dir = %s
        database = $dir/index.txt
        new_certs_dir = $dir/issued
        serial = $dir/serial
        default_md = sha256
        policy = any
        unique_subject = no
        copy_extensions = none
        [any]
        commonName = supplied
        """.formatted(home));
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", pki.caKey().toString(), "-out", pki.caFile().toString(), "-days", "2", "-subj", "/CN=" + name,
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    return pki;
  }

  public Path caFile() {
    return dir.resolve("ca.crt");
  }

  private Path caKey() {
    return dir.resolve("ca.key");
  }

  /** A certificate valid from an hour ago for a day, for these names (IP addresses or DNS names). */
  public Issued issue(String commonName, String... names) throws IOException, InterruptedException {
    Instant now = Instant.now();
    return issue(commonName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), names);
  }

  /** A certificate valid exactly from {@code notBefore} to {@code notAfter}. */
  public Issued issue(String commonName, Instant notBefore, Instant notAfter, String... names)
      throws IOException, InterruptedException {
    String id = commonName.replaceAll("[^A-Za-z0-9.-]", "_") + "-" + serial.incrementAndGet();
    Path key = dir.resolve(id + ".key");
    Path csr = dir.resolve(id + ".csr");
    Path cert = dir.resolve(id + ".crt");
    Path ext = extensions(id, names);
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + commonName);
    openssl("ca", "-batch", "-notext", "-config", dir.resolve("ca.cnf").toString(), "-cert", caFile().toString(),
        "-keyfile", caKey().toString(), "-in", csr.toString(), "-out", cert.toString(),
        "-startdate", OPENSSL_TIME.format(notBefore), "-enddate", OPENSSL_TIME.format(notAfter),
        "-extfile", ext.toString(), "-extensions", "ext");
    return new Issued(cert, key);
  }

  /** The same key in the traditional format: PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}). */
  public static Path traditional(Path pkcs8Key, Path to) throws IOException, InterruptedException {
    openssl("pkey", "-in", pkcs8Key.toString(), "-traditional", "-out", to.toString());
    return to;
  }

  /** An RSA key pair and certificate issued by this CA, the key in PKCS#1 ({@code RSA PRIVATE KEY}). */
  public Issued issueRsaPkcs1(String commonName, String... names) throws IOException, InterruptedException {
    Path rsaKey = dir.resolve(commonName + "-rsa.key");
    Path csr = dir.resolve(commonName + "-rsa.csr");
    Path cert = dir.resolve(commonName + "-rsa.crt");
    openssl("genrsa", "-traditional", "-out", rsaKey.toString(), "2048");
    openssl("req", "-new", "-key", rsaKey.toString(), "-out", csr.toString(), "-subj", "/CN=" + commonName);
    openssl("x509", "-req", "-in", csr.toString(), "-CA", caFile().toString(), "-CAkey", caKey().toString(),
        "-set_serial", Long.toString(System.nanoTime() & 0xffffffL), "-days", "1", "-out", cert.toString(),
        "-extfile", extensions(commonName + "-rsa", names).toString(), "-extensions", "ext");
    return new Issued(cert, rsaKey);
  }

  /** An openssl extension section {@code ext} for a leaf certificate usable by servers and clients. */
  private Path extensions(String id, String... names) throws IOException {
    Path ext = dir.resolve(id + ".ext");
    List<String> san = new ArrayList<>();
    for (String n : names) {
      san.add((n.matches("[0-9.]+|.*:.*") ? "IP:" : "DNS:") + n);
    }
    Files.writeString(ext, "[ext]\nbasicConstraints = CA:FALSE\nkeyUsage = digitalSignature, keyEncipherment\n"
        + "extendedKeyUsage = serverAuth, clientAuth\n"
        + (san.isEmpty() ? "" : "subjectAltName = " + String.join(", ", san) + "\n"), StandardCharsets.US_ASCII);
    return ext;
  }

  /** Copies an issued pair over {@code cert}/{@code key} by rename, as a rotation would. */
  public static void install(Issued from, Path cert, Path key) throws IOException {
    Path tmpCert = cert.resolveSibling(cert.getFileName() + ".new");
    Path tmpKey = key.resolveSibling(key.getFileName() + ".new");
    Files.copy(from.certFile(), tmpCert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(from.keyFile(), tmpKey, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmpKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Files.move(tmpCert, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The certificate's serial number in hex, as openssl prints it. */
  public static String serial(Path cert) throws IOException, InterruptedException {
    return openssl("x509", "-in", cert.toString(), "-noout", "-serial").strip().replace("serial=", "");
  }

  @Override
  public String toString() {
    return "TestPki[" + name + "]";
  }

  private static String openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + output);
    }
    return output;
  }
}
