package io.pgha.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigNodeTest {

  private static ConfigNode yaml(String text) throws Exception {
    JsonNode tree = new YAMLMapper().readTree(text);
    return ConfigNode.root(tree);
  }

  @Test
  void errorsNameTheFullKeyPath() throws Exception {
    ConfigNode root = yaml("""
        patroni:
          clusters:
            - scope: pgha
              members: [http://127.0.0.21:8008, "not a url"]
        """);
    ConfigNode cluster = root.required("patroni").list("clusters").get(0);
    assertThat(cluster.string("scope")).isEqualTo("pgha");
    assertThat(cluster.list("members").get(0).asHttpUrl().getPort()).isEqualTo(8008);
    assertThatThrownBy(() -> cluster.list("members").get(1).asHttpUrl())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("patroni.clusters[0].members[1]: not a URL");
  }

  @Test
  void missingEmptyAndWronglyTypedValuesAreNamed() throws Exception {
    ConfigNode root = yaml("""
        a: {list: [], n: x, d: 5 parsecs, b: maybe}
        """);
    ConfigNode a = root.get("a");
    assertThatThrownBy(() -> a.list("list")).hasMessage("a.list: must not be empty");
    assertThatThrownBy(() -> a.list("absent")).hasMessage("a.absent: is required");
    assertThatThrownBy(() -> a.integer("n", 1, 0, 10)).hasMessage("a.n: must be an integer");
    assertThatThrownBy(() -> a.duration("d", Duration.ZERO)).hasMessageStartingWith("a.d: not a duration");
    assertThatThrownBy(() -> a.bool("b", false)).hasMessage("a.b: must be true or false");
    assertThatThrownBy(() -> root.required("missing")).hasMessage("missing: is required");
  }

  @Test
  void unknownKeysAreRejectedByName() throws Exception {
    ConfigNode root = yaml("web: {listen_adress: x}");
    assertThatThrownBy(() -> root.get("web").allowOnly(Set.of("listen_address", "telemetry_path")))
        .hasMessageStartingWith("web.listen_adress: unknown key");
  }

  @Test
  void durationsAndDefaults() throws Exception {
    ConfigNode root = yaml("t: 1500ms");
    assertThat(root.duration("t", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
    assertThat(root.duration("absent", Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(4));
    assertThat(root.integer("absent", 7, 0, 10)).isEqualTo(7);
  }
}
