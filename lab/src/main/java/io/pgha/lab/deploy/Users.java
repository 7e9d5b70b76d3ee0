package io.pgha.lab.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;

/** Who runs PostgreSQL: the {@code postgres} user when we are root (it refuses root), else ourselves. */
public final class Users {
  public static final String POSTGRES = "postgres";

  private Users() {}

  public static boolean isRoot() {
    try {
      // /proc/self belongs to the effective uid of the process reading it.
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /** Hands a path to the postgres user (no-op when not root: then we run PostgreSQL ourselves). */
  public static void giveToPostgres(Path path) throws IOException {
    if (!isRoot()) {
      return;
    }
    UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal user = lookup.lookupPrincipalByName(POSTGRES);
    GroupPrincipal group = lookup.lookupPrincipalByGroupName(POSTGRES);
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    view.setOwner(user);
    view.setGroup(group);
  }
}
