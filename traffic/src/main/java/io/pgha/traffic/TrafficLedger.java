package io.pgha.traffic;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The acknowledged writes of one traffic run, kept in memory and appended to a TSV file
 * ({@code acked_at<TAB>token<TAB>member<TAB>timeline}, lines starting with {@code #} are comments) so a drill
 * or a person can check them again later. Files without the timeline column (written before it was
 * recorded) read back with timeline 0. Thread-safe.
 */
public final class TrafficLedger implements Closeable {

  static final String HEADER = "acked_at\ttoken\tmember\ttimeline";
  private static final String HEADER_WITHOUT_TIMELINE = "acked_at\ttoken\tmember";
  private static final DateTimeFormatter FILE_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path file;
  private final BufferedWriter out;
  private final List<LedgerEntry> entries = new ArrayList<>();
  private boolean closed;

  private TrafficLedger(Path file, BufferedWriter out) {
    this.file = file;
    this.out = out;
  }

  /** Creates {@code <directory>/ledger-<start>.tsv} (and the directory); fails if the file exists. */
  public static TrafficLedger create(Path directory, long startedAtMillis, String description) throws IOException {
    Files.createDirectories(directory);
    Path file = directory.resolve(fileName(startedAtMillis));
    BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    out.write("# pgha traffic ledger: writes acknowledged to the client. " + description + "\n");
    out.write(HEADER + "\n");
    out.flush();
    return new TrafficLedger(file, out);
  }

  static String fileName(long startedAtMillis) {
    return "ledger-" + FILE_STAMP.format(Instant.ofEpochMilli(startedAtMillis)) + ".tsv";
  }

  public Path file() {
    return file;
  }

  /**
   * Records an acknowledged write and pushes it to the file at once, so the file is complete whenever it
   * is read. After {@link #close()} (a straggler finishing after the run stopped) it is ignored: the
   * ledger check has already taken its list.
   */
  public synchronized void append(LedgerEntry entry) {
    if (closed) {
      return;
    }
    entries.add(entry);
    try {
      out.write(format(entry));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the ledger " + file, e);
    }
  }

  public synchronized List<LedgerEntry> entries() {
    return List.copyOf(entries);
  }

  public synchronized int size() {
    return entries.size();
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    out.close();
  }

  static String format(LedgerEntry entry) {
    return Instant.ofEpochMilli(entry.ackedAtMillis()) + "\t" + entry.token() + "\t" + entry.member() + "\t"
        + entry.timeline() + "\n";
  }

  /** Reads a ledger file back; a malformed line fails with its file and line number. */
  public static List<LedgerEntry> read(Path file) throws IOException {
    List<LedgerEntry> entries = new ArrayList<>();
    int lineNumber = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNumber++;
      if (line.isBlank() || line.startsWith("#") || line.equals(HEADER) || line.equals(HEADER_WITHOUT_TIMELINE)) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      if (fields.length != 3 && fields.length != 4) {
        throw new IOException(file + ":" + lineNumber + ": expected 4 tab-separated fields, got " + fields.length);
      }
      try {
        long timeline = fields.length == 4 ? Long.parseLong(fields[3]) : 0;
        entries.add(new LedgerEntry(UUID.fromString(fields[1]), Instant.parse(fields[0]).toEpochMilli(), fields[2],
            timeline));
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw new IOException(file + ":" + lineNumber + ": " + e.getMessage(), e);
      }
    }
    return entries;
  }
}
