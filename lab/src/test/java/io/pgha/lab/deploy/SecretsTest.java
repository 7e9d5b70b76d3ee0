package io.pgha.lab.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

  @TempDir Path workdir;

  @Test
  void generatesEveryPasswordOnceAlphanumericAndPrivate() throws Exception {
    Secrets secrets = new Secrets(workdir);
    secrets.ensure();
    String app = secrets.password(Secrets.APP);
    secrets.ensure();

    assertThat(secrets.password(Secrets.APP)).isEqualTo(app).matches("[A-Za-z0-9]{32}");
    assertThat(Files.getPosixFilePermissions(Secrets.file(workdir, Secrets.APP)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workdir.resolve("secrets"))))
        .isEqualTo("rwx------");
  }

  @Test
  void passwordFileMissingEmptyOrOfSeveralLinesIsNamed() throws Exception {
    Path passwordFile = workdir.resolve("secrets/app.password");
    Secrets secrets = new Secrets(workdir);
    assertThatThrownBy(() -> secrets.password(Secrets.APP))
        .hasMessage(passwordFile + ": not found (./pgha up generates it)");

    Files.createDirectories(passwordFile.getParent());
    Files.writeString(passwordFile, "\n");
    assertThatThrownBy(() -> secrets.password(Secrets.APP)).hasMessage(passwordFile + ": empty");

    Files.writeString(passwordFile, "one\ntwo\n");
    assertThatThrownBy(() -> secrets.password(Secrets.APP)).hasMessage(passwordFile + ": more than one line");

    Files.writeString(passwordFile, "s3cret\n");
    assertThat(secrets.password(Secrets.APP)).isEqualTo("s3cret");
  }
}
