package io.pgha.lab.deploy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Debian packages the cluster runs on, and the tests beside it: checked with dpkg-query,
 * installed with apt-get as root.
 */
public final class Packages {
  /**
   * prometheus-postgres-exporter is not deployed: the integration tests run it as the peer
   * exporter-postgres is checked against. systemd (systemd-analyze) and adduser (the package's
   * postinst) are for the test that installs pgha's own .deb; iptables and iproute2 (ss) for the
   * drills' network faults; openssl makes the certificates of {@code up --tls}. python3-idna: where
   * python3-openssl is installed, python-etcd makes urllib3 use it, and its check of the etcd
   * certificate's DNS names imports idna, which nothing depends on; without it Patroni of
   * {@code up --tls} never reaches etcd ("No module named 'idna'", seen on a machine without it).
   */
  public static final List<String> REQUIRED = List.of("postgresql", "patroni", "etcd-server",
      "etcd-client", "haproxy", "prometheus", "prometheus-alertmanager", "prometheus-postgres-exporter",
      "systemd", "adduser", "iptables", "iproute2", "openssl", "python3-idna");

  private Packages() {}

  /** Thrown when packages are missing and we may not install them. */
  public static final class MissingPackagesException extends Exception {
    public MissingPackagesException(String message) {
      super(message);
    }
  }

  public static String installLine(List<String> packages) {
    return "apt-get install -y " + String.join(" ", packages);
  }

  /** Packages of {@link #REQUIRED} that dpkg does not report as installed. */
  public static List<String> missing() throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\\n"));
    cmd.addAll(REQUIRED);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    List<String> missing = new ArrayList<>();
    for (String pkg : REQUIRED) {
      if (!out.lines().anyMatch(l -> l.equals(pkg + " installed"))) {
        missing.add(pkg);
      }
    }
    return missing;
  }

  /** Installs what is missing when root; otherwise fails with the exact apt-get line. */
  public static void ensure(PrintStream out) throws IOException, InterruptedException,
      MissingPackagesException {
    List<String> missing = missing();
    if (missing.isEmpty()) {
      return;
    }
    if (!Users.isRoot()) {
      throw new MissingPackagesException("missing Debian packages: " + String.join(" ", missing)
          + "\ninstall them as root:\n  " + installLine(missing));
    }
    out.println("installing " + String.join(" ", missing) + " (apt-get)");
    run(List.of("apt-get", "update", "-qq"));
    List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq",
        "--no-install-recommends"));
    install.addAll(missing);
    if (run(install) != 0 || !missing().isEmpty()) {
      throw new MissingPackagesException("apt-get could not install " + String.join(" ", missing)
          + "; try by hand:\n  " + installLine(missing));
    }
  }

  private static int run(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO()
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    return pb.start().waitFor();
  }
}
