package io.pgha.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Config tests' input: one section of a YAML text, as the exporters' config file would give it. */
public final class YamlSection {
  private static final YAMLMapper YAML = new YAMLMapper();

  private YamlSection() {}

  /** The required section {@code name} of {@code yaml}; a missing section fails as in a config file. */
  public static ConfigNode of(String yaml, String name) throws JsonProcessingException {
    return ConfigNode.root(YAML.readTree(yaml)).required(name);
  }
}
