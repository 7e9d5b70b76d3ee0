package io.pgha.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A watch on Patroni's namespace recorded from a live cluster (see the header of the resource): the
 * keys read first, then every change with the time it was seen, replayed into a {@link ScopeState}
 * one revision at a time, as {@link DcsWatcher} does.
 */
final class RecordedWatch {
  static final String NAMESPACE = "/service/";

  /** One revision's changes of one scope and when they were seen. */
  record Batch(long atMillis, long revision, List<ScopeState.KeyChange> changes) {}

  final String scope;
  final long initialRevision;
  final Map<String, ScopeState.DcsKey> initial = new LinkedHashMap<>();
  final List<Batch> batches = new ArrayList<>();

  private RecordedWatch(String scope, String text) {
    this.scope = scope;
    String prefix = NAMESPACE + scope + "/";
    long revision = 0;
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f[0].equals("initial")) {
        revision = Long.parseLong(f[1]);
      } else if (f[0].equals("event")) {
        long at = Long.parseLong(f[1]);
        long rev = Long.parseLong(f[2]);
        String key = f[4].substring(prefix.length());
        String value = f[3].equals("PUT") ? f[6] : null;
        ScopeState.KeyChange c = new ScopeState.KeyChange(key, value, rev, Long.parseLong(f[5]), false);
        Batch last = batches.isEmpty() ? null : batches.get(batches.size() - 1);
        if (last != null && last.revision() == rev) {
          last.changes().add(c);
        } else {
          batches.add(new Batch(at, rev, new ArrayList<>(List.of(c))));
        }
      } else {
        initial.put(f[0].substring(prefix.length()), new ScopeState.DcsKey(f[3], Long.parseLong(f[1]), Long.parseLong(f[2])));
      }
    }
    this.initialRevision = revision;
  }

  static RecordedWatch load(String resource, String scope) {
    try (InputStream in = RecordedWatch.class.getResourceAsStream("/recorded/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no recording " + resource);
      }
      return new RecordedWatch(scope, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ScopeState initialState() {
    return ScopeState.initial(scope, initial, initialRevision);
  }

  /** Every batch applied in order, from the initial state. */
  ScopeState replay() {
    ScopeState s = initialState();
    for (Batch b : batches) {
      s = s.apply(b.changes(), b.atMillis());
    }
    return s;
  }

  /** The time a change of {@code key} at {@code revision} was seen. */
  long seenAt(long revision) {
    return batches.stream().filter(b -> b.revision() == revision).findFirst().orElseThrow().atMillis();
  }
}
