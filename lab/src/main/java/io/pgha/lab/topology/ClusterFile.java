package io.pgha.lab.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads and writes {@code <workdir>/cluster.json}: the one reader of it for every command, the drills,
 * the bench and the tests. Reading checks every key of the contract and names the file and the key
 * of the first problem ({@code cluster.json: haproxy.write_port: not a port number 1-65535 (got "x")});
 * keys it does not know are ignored.
 */
public final class ClusterFile {
  public static final String NAME = "cluster.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** cluster.json is missing, unreadable or not the contract; the message names the file and the key. */
  public static final class ClusterFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    ClusterFileException(String message) {
      super(message);
    }
  }

  private ClusterFile() {}

  public static Path path(Path workdir) {
    return workdir.resolve(NAME);
  }

  /** The one-line JSON text of the contract. */
  public static String toJson(Topology topology) {
    try {
      return JSON.writeValueAsString(topology);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Written to a temporary file and renamed, so a reader never sees half a file. */
  public static void write(Topology topology) throws IOException {
    Path target = path(topology.workdirPath());
    Path tmp = target.resolveSibling(NAME + ".tmp");
    Files.writeString(tmp, toJson(topology) + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The work dir's cluster; empty when it has no cluster.json (nothing was set up there yet). */
  public static Optional<Topology> read(Path workdir) {
    Path file = path(workdir);
    return Files.isRegularFile(file) ? Optional.of(load(workdir)) : Optional.empty();
  }

  /** The work dir's cluster; a missing cluster.json is an error that says how to get one. */
  public static Topology load(Path workdir) {
    Path file = path(workdir);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ClusterFileException(file + ": not found (./pgha up writes it; is the cluster up, and is "
          + "--workdir or PGHA_WORKDIR right?)");
    } catch (IOException e) {
      throw new ClusterFileException(file + ": cannot read: " + describe(e));
    }
    return fromJson(file, text);
  }

  /** {@code text} as the contract; problems are reported against {@code file}. */
  public static Topology fromJson(Path file, String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ClusterFileException(file + ": not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")"));
    }
    if (root == null || !root.isObject()) {
      throw new ClusterFileException(file + ": not a JSON object");
    }
    Fields doc = new Fields(file, "", root);
    return new Topology(
        doc.text("scope"),
        doc.text("namespace"),
        doc.offset("offset"),
        doc.text("workdir"),
        doc.list("etcd", e -> new Topology.EtcdMember(e.text("name"), e.text("host"),
            e.port("client_port"), e.port("peer_port"))),
        doc.list("members", m -> new Topology.Member(m.text("name"), m.text("host"),
            m.port("pg_port"), m.port("rest_port"), m.text("data_dir"))),
        doc.object("haproxy", h -> new Topology.Haproxy(h.text("host"), h.port("write_port"),
            h.port("read_port"), h.port("stats_port"))),
        doc.object("prometheus", Fields::endpoint),
        doc.object("alertmanager", Fields::endpoint),
        doc.object("exporters", x -> new Topology.Exporters(x.port("patroni"), x.port("postgres"),
            x.port("etcd"))),
        doc.object("receiver", Fields::endpoint),
        doc.optionalObject("tls", x -> new Topology.Tls(x.text("ca_file"), x.text("cert_file"), x.text("key_file"),
            x.text("scrape_username"), x.text("scrape_password_file"))));
  }

  private static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The keys of one JSON object, each checked, with errors that say where they are. */
  private record Fields(Path file, String prefix, JsonNode node) {

    private JsonNode required(String key) {
      JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        throw wrong(key, "missing");
      }
      return value;
    }

    String text(String key) {
      JsonNode value = required(key);
      if (!value.isTextual() || value.asText().isBlank()) {
        throw wrong(key, "not a non-empty string (got " + value + ")");
      }
      return value.asText();
    }

    int port(String key) {
      JsonNode value = required(key);
      if (!value.isInt() || value.asInt() < 1 || value.asInt() > 65535) {
        throw wrong(key, "not a port number 1-65535 (got " + value + ")");
      }
      return value.asInt();
    }

    int offset(String key) {
      JsonNode value = required(key);
      if (!value.isInt() || value.asInt() < 0) {
        throw wrong(key, "not a port offset, a whole number 0 or more (got " + value + ")");
      }
      return value.asInt();
    }

    <T> T object(String key, Function<Fields, T> read) {
      JsonNode value = required(key);
      if (!value.isObject()) {
        throw wrong(key, "not an object");
      }
      return read.apply(new Fields(file, prefix + key + ".", value));
    }

    /** Like {@link #object}, but null when the key is absent. */
    <T> T optionalObject(String key, Function<Fields, T> read) {
      JsonNode value = node.get(key);
      return value == null || value.isNull() ? null : object(key, read);
    }

    <T> List<T> list(String key, Function<Fields, T> read) {
      JsonNode value = required(key);
      if (!value.isArray()) {
        throw wrong(key, "not a list");
      }
      List<T> out = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        String at = prefix + key + "[" + i + "]";
        if (!value.get(i).isObject()) {
          throw new ClusterFileException(file + ": " + at + ": not an object");
        }
        out.add(read.apply(new Fields(file, at + ".", value.get(i))));
      }
      return List.copyOf(out);
    }

    Topology.Endpoint endpoint() {
      return new Topology.Endpoint(text("host"), port("port"));
    }

    ClusterFileException wrong(String key, String problem) {
      return new ClusterFileException(file + ": " + prefix + key + ": " + problem);
    }
  }
}
