package io.pgha.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** ScrapeMemo, ProblemLog, SecretFile, PemFile and ErrorText: what all three exporters share. */
class SharedHelpersTest {
  @TempDir Path dir;

  private static ConfigNode key(String yaml) throws Exception {
    return YamlSection.of(yaml, "x").get("password_file");
  }

  private static String stderrOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  /** A memo whose values name the order they were made in ("probe 1", ...); {@code computed} records each. */
  private static ScrapeMemo<String> countingMemo(List<ScrapeContext> computed) {
    return new ScrapeMemo<>(scrape -> {
      computed.add(scrape);
      return "probe " + computed.size();
    });
  }

  @Test
  void aScrapeMemoComputesOncePerScrapeAndKeepsScrapesInFlightApart() {
    List<ScrapeContext> computed = new ArrayList<>();
    ScrapeMemo<String> memo = countingMemo(computed);
    ScrapeContext first = new ScrapeContext(null, 1);
    ScrapeContext second = new ScrapeContext(null, 1);
    assertThat(memo.get(first)).isEqualTo("probe 1");
    assertThat(memo.get(first)).isEqualTo("probe 1");
    assertThat(memo.get(second)).as("another scrape, even with an equal deadline").isEqualTo("probe 2");
    assertThat(memo.get(first)).as("the first scrape, still in flight").isEqualTo("probe 1");
    assertThat(computed).hasSize(2);
  }

  @Test
  void aScrapeMemoLetsGoOfAScrapeOnceItIsOver() {
    List<ScrapeContext> computed = new ArrayList<>();
    ScrapeMemo<String> memo = countingMemo(computed);
    ScrapeContext first = new ScrapeContext(null, 1);
    ScrapeContext second = new ScrapeContext(null, 1);
    assertThat(memo.get(first)).isEqualTo("probe 1");
    first.end();
    assertThat(memo.get(first)).as("asked again by its own scrape: still kept").isEqualTo("probe 1");
    assertThat(memo.get(second)).isEqualTo("probe 2");
    assertThat(memo.get(first)).as("let go when the next scrape asked, so made again").isEqualTo("probe 3");
    assertThat(memo.get(second)).as("the scrape in flight is kept").isEqualTo("probe 2");
  }

  @Test
  void aProblemIsLoggedWhenItStartsChangesAndClears() {
    ProblemLog problems = new ProblemLog(LoggerFactory.getLogger("test"));
    String log = stderrOf(() -> {
      problems.failed("pgha/pg-1", "cannot connect: refused");
      problems.failed("pgha/pg-1", "cannot connect: refused");
      problems.failed("pgha/pg-1", "no answer in time");
      problems.recovered("pgha/pg-1", "collecting again");
      problems.recovered("pgha/pg-1", "collecting again");
    });
    assertThat(log.lines()).hasSize(3);
    assertThat(log).contains("msg=\"pgha/pg-1: cannot connect: refused\"").contains("msg=\"pgha/pg-1: no answer in time\"")
        .contains("level=info logger=test msg=\"pgha/pg-1: collecting again\"");

    ProblemLog quiet = new ProblemLog(LoggerFactory.getLogger("test"), java.time.Duration.ofMinutes(1));
    String quieter = stderrOf(() -> {
      quiet.failed("etcd", "refused");
      quiet.failed("etcd", "reset");
    });
    assertThat(quieter.lines()).as("a changed reason within the quiet period").hasSize(1);
  }

  @Test
  void aSecretFileIsCheckedReadAgainAfterRotationAndNeverShown() throws Exception {
    Path file = dir.resolve("monitor.password");
    Files.writeString(file, "first-secret\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    SecretFile secret = SecretFile.from(key("x: {password_file: " + file + "}"));
    assertThat(secret.read()).isEqualTo("first-secret");
    assertThat(secret.toString()).isEqualTo("password_file " + file).doesNotContain("first-secret");

    Files.writeString(file, "rotated-secret\n");
    assertThat(secret.read()).as("read again, so a rotated password works without a restart").isEqualTo("rotated-secret");

    Files.delete(file);
    String log = stderrOf(() -> assertThat(secret.read()).as("while it is being replaced").isEqualTo("rotated-secret"));
    assertThat(log).contains("x.password_file: cannot read " + file).doesNotContain("rotated-secret");
  }

  @Test
  void aSecretFileOthersCanReadIsWarnedAboutOnce() throws Exception {
    Path file = dir.resolve("shared.password");
    Files.writeString(file, "s3cret\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    String log = stderrOf(() -> {
      try {
        SecretFile.from(key("x: {password_file: " + file + "}"));
        SecretFile.from(key("x: {password_file: " + file + "}"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(log.lines()).hasSize(1);
    assertThat(log).contains("level=warn").contains("x.password_file: " + file + " can be read by every user").doesNotContain("s3cret");
  }

  @Test
  void aMissingOrEmptySecretFileNamesTheKey() throws Exception {
    assertThatThrownBy(() -> SecretFile.from(key("x: {password_file: /nonexistent/pw}")))
        .isInstanceOf(ConfigException.class).hasMessage("x.password_file: no such file: /nonexistent/pw");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> SecretFile.from(key("x: {password_file: " + empty + "}")))
        .hasMessage("x.password_file: is empty: " + empty);
  }

  @Test
  void aPemFileMustHoldTheKindAsked() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    assertThat(PemFile.require("ca_file", certs.certFile(), PemFile.CERTIFICATE)).isEqualTo(certs.certFile());
    assertThatThrownBy(() -> PemFile.require("ca_file", certs.keyFile(), PemFile.CERTIFICATE))
        .hasMessage("ca_file: not a PEM file with a CERTIFICATE: " + certs.keyFile());
    assertThatThrownBy(() -> PemFile.require("ca_file", dir.resolve("none.pem"), PemFile.CERTIFICATE))
        .hasMessage("ca_file: no such file: " + dir.resolve("none.pem"));
  }

  @Test
  void errorTextIsOneShortLine() {
    assertThat(ErrorText.describe(new CompletionException(new TimeoutException("after 1234 ms")))).isEqualTo("no answer in time");
    assertThat(ErrorText.describe(new ConnectException("Connection refused"))).isEqualTo("cannot connect: Connection refused");
    assertThat(ErrorText.describe(new IllegalStateException("Something unusual has occurred\nat line 2",
        new java.io.EOFException("the server closed the connection"))))
        .isEqualTo("Something unusual has occurred (the server closed the connection)");
    assertThat(ErrorText.describe(new NullPointerException())).isEqualTo("NullPointerException");
  }
}
