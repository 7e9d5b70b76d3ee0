package io.pgha.lab.deploy;

import io.pgha.lab.topology.ClusterFile;
import io.pgha.lab.topology.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Lays out the work dir: directories and owners, secrets, every config file, cluster.json. */
public record Workspace(Topology topology, ConfigFiles files, Secrets secrets) {
  /** sockaddr_un.sun_path holds 108 bytes including the terminating NUL. */
  static final int MAX_SOCKET_PATH = 107;

  /** Fails early on a work dir PostgreSQL could not use; checked before anything is written. */
  public static void validate(Topology t) {
    Path wd = t.workdirPath();
    for (Topology.Member m : t.members()) {
      String socket = ConfigFiles.socketDir(wd, m.name()) + "/.s.PGSQL." + m.pgPort();
      if (socket.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
        throw new IllegalArgumentException("--workdir " + wd + " is too long: the PostgreSQL socket "
            + socket + " would be " + socket.length() + " bytes, the limit is " + MAX_SOCKET_PATH
            + "; choose a shorter work dir");
      }
    }
    if (Users.isRoot()) {
      // postgres must traverse every ancestor to reach its data dir.
      for (Path p = wd.getParent(); p != null; p = p.getParent()) {
        if (!Files.exists(p)) {
          continue;
        }
        try {
          Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
          if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
            throw new IllegalArgumentException("--workdir " + wd + ": the postgres user cannot enter "
                + p + " (mode " + PosixFilePermissions.toString(perms) + "); choose another work dir");
          }
        } catch (IOException e) {
          throw new IllegalArgumentException("--workdir " + wd + ": cannot read " + p + ": " + e);
        }
      }
    }
  }

  public void prepare() throws IOException, InterruptedException {
    Path wd = topology.workdirPath();
    Files.createDirectories(wd);
    Files.setPosixFilePermissions(wd, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String d : new String[] {"config", "logs", "run", "alerts", "prometheus", "alertmanager"}) {
      Files.createDirectories(wd.resolve(d));
    }
    Files.createDirectories(ConfigFiles.localRulesDir(wd));
    Path archive = ConfigFiles.archiveDir(wd);
    Files.createDirectories(archive);
    Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rwx------"));
    Users.giveToPostgres(archive);
    secrets.ensure();
    if (topology.secured()) {
      new ClusterPki(topology).ensure();
      write(files.exportersWebConfig(), files.exportersWebConfig(secrets), "rw-------");
    }
    write(wd.resolve("config/haproxy.cfg"), files.haproxy(), "rw-r--r--");
    write(wd.resolve("config/prometheus.yml"), files.prometheus(), "rw-r--r--");
    write(wd.resolve("config/alertmanager.yml"), files.alertmanager(), "rw-r--r--");
    write(wd.resolve("config/exporter-patroni.yml"), files.exporterPatroni(), "rw-r--r--");
    write(wd.resolve("config/exporter-postgres.yml"), files.exporterPostgres(), "rw-r--r--");
    write(wd.resolve("config/exporter-etcd.yml"), files.exporterEtcd(), "rw-r--r--");
    for (Topology.Member m : topology.members()) {
      Path home = wd.resolve(m.name());
      for (Path dir : new Path[] {home, ConfigFiles.socketDir(wd, m.name()),
          wd.resolve("logs").resolve("postgresql-" + m.name())}) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Users.giveToPostgres(dir);
      }
      Path cfg = home.resolve("patroni.yml");
      write(cfg, files.patroni(m, secrets), "rw-------");
      Users.giveToPostgres(cfg);
    }
    ClusterFile.write(topology);
  }

  /** Written to a temporary file of {@code mode} and renamed over {@code file}: no reader sees half of it. */
  static void write(Path file, String text, String mode) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
