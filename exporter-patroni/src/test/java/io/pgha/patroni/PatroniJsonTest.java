package io.pgha.patroni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.patroni.api.HistoryEntry;
import io.pgha.patroni.api.MemberTags;
import io.pgha.patroni.api.PatroniCluster;
import io.pgha.patroni.api.PatroniJson;
import io.pgha.patroni.api.PatroniStatus;
import io.pgha.patroni.api.UnexpectedResponseException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatroniJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }

  @Test
  void everyRecordedAndDocumentedResponseParses() throws IOException, URISyntaxException {
    Path root = Path.of(getClass().getClassLoader().getResource("recorded").toURI()).getParent();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.toString().endsWith(".json")).toList();
    }
    assertThat(files).hasSizeGreaterThan(40);
    for (Path file : files) {
      JsonNode node = JSON.readTree(file.toFile());
      String name = file.getFileName().toString();
      if (name.equals("cluster.json")) {
        assertThat(PatroniJson.cluster(node).members()).as(file.toString()).isNotEmpty();
      } else if (name.equals("history.json")) {
        assertThat(streamed(Files.readString(file))).as(file.toString()).isEqualTo(PatroniJson.history(node));
      } else if (name.equals("config.json")) {
        assertThat(PatroniJson.config(node).ttlSeconds()).as(file.toString()).isPositive();
      } else {
        assertThat(PatroniJson.status(node).state()).as(file.toString()).isNotEmpty();
      }
    }
  }

  @Test
  void readsWhatTheExporterNeedsFromRecordedResponses() {
    PatroniCluster stopped = Recordings.cluster(Recordings.V3 + "08-replica-stopped/");
    PatroniCluster.Member pg2 = stopped.members().get(1);
    assertThat(pg2).isEqualTo(new PatroniCluster.Member("pg-2", Optional.of("127.0.2.22"), "replica", "stopped",
        Optional.of(URI.create("http://127.0.2.22:8008/patroni")), Optional.empty(), Optional.empty(), true,
        MemberTags.NONE));
    PatroniStatus leader = PatroniJson.status(Recordings.json(Recordings.V3 + "06-paused/patroni-pg-1.json"));
    assertThat(leader).isEqualTo(new PatroniStatus("running", "master", Optional.of(5L), false, true, false, false,
        Optional.of("h2demo"), Optional.empty(), Optional.of("3.0.2"), Optional.of(67395032L), Optional.of(1795664949L),
        MemberTags.NONE, false));
    assertThat(leader.claimsLeadership()).isTrue();
    List<HistoryEntry> history = Recordings.history(Recordings.V4);
    assertThat(history.get(0).newLeader()).isEmpty();
    assertThat(history.get(3).newLeader()).hasValue("patroni1");
    assertThat(history.get(3).switchLsn()).isEqualTo(50331856L);
  }

  /** Each endpoint's reader, by the endpoint's path as the messages name it. */
  private static Object read(String endpoint, JsonNode document) {
    return switch (endpoint) {
      case "/cluster" -> PatroniJson.cluster(document);
      case "/patroni" -> PatroniJson.status(document);
      case "/history" -> PatroniJson.history(document);
      default -> throw new IllegalArgumentException(endpoint);
    };
  }

  @ParameterizedTest(name = "{2}")
  @CsvSource(delimiter = '|', textBlock = """
      /cluster | []                                                                             | /cluster: the document is not a JSON object
      /cluster | {"state": "running"}                                                           | /cluster: members: missing
      /cluster | {"members": {}}                                                                | /cluster: members: not a list
      /cluster | {"members": [{"name": "a", "role": "leader"}, {"name": "b", "role": 7}]}        | /cluster: members[1].role: not a string
      /cluster | {"members": ["pg-1"]}                                                          | /cluster: members[0] is not a JSON object
      /cluster | {"members": [{"name": "a", "role": "replica", "lag": "lots"}]}                 | /cluster: members[0].lag: not a number of bytes or "unknown"
      /cluster | {"members": [{"name": "a", "role": "replica", "timeline": "5"}]}               | /cluster: members[0].timeline: not an integer
      /cluster | {"members": [{"name": "a", "role": "replica", "api_url": "ftp://x/patroni"}]}  | /cluster: members[0].api_url: not an http(s) URL
      /cluster | {"members": [], "pause": "yes"}                                                | /cluster: pause: not true or false
      /patroni | {"role": "master"}                                                             | /patroni: state: missing
      /patroni | {"state": "running", "role": "master", "patroni": "3.0.2"}                     | /patroni: patroni is not a JSON object
      /patroni | {"state": "running", "role": "master", "patroni": {"scope": 1}}               | /patroni: patroni.scope: not a string
      /patroni | "OK"                                                                           | /patroni: the document is not a JSON object
      /history | {}                                                                             | /history: not a list
      /history | [[1, 2]]                                                                       | /history: [0]: not a list of at least [timeline, lsn, reason]
      /history | [["1", 2, "x"]]                                                                | /history: [0]: timeline and lsn must be integers
      /history | [[1, 2, "x", "yesterday"]]                                                     | /history: [0][3]: not an ISO 8601 timestamp with offset
      """)
  void unexpectedShapesNameTheEndpointAndTheField(String endpoint, String document, String message) throws IOException {
    JsonNode json = json(document);
    assertThatThrownBy(() -> read(endpoint, json)).isInstanceOf(UnexpectedResponseException.class).hasMessage(message);
  }

  /** The line-by-line reading the exporter uses. */
  private static List<HistoryEntry> streamed(String text) throws IOException {
    List<HistoryEntry> lines = new java.util.ArrayList<>();
    try (com.fasterxml.jackson.core.JsonParser parser = JSON.createParser(text)) {
      PatroniJson.history(parser, lines::add);
    }
    return lines;
  }

  @Test
  void historyReadLineByLineFailsLikeTheWholeDocument() {
    assertThatThrownBy(() -> streamed("{}")).hasMessage("/history: not a list");
    assertThatThrownBy(() -> streamed("")).hasMessage("/history: not a list");
    assertThatThrownBy(() -> streamed("[[1, 2, \"x\"], [1, 2]]"))
        .hasMessage("/history: [1]: not a list of at least [timeline, lsn, reason]");
    assertThatThrownBy(() -> streamed("[[\"1\", 2, \"x\"]]")).hasMessage("/history: [0]: timeline and lsn must be integers");
    assertThatThrownBy(() -> streamed("[[1, 2, \"x\", \"yesterday\"]]"))
        .hasMessage("/history: [0][3]: not an ISO 8601 timestamp with offset");
    assertThatThrownBy(() -> streamed("[[1, 2, \"x\"]")).isInstanceOfAny(IOException.class, UnexpectedResponseException.class);
  }

  @Test
  void unknownFieldsAreIgnored() throws IOException {
    PatroniCluster cluster = PatroniJson.cluster(json(
        "{\"members\": [{\"name\": \"a\", \"role\": \"leader\", \"shiny\": [1, 2]}], \"future\": {\"x\": 1}}"));
    assertThat(cluster.members()).hasSize(1);
    assertThat(cluster.leader()).map(PatroniCluster.Member::name).hasValue("a");
  }
}
