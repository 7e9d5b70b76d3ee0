package io.pgha.postgres;

import static io.pgha.postgres.PostgresMetrics.FILESYSTEM_AVAILABLE_BYTES;
import static io.pgha.postgres.PostgresMetrics.FILESYSTEM_SIZE_BYTES;

import io.pgha.common.ErrorText;
import io.pgha.common.FamilyPoints;
import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeContext;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free and total space of the file systems holding each member's data directory and pg_wal
 * (targets with {@code data_directory}, the exporter on the member's host), read off the event
 * loop. pg_wal is often a symlink to a disk of its own, so it is resolved first (at every scrape):
 * the disk that fills when archiving or a slot holds WAL back.
 *
 * <p>Java finds a directory's file store by reading the mount table and looking at every mount
 * point, which cost more than the rest of the scrape; the store of each directory is kept, and
 * each scrape only asks the kernel for the space (statvfs of the directory itself, so a file
 * system mounted there since is the one measured). It is looked up again when pg_wal's link
 * points elsewhere or the directory cannot be read.
 */
final class DataDirectoryFilesystemCollector implements ScrapeCollector {

  /** The space of one file system as the kernel reports it (statfs). */
  record Space(double availableBytes, double sizeBytes) {}

  /** Which directory of the member a file system holds: the label value. */
  static final String DATA = "data";
  static final String WAL = "wal";

  private record Key(PostgresTarget target, String directory) {}

  private record Known(Path path, FileStore store) {}

  private final List<PostgresTarget> targets;
  private final Map<Key, Known> stores = new ConcurrentHashMap<>();

  /** Only the targets whose data directory is known (on this host). */
  DataDirectoryFilesystemCollector(List<PostgresTarget> targets) {
    this.targets = targets.stream().filter(t -> t.dataDirectory().isPresent()).toList();
  }

  boolean hasTargets() {
    return !targets.isEmpty();
  }

  @Override
  public String name() {
    return "filesystem";
  }

  @Override
  public Future<List<MetricSnapshot>> collect(ScrapeContext context) {
    return context.vertx().executeBlocking(() -> {
      Map<PostgresTarget, Map<String, Space>> spaces = new LinkedHashMap<>();
      for (PostgresTarget t : targets) {
        Path data = t.dataDirectory().orElseThrow();
        try {
          Map<String, Space> byDirectory = new LinkedHashMap<>();
          byDirectory.put(DATA, space(t, DATA, data));
          byDirectory.put(WAL, space(t, WAL, data.resolve("pg_wal").toRealPath()));
          spaces.put(t, byDirectory);
        } catch (NoSuchFileException e) {
          // No data directory (yet, or any more, as while Patroni rebuilds the member): nothing to measure.
        } catch (IOException | RuntimeException e) {
          throw new IOException(t + ": cannot read the file system of " + data + ": " + ErrorText.describe(e)
              + " (the exporter must run on the same host, as root or as the postgres user)", e);
        }
      }
      return SqlCollector.nonEmpty(snapshots(spaces));
    }, false);
  }

  private Space space(PostgresTarget target, String directory, Path path) throws IOException {
    Key key = new Key(target, directory);
    Known known = stores.get(key);
    if (known == null || !known.path().equals(path)) {
      known = new Known(path, Files.getFileStore(path));
      stores.put(key, known);
    }
    try {
      return new Space(known.store().getUsableSpace(), known.store().getTotalSpace());
    } catch (IOException e) {
      stores.remove(key);
      throw e;
    }
  }

  static List<MetricSnapshot> snapshots(Map<PostgresTarget, Map<String, Space>> spaces) {
    FamilyPoints points = new FamilyPoints(FILESYSTEM_AVAILABLE_BYTES, FILESYSTEM_SIZE_BYTES);
    spaces.forEach((target, byDirectory) -> byDirectory.forEach((directory, space) ->
        points.add(FILESYSTEM_AVAILABLE_BYTES, space.availableBytes(), target.labelValues(directory))
            .add(FILESYSTEM_SIZE_BYTES, space.sizeBytes(), target.labelValues(directory))));
    return points.snapshots();
  }
}
