package io.pgha.packaging;

import io.pgha.alerts.RuleFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Builds {@code pgha-exporters_<version>_all.deb} with {@code dpkg-deb}: the exporters' jar, the
 * units, example configurations and maintainer scripts of {@code packaging/src/deb}, the rules of
 * {@code alerts/rules} and the dashboards and provisioning files of {@code dashboards/}. Every
 * input decides the output alone: modes are set, owners are root, times are the build's
 * {@code project.build.outputTimestamp}, so two builds of the same sources give the same bytes.
 */
public final class DebianPackage {
  public static final String NAME = "pgha-exporters";
  /** Where the exporters' jar, rules and dashboards go on the host. */
  public static final String SHARE = "/usr/share/pgha";
  private static final String DASHBOARDS = SHARE + "/dashboards/json";
  private static final String DEFAULT_PROMETHEUS = "http://localhost:9090";

  private final Path repo;
  private final String version;
  private final Instant time;

  /**
   * @param repo the repository's root
   * @param mavenVersion the project's version; {@code -SNAPSHOT} becomes {@code ~SNAPSHOT}, which
   *     Debian sorts before the release
   * @param time every file's time in the package
   */
  public DebianPackage(Path repo, String mavenVersion, Instant time) {
    this.repo = repo;
    this.version = debianVersion(mavenVersion);
    this.time = time;
  }

  public static String debianVersion(String mavenVersion) {
    return mavenVersion.replace("-SNAPSHOT", "~SNAPSHOT");
  }

  public String fileName() {
    return NAME + "_" + version + "_all.deb";
  }

