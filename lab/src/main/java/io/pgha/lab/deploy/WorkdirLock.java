package io.pgha.lab.deploy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One up or down at a time per work dir: two at once would start or stop the same processes. */
public final class WorkdirLock implements AutoCloseable {
  public static final String FILE = ".pgha.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private WorkdirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  public static WorkdirLock acquire(Path workdir) throws IOException {
    Files.createDirectories(workdir);
    FileChannel ch = FileChannel.open(workdir.resolve(FILE), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock l = ch.tryLock();
    if (l == null) {
      ch.close();
      throw new IllegalStateException("another pgha up or down is running on " + workdir);
    }
    return new WorkdirLock(ch, l);
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      channel.close();
    }
  }
}
