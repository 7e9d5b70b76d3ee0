package io.pgha.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A node of the YAML configuration that knows its own path, so every validation error names the
 * key it is about, e.g. {@code patroni.clusters[0].members[1]: not a URL}.
 */
public final class ConfigNode {
  private final JsonNode node;
  private final String path;

  public ConfigNode(JsonNode node, String path) {
    this.node = node == null ? MissingNode.getInstance() : node;
    this.path = path;
  }

  public static ConfigNode root(JsonNode node) {
    return new ConfigNode(node, "");
  }

  public String path() {
    return path;
  }

  public boolean isPresent() {
    return !node.isMissingNode() && !node.isNull();
  }

  public JsonNode raw() {
    return node;
  }

  public ConfigNode get(String key) {
    if (isPresent() && !node.isObject()) {
      throw new ConfigException(displayPath(), "must be a mapping");
    }
    return new ConfigNode(node.get(key), path.isEmpty() ? key : path + "." + key);
  }

  /** The required mapping under {@code key}. */
  public ConfigNode required(String key) {
    ConfigNode child = get(key);
    if (!child.isPresent()) {
      throw new ConfigException(child.path, "is required");
    }
    return child;
  }

  public String asString() {
    requirePresent();
    if (!node.isValueNode() || node.isBoolean()) {
      throw new ConfigException(path, "must be a string");
    }
    String value = node.asText();
    if (value.isBlank()) {
      throw new ConfigException(path, "must not be empty");
    }
    return value;
  }

  public String string(String key) {
    return get(key).asString();
  }

  public Optional<String> optionalString(String key) {
    ConfigNode child = get(key);
    return child.isPresent() ? Optional.of(child.asString()) : Optional.empty();
  }

  public int integer(String key, int defaultValue, int min, int max) {
    ConfigNode child = get(key);
    if (!child.isPresent()) {
      return defaultValue;
    }
    if (!child.node.canConvertToInt() || !child.node.isIntegralNumber()) {
      throw new ConfigException(child.path, "must be an integer");
    }
    int value = child.node.intValue();
    if (value < min || value > max) {
      throw new ConfigException(child.path, "must be between " + min + " and " + max);
    }
    return value;
  }

  public boolean bool(String key, boolean defaultValue) {
    ConfigNode child = get(key);
    if (!child.isPresent()) {
      return defaultValue;
    }
    if (!child.node.isBoolean()) {
      throw new ConfigException(child.path, "must be true or false");
    }
    return child.node.booleanValue();
  }

  public Duration duration(String key, Duration defaultValue) {
    ConfigNode child = get(key);
    if (!child.isPresent()) {
      return defaultValue;
    }
    try {
      return Durations.parse(child.node.asText());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(child.path, e.getMessage());
    }
  }

  /** An absolute http or https URL. */
  public URI asHttpUrl() {
    String text = asString();
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme();
      if (scheme == null || uri.getHost() == null
          || !(scheme.equals("http") || scheme.equals("https"))) {
        throw new ConfigException(path, "not a URL (want http://host:port or https://host:port): " + text);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(path, "not a URL: " + text);
    }
  }

  /** The required, non-empty list under {@code key}. */
  public List<ConfigNode> list(String key) {
    ConfigNode child = get(key);
    if (!child.isPresent()) {
      throw new ConfigException(child.path, "is required");
    }
    if (!child.node.isArray()) {
      throw new ConfigException(child.path, "must be a list");
    }
    if (child.node.isEmpty()) {
      throw new ConfigException(child.path, "must not be empty");
    }
    List<ConfigNode> items = new ArrayList<>();
    for (int i = 0; i < child.node.size(); i++) {
      items.add(new ConfigNode(child.node.get(i), child.path + "[" + i + "]"));
    }
    return items;
  }

  public List<String> stringList(String key) {
    return list(key).stream().map(ConfigNode::asString).toList();
  }

  /**
   * The entries of the mapping at this key, in file order; empty when absent. {@code what} says
   * what the mapping holds, for the error when it is not a mapping.
   */
  public Map<String, ConfigNode> entries(String what) {
    Map<String, ConfigNode> entries = new LinkedHashMap<>();
    if (!isPresent()) {
      return entries;
    }
    if (!node.isObject()) {
      throw new ConfigException(displayPath(), "must be a mapping of " + what);
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      entries.put(key, get(key));
    }
    return entries;
  }

  /** Fails on keys not in {@code known}, so a typo does not silently fall back to a default. */
  public ConfigNode allowOnly(Set<String> known) {
    if (!isPresent()) {
      return this;
    }
    if (!node.isObject()) {
      throw new ConfigException(displayPath(), "must be a mapping");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        String where = path.isEmpty() ? key : path + "." + key;
        throw new ConfigException(where, "unknown key (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
    return this;
  }

  private void requirePresent() {
    if (!isPresent()) {
      throw new ConfigException(displayPath(), "is required");
    }
  }

  private String displayPath() {
    return path.isEmpty() ? "(top level)" : path;
  }
}