  /** Arguments: repository root, project version, output timestamp (ISO instant), the jar, the output directory. */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 5) {
      throw new IllegalArgumentException("usage: DebianPackage REPO VERSION TIMESTAMP EXPORTERS_JAR OUTPUT_DIR");
    }
    DebianPackage deb = new DebianPackage(Path.of(args[0]).toAbsolutePath().normalize(), args[1], Instant.parse(args[2]));
    Path built = deb.build(Path.of(args[3]), Path.of(args[4]));
    System.out.println("built " + built + " (" + Files.size(built) / 1024 + " KiB)");
  }

  /** Stages the package's tree under {@code outputDir/deb} and builds the .deb into {@code outputDir}. */
  public Path build(Path exportersJar, Path outputDir) throws IOException, InterruptedException {
    if (!Files.isRegularFile(exportersJar)) {
      throw new IllegalStateException(exportersJar + " is missing: build the exporters module first");
    }
    Path staging = outputDir.resolve("deb");
    deleteTree(staging);
    Path root = staging.resolve("root");
    Path src = repo.resolve("packaging/src/deb");
    copyTree(src.resolve("root"), root);
    copy(exportersJar, root.resolve("usr/share/pgha/pgha-exporters.jar"));
    for (Path rules : RuleFiles.list(repo.resolve("alerts/rules"))) {
      copy(rules, root.resolve("usr/share/pgha/alerts/rules").resolve(rules.getFileName()));
    }
    copyTree(repo.resolve("dashboards/json"), root.resolve("usr/share/pgha/dashboards/json"));
    stageProvisioning(root.resolve("usr/share/pgha/dashboards/provisioning"));
    writeGzip(root.resolve("usr/share/doc/pgha-exporters/changelog.gz"), changelog());

    Path control = root.resolve("DEBIAN");
    Files.createDirectories(control);
    for (String script : List.of("postinst", "prerm", "postrm")) {
      copy(src.resolve("control").resolve(script), control.resolve(script));
    }
    Files.writeString(control.resolve("conffiles"), conffiles(root), StandardCharsets.UTF_8);
    Files.writeString(control.resolve("md5sums"), md5sums(root), StandardCharsets.UTF_8);
    Files.writeString(control.resolve("control"), Files.readString(src.resolve("control/control"))
        .replace("@VERSION@", version).replace("@INSTALLED_SIZE@", Long.toString(installedSizeKib(root))),
        StandardCharsets.UTF_8);
    normalize(root);

    Path deb = outputDir.resolve(fileName());
    Files.deleteIfExists(deb);
    // gzip: the jar is compressed already; xz saved 1 % of the size for 15 times the time.
    run(List.of("dpkg-deb", "--root-owner-group", "-Zgzip", "-z9", "--build",
        root.toString(), deb.toString()));
    return deb;
  }

  /**
   * The repository's Grafana provisioning files with the two values that differ on a host: the
   * dashboards' folder ({@value #DASHBOARDS}) and Prometheus's URL ({@value #DEFAULT_PROMETHEUS}).
   */
  private void stageProvisioning(Path target) throws IOException {
    Path from = repo.resolve("dashboards/provisioning");
    copyTree(from, target);
    replaceIn(target.resolve("dashboards/pgha.yml"), "path: /var/lib/grafana/dashboards/pgha", "path: " + DASHBOARDS);
    replaceIn(target.resolve("datasources/pgha-prometheus.yml"), "url: http://prometheus:9090", "url: " + DEFAULT_PROMETHEUS);
  }

  private static void replaceIn(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    if (!text.contains(from)) {
      throw new IllegalStateException(file + " no longer holds '" + from + "': update DebianPackage");
    }
    Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
  }

  private String changelog() {
    String date = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC).format(time);
    return NAME + " (" + version + ") unstable; urgency=medium\n\n"
        + "  * Built from the pgha sources.\n\n"
        + " -- pgha developers <pgha@example.org>  " + date + "\n";
  }

  /** Every file under /etc is a conffile: dpkg keeps the admin's changes on upgrade. */
  static String conffiles(Path root) throws IOException {
    StringBuilder out = new StringBuilder();
    for (Path f : files(root.resolve("etc"))) {
      out.append('/').append(root.relativize(f)).append('\n');
    }
    return out.toString();
  }

  private static String md5sums(Path root) throws IOException {
    StringBuilder out = new StringBuilder();
    for (Path f : files(root)) {
      if (!root.relativize(f).startsWith("DEBIAN")) {
        out.append(digest(f)).append("  ").append(root.relativize(f)).append('\n');
      }
    }
    return out.toString();
  }

  private static long installedSizeKib(Path root) throws IOException {
    long kib = 0;
    for (Path f : files(root)) {
      kib += (Files.size(f) + 1023) / 1024;
    }
    return kib;
  }

  /** Directories 755, maintainer scripts 755, every other file 644; one time for all. */
  private void normalize(Path root) throws IOException {
    FileTime t = FileTime.from(time);
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        boolean script = file.getParent().getFileName().toString().equals("DEBIAN")
            && List.of("postinst", "prerm", "postrm").contains(file.getFileName().toString());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(script ? "rwxr-xr-x" : "rw-r--r--"));
        Files.setLastModifiedTime(file, t);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setLastModifiedTime(dir, t);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private void run(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SOURCE_DATE_EPOCH", Long.toString(time.getEpochSecond()));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "):\n" + out);
    }
  }

  /**
   * gzip -9n: no name and time in the header, so the bytes depend on the text alone, and the
   * header's flag for maximum compression, which Java's GZIPOutputStream leaves out (lintian checks it).
   */
  private static void writeGzip(Path file, String text) throws IOException {
    byte[] input = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 2, 3});
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    try (DeflaterOutputStream body = new DeflaterOutputStream(bytes, deflater)) {
      body.write(input);
    } finally {
      deflater.end();
    }
    CRC32 crc = new CRC32();
    crc.update(input);
    ByteBuffer trailer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    trailer.putInt((int) crc.getValue()).putInt(input.length);
    Files.createDirectories(file.getParent());
    Files.write(file, concat(bytes.toByteArray(), trailer.array()));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String digest(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Regular files under {@code dir}, sorted by path. */
  static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    for (Path f : files(from)) {
      copy(f, to.resolve(from.relativize(f).toString()));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.forEach(all::add);
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        Files.delete(all.get(i));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + all.get(i), e);
      }
    }
  }
}
