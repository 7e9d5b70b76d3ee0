package io.pgha.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VariableResolverTest {

  @Test
  void grafanaRegexKeepsMatchingValuesCaseInsensitively() {
    List<String> proxies = List.of("pg_read", "pg_write", "stats", "Primary");
    assertThat(VariableResolver.filter(proxies, "/write|primary|leader/i")).containsExactly("Primary", "pg_write");
    assertThat(VariableResolver.filter(proxies, "/write|primary/")).containsExactly("pg_write");
    assertThat(VariableResolver.filter(proxies, "")).isEqualTo(proxies);
  }

  @Test
  void aCaptureGroupPicksTheText() {
    assertThat(VariableResolver.filter(List.of("pg-1:8008", "pg-2:8008"), "/(pg-\\d):.*/"))
        .containsExactly("pg-1", "pg-2");
  }
}
