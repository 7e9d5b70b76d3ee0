package io.pgha.traffic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads what traffic needs from a work dir: {@code cluster.json} (HAProxy's ports, the members) and the
 * {@code app} user's password from {@code secrets/app.password}. Every problem names the file and the key.
 */
public final class ClusterFileReader {

  public static final String APP_USER = "app";

  private ClusterFileReader() {
  }

  public static TrafficTarget read(Path workdir, String database) throws TrafficConfigException {
    Path clusterFile = workdir.resolve("cluster.json");
    JsonNode root = parse(clusterFile);
    JsonNode haproxy = object(clusterFile, root, "haproxy");
    String haproxyHost = text(clusterFile, haproxy, "haproxy.host");
    TrafficTarget.Endpoint write = new TrafficTarget.Endpoint(haproxyHost,
        port(clusterFile, haproxy.get("write_port"), "haproxy.write_port"));
    TrafficTarget.Endpoint read = new TrafficTarget.Endpoint(haproxyHost,
        port(clusterFile, haproxy.get("read_port"), "haproxy.read_port"));
    String password = password(workdir.resolve("secrets").resolve(APP_USER + ".password"));
    return new TrafficTarget(write, read, database, APP_USER, password, members(clusterFile, root));
  }

  private static JsonNode parse(Path file) throws TrafficConfigException {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new TrafficConfigException(file + ": not found (./pgha up writes it; is the cluster up, and is "
          + "--workdir or PGHA_WORKDIR right?)");
    } catch (IOException e) {
      throw new TrafficConfigException(file + ": cannot read: " + describe(e));
    }
    try {
      JsonNode root = new ObjectMapper().readTree(json);
      if (root == null || !root.isObject()) {
        throw new TrafficConfigException(file + ": not a JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new TrafficConfigException(file + ": not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")"));
    }
  }

  private static Map<String, String> members(Path file, JsonNode root) throws TrafficConfigException {
    JsonNode members = root.get("members");
    if (members == null || members.isNull()) {
      throw new TrafficConfigException(file + ": members: missing");
    }
    if (!members.isArray()) {
      throw new TrafficConfigException(file + ": members: not a list");
    }
    Map<String, String> byAddress = new LinkedHashMap<>();
    for (int i = 0; i < members.size(); i++) {
      String key = "members[" + i + "]";
      JsonNode member = members.get(i);
      if (!member.isObject()) {
        throw new TrafficConfigException(file + ": " + key + ": not an object");
      }
      String name = text(file, member, key + ".name");
      String host = text(file, member, key + ".host");
      int port = port(file, member.get("pg_port"), key + ".pg_port");
      byAddress.put(new TrafficTarget.Endpoint(host, port).toString(), name);
    }
    return byAddress;
  }

  private static JsonNode object(Path file, JsonNode parent, String key) throws TrafficConfigException {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      throw new TrafficConfigException(file + ": " + key + ": missing");
    }
    if (!node.isObject()) {
      throw new TrafficConfigException(file + ": " + key + ": not an object");
    }
    return node;
  }

  private static String text(Path file, JsonNode parent, String path) throws TrafficConfigException {
    JsonNode node = parent.get(path.substring(path.lastIndexOf('.') + 1));
    if (node == null || node.isNull()) {
      throw new TrafficConfigException(file + ": " + path + ": missing");
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new TrafficConfigException(file + ": " + path + ": not a non-empty string (got " + node + ")");
    }
    return node.asText();
  }

  private static int port(Path file, JsonNode node, String path) throws TrafficConfigException {
    if (node == null || node.isNull()) {
      throw new TrafficConfigException(file + ": " + path + ": missing");
    }
    if (!node.isInt() || node.asInt() < 1 || node.asInt() > 65535) {
      throw new TrafficConfigException(file + ": " + path + ": not a port number 1-65535 (got " + node + ")");
    }
    return node.asInt();
  }

  private static String password(Path file) throws TrafficConfigException {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new TrafficConfigException(file + ": not found (./pgha up generates it)");
    } catch (IOException e) {
      throw new TrafficConfigException(file + ": cannot read: " + describe(e));
    }
    // A trailing newline is an editor's, not the password's.
    String password = content.replaceAll("[\r\n]+$", "");
    if (password.isEmpty()) {
      throw new TrafficConfigException(file + ": empty");
    }
    if (password.contains("\n")) {
      throw new TrafficConfigException(file + ": more than one line");
    }
    return password;
  }

  private static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
