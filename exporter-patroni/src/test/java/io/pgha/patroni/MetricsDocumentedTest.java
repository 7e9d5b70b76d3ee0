package io.pgha.patroni;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.common.ScrapeEngine;
import io.pgha.common.TextExposition;
import io.pgha.patroni.api.PatroniJson;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every metric family the exporter can write is listed in docs/metrics.md, in the right section. */
class MetricsDocumentedTest {

  @Test
  void everyMetricIsInDocsMetricsMd() throws Exception {
    String docs = Files.readString(Path.of("..", "docs", "metrics.md"));
    String patroniSection = docs.substring(docs.indexOf("## exporter-patroni"), docs.indexOf("## exporter-postgres"));
    String commonSection = docs.substring(docs.indexOf("## Common to every exporter"), docs.indexOf("## exporter-patroni"));

    MemberProbe failsafe = new MemberProbe.Answered("patroni2", Recordings.apiUrl("patroni2"),
        PatroniJson.status(Recordings.json(Recordings.V4 + "patroni-failsafe.json")));
    String text = Recordings.render("demo", Optional.of(Recordings.cluster(Recordings.V4)),
        List.of(Recordings.answered(Recordings.V4, "patroni1"), failsafe), Recordings.history(Recordings.V4));
    Set<String> families = families(text);
    assertThat(families).hasSize(18);
    for (String family : families) {
      assertThat(patroniSection).as(family).contains("`" + family + "`");
    }

    Vertx vertx = Vertx.vertx();
    try {
      String core = TextExposition.render(new ScrapeEngine(vertx, "patroni", "test", List.of()).scrape(1000).await(5, TimeUnit.SECONDS));
      for (String family : families(core)) {
        assertThat(commonSection).as(family).contains("`" + family.replace("pgha_patroni_", "pgha_<exporter>_") + "`");
      }
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  private static Set<String> families(String text) {
    Set<String> names = new TreeSet<>();
    text.lines().filter(l -> l.startsWith("# TYPE ")).forEach(l -> names.add(l.split(" ")[2]));
    return names;
  }
}
