package io.pgha.lab.deploy;

import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The certificates of a cluster set up with {@code pgha up --tls}, made with openssl into
 * {@code <workdir>/tls/}: a CA, and one certificate per host whose subject alternative names are
 * the host's loopback address and name. etcd-N's serves its client and peer ports; pg-N's serves
 * Patroni's REST API and PostgreSQL (it also names HAProxy's address, through which clients reach
 * PostgreSQL) and is pg-N's client certificate towards etcd and the other members; {@code pgha}
 * (127.0.0.1, localhost) is the exporters' server certificate and the client certificate of
 * everything else (exporters, Prometheus, HAProxy's checks, the command line). EC P-256 keys, mode
 * 600, pg-N's owned by postgres. Files that exist are kept: a second {@code up} changes nothing.
 */
public final class ClusterPki {
  static final String CA = "ca";
  static final String TOOLS = "pgha";
  private static final String CURVE = "ec_paramgen_curve:prime256v1";
  private static final String CA_DAYS = "3650";
  private static final String LEAF_DAYS = "825";

  private final Topology t;
  private final Path dir;

  public ClusterPki(Topology topology) {
    this.t = topology;
    this.dir = topology.workdirPath().resolve("tls");
  }

  public Path dir() {
    return dir;
  }

  public Path cert(String host) {
    return dir.resolve(host + ".crt");
  }

  public Path key(String host) {
    return dir.resolve(host + ".key");
  }

  /** {@code pgha.crt} and {@code pgha.key} in one file, as HAProxy's {@code crt} wants it. */
  public Path haproxyPem() {
    return dir.resolve(TOOLS + ".pem");
  }

  /** Makes whatever is missing; returns the names of the certificates made. */
  public List<String> ensure() throws IOException, InterruptedException {
    Files.createDirectories(dir);
    // postgres must reach its own key in here; every key is readable by its owner only.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path config = opensslConfig();
    List<String> made = new ArrayList<>();
    if (!Files.isRegularFile(cert(CA)) || !Files.isRegularFile(key(CA))) {
      openssl(config, List.of("-keyout", key(CA).toString(), "-out", cert(CA).toString(), "-days", CA_DAYS,
          "-subj", "/CN=pgha lab CA " + t.workdir().replace("/", "\\/"), "-addext", "basicConstraints=critical,CA:TRUE",
          "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
      made.add(CA);
    }
    for (Topology.EtcdMember e : t.etcd()) {
      // A peer dials from 127.0.0.1 (it binds no source address), and etcd checks a peer's
      // certificate against the address the connection comes from.
      leaf(config, e.name(), List.of("IP:" + e.host(), "DNS:" + e.name(), "IP:" + Topology.LOOPBACK), made);
    }
    for (Topology.Member m : t.members()) {
      leaf(config, m.name(), List.of("IP:" + m.host(), "DNS:" + m.name(), "IP:" + t.haproxy().host()), made);
      Users.giveToPostgres(cert(m.name()));
      Users.giveToPostgres(key(m.name()));
    }
    leaf(config, TOOLS, toolNames(), made);
    if (made.contains(TOOLS) || !Files.isRegularFile(haproxyPem())) {
      Workspace.write(haproxyPem(), Files.readString(cert(TOOLS)) + Files.readString(key(TOOLS)), "rw-------");
    }
    Files.deleteIfExists(config);
    return made;
  }

  /**
   * A new certificate and key for {@code pgha} (the exporters' and the tools'), put in place by
   * renames (key first, then certificate), as a certificate is rotated on a running cluster: the
   * exporters use it from their next handshake on, without a restart.
   */
  public void renewTools() throws IOException, InterruptedException {
    Path config = opensslConfig();
    String fresh = TOOLS + ".new";
    issue(config, fresh, TOOLS, toolNames());
    Files.deleteIfExists(config);
    Files.move(key(fresh), key(TOOLS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.move(cert(fresh), cert(TOOLS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Workspace.write(haproxyPem(), Files.readString(cert(TOOLS)) + Files.readString(key(TOOLS)), "rw-------");
  }

  /** The least configuration openssl req needs: the subject comes from -subj. */
  private Path opensslConfig() throws IOException {
    Path config = dir.resolve("openssl.cnf");
    Files.writeString(config, "[req]\ndistinguished_name = dn\n[dn]\n", StandardCharsets.US_ASCII);
    return config;
  }

  private static List<String> toolNames() {
    return List.of("IP:" + Topology.LOOPBACK, "DNS:localhost");
  }

  private void leaf(Path config, String name, List<String> names, List<String> made) throws IOException, InterruptedException {
    if (Files.isRegularFile(cert(name)) && Files.isRegularFile(key(name))) {
      return;
    }
    issue(config, name, name, names);
    made.add(name);
  }

  /** A certificate for {@code commonName} signed by the CA, into the files of {@code file}. */
  private void issue(Path config, String file, String commonName, List<String> names) throws IOException, InterruptedException {
    openssl(config, List.of("-keyout", key(file).toString(), "-out", cert(file).toString(), "-days", LEAF_DAYS,
        "-subj", "/CN=" + commonName, "-CA", cert(CA).toString(), "-CAkey", key(CA).toString(),
        "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "keyUsage=critical,digitalSignature,keyEncipherment",
        "-addext", "extendedKeyUsage=serverAuth,clientAuth", "-addext", "subjectAltName=" + String.join(",", names)));
  }

  private static void openssl(Path config, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509", "-config", config.toString(),
        "-newkey", "ec", "-pkeyopt", CURVE, "-nodes"));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("openssl could not make a certificate (" + String.join(" ", cmd) + "): " + output.strip());
    }
    Path key = Path.of(args.get(args.indexOf("-keyout") + 1));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(Path.of(args.get(args.indexOf("-out") + 1)), PosixFilePermissions.fromString("rw-r--r--"));
  }
}
