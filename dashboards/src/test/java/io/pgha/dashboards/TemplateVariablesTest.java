package io.pgha.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateVariablesTest {

  private final TemplateVariables vars = new TemplateVariables(Map.of(
      "scope", TemplateVariables.Value.single("pgha"),
      "member", new TemplateVariables.Value(List.of("pg-1", "pg-2"), false, true, ".+"),
      "all_members", new TemplateVariables.Value(List.of("pg-1", "pg-2"), true, true, ".+"),
      "all_no_allvalue", new TemplateVariables.Value(List.of("pg.1", "pg-2"), true, true, null),
      "one_of_multi", new TemplateVariables.Value(List.of("a.b"), false, true, null)))
      .with("__rate_interval", TemplateVariables.Value.single("1m"))
      .with("__range", TemplateVariables.Value.single("3600s"));

  @Test
  void substitutesEveryGrafanaSyntax() {
    assertThat(vars.interpolate("x{scope=\"$scope\"}").text()).isEqualTo("x{scope=\"pgha\"}");
    assertThat(vars.interpolate("x{scope=\"${scope}\"}").text()).isEqualTo("x{scope=\"pgha\"}");
    assertThat(vars.interpolate("x{scope=\"[[scope]]\"}").text()).isEqualTo("x{scope=\"pgha\"}");
    assertThat(vars.interpolate("rate(x[$__rate_interval])").text()).isEqualTo("rate(x[1m])");
    assertThat(vars.interpolate("max_over_time(x[${__range}])").text()).isEqualTo("max_over_time(x[3600s])");
  }

  @Test
  void multiValueBecomesARegexAlternationAndAllItsAllValue() {
    assertThat(vars.interpolate("x{member=~\"$member\"}").text()).isEqualTo("x{member=~\"(pg-1|pg-2)\"}");
    assertThat(vars.interpolate("x{member=~\"$all_members\"}").text()).isEqualTo("x{member=~\".+\"}");
    assertThat(vars.interpolate("x{member=~\"$all_no_allvalue\"}").text())
        .isEqualTo("x{member=~\"(pg\\\\.1|pg-2)\"}");
    assertThat(vars.interpolate("x{member=~\"$one_of_multi\"}").text()).isEqualTo("x{member=~\"a\\\\.b\"}");
  }

  @Test
  void formatsOverrideTheDefault() {
    assertThat(vars.interpolate("${member:pipe}").text()).isEqualTo("pg-1|pg-2");
    assertThat(vars.interpolate("${member:csv}").text()).isEqualTo("pg-1,pg-2");
    assertThat(vars.interpolate("${member:regex}").text()).isEqualTo("(pg-1|pg-2)");
  }

  @Test
  void unknownVariablesAreLeftAndReported() {
    TemplateVariables.Interpolation i = vars.interpolate("x{scope=\"$scop\", member=\"${membr}\"}[$__rate_interval]");
    assertThat(i.text()).isEqualTo("x{scope=\"$scop\", member=\"${membr}\"}[1m]");
    assertThat(i.unresolved()).containsExactly("scop", "membr");
  }

  @Test
  void longestNameWins() {
    TemplateVariables v = new TemplateVariables(Map.of(
        "write", TemplateVariables.Value.single("W"),
        "write_backend", TemplateVariables.Value.single("pg_write")));
    assertThat(v.interpolate("proxy=~\"$write_backend|$write\"").text()).isEqualTo("proxy=~\"pg_write|W\"");
  }

  @Test
  void builtInsFollowTheScrapeInterval() {
    TemplateVariables b = new TemplateVariables(TemplateVariables.builtIns(3600, 15));
    assertThat(b.interpolate("$__interval $__interval_ms $__rate_interval $__range $__range_s $__range_ms").text())
        .isEqualTo("15s 15000 60s 3600s 3600 3600000");
  }

  @Test
  void listsReferencedNames() {
    assertThat(TemplateVariables.referenced("a{x=\"$scope\",y=~\"${member:regex}\"}[$__rate_interval] [[scope]]"))
        .containsExactly("scope", "member", "__rate_interval");
  }
}
