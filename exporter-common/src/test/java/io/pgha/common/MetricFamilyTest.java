package io.pgha.common;

import static io.pgha.common.Golden.golden;
import static io.pgha.common.MetricFamily.counter;
import static io.pgha.common.MetricFamily.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricFamilyTest {
  private static final GaugeFamily LAG = gauge("pgha_x_lag_bytes", "Lag.", "scope", "member");
  private static final CounterFamily CHANGES = counter("pgha_x_changes_total", "Changes.", "scope");

  @Test
  void pointsCarryTheDeclaredLabelsAndCountersTheirTotal() {
    String text = TextExposition.render(List.of(
        LAG.snapshot(List.of(LAG.point(5, "pgha", "pg-2"), LAG.point(0, "pgha", "pg-1"))),
        CHANGES.snapshot(3, "pgha")));
    assertThat(text).isEqualTo(golden("MetricFamilyTest/pointsCarryTheDeclaredLabelsAndCountersTheirTotal"));
    assertThat(CHANGES.name()).isEqualTo("pgha_x_changes_total");
    assertThat(CHANGES.type()).hasToString("counter");
    assertThat(LAG.labelNames()).containsExactly("scope", "member");
  }

  @Test
  void aWrongNumberOfLabelValuesFailsWhereThePointIsMade() {
    assertThatThrownBy(() -> LAG.point(1, "pgha"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pgha_x_lag_bytes takes 2 label value(s) [scope, member], got 1: [pgha]");
    assertThatThrownBy(() -> CHANGES.point(1, "pgha", "pg-1")).hasMessageStartingWith("pgha_x_changes_total takes 1 label value(s)");
    assertThatThrownBy(() -> LAG.point(1, "pgha", null)).hasMessage("pgha_x_lag_bytes: label member has no value");
  }

  @Test
  void aFamilyRefusesAPointWithOtherLabelNames() {
    GaugeDataPointSnapshot foreign = GaugeDataPointSnapshot.builder().value(1).labels(Labels.of("scope", "a", "standby", "b")).build();
    assertThatThrownBy(() -> LAG.snapshot(List.of(LAG.point(1, "a", "b"), foreign)))
        .hasMessageStartingWith("pgha_x_lag_bytes has labels [scope, member], not those of the point");
    assertThat(LAG.carriesLabelNames(Labels.of("member", "m", "scope", "s"))).isTrue();
    assertThat(LAG.carriesLabelNames(Labels.of("scope", "s"))).isFalse();
    assertThat(LAG.carriesLabelNames(Labels.of("member", "m", "standby", "s"))).isFalse();
    assertThat(LAG.carriesLabelNames(Labels.of("member", "m", "scope", "s", "state", "x"))).isFalse();
  }

  @Test
  void declarationsAreCheckedWhenMade() {
    assertThatThrownBy(() -> gauge("patroni_up", "Up.")).hasMessage("not a pgha metric name: patroni_up");
    assertThatThrownBy(() -> gauge("pgha_x_up", " ")).hasMessage("pgha_x_up: help is required");
    assertThatThrownBy(() -> gauge("pgha_x_up", "Up.", "scope", "scope")).hasMessageStartingWith("pgha_x_up: label names repeat");
    assertThatThrownBy(() -> gauge("pgha_x_up", "Up.", "Scope")).hasMessage("pgha_x_up: not a label name: Scope");
    assertThatThrownBy(() -> counter("pgha_x_changes", "Changes.")).hasMessage("a counter's name ends in _total: pgha_x_changes");
  }

  @Test
  void oneHotMakesOneSeriesPerStateWithTheStateAsTheLastLabel() {
    GaugeFamily role = gauge("pgha_x_role", "Role.", "member", "role");
    assertThat(role.oneHot(List.of("leader", "replica"), "replica", "m1"))
        .extracting(p -> p.getLabels().get("role") + "=" + p.getValue())
        .containsExactly("leader=0.0", "replica=1.0");
  }

  @Test
  void aPointsLabelsEqualThoseClientJavaMakesWhateverTheDeclaredOrder() {
    GaugeFamily family = gauge("pgha_x_merged", "Merged.", "scope", "member", "state", "a_b", "z");
    for (String[] values : new String[][] {
        {"pgha", "pg-1", "running", "", "x"}, {"pgha", "pg-2", "running", "1", "y"},
        {"other", "pg-1", "stopped", "ü \" \\ \n", "x"}}) {
      Labels made = family.point(1, values).getLabels();
      Labels expected = Labels.of(new String[] {"scope", "member", "state", "a_b", "z"}, values);
      assertThat((Object) made).isEqualTo(expected);
      for (int i = 0; i < made.size(); i++) {
        assertThat(made.getName(i)).isEqualTo(expected.getName(i));
        assertThat(made.getPrometheusName(i)).isEqualTo(expected.getPrometheusName(i));
        assertThat(made.getValue(i)).isEqualTo(expected.getValue(i));
      }
    }
    assertThat((Object) gauge("pgha_x_unlabelled", "Unlabelled.").point(1).getLabels()).isSameAs(Labels.EMPTY);
  }

  @Test
  void labelsWhoseValuesKeepChangingStartTheirKeptSetsAgainInsteadOfGrowing() {
    GaugeFamily family = gauge("pgha_x_churning", "Churning.", "churning_id");
    for (int i = 0; i < MetricFamily.LABEL_SETS_KEPT + 10; i++) {
      assertThat(family.point(i, Integer.toString(i)).getLabels().get("churning_id")).isEqualTo(Integer.toString(i));
    }
    assertThat(MetricFamily.labelSetsKept("churning_id")).isEqualTo(10);
  }

  @Test
  void familiesDeclaringTheSameLabelNamesShareTheirLabelSets() {
    GaugeFamily one = gauge("pgha_x_shared_one", "One.", "shared_scope", "shared_member");
    GaugeFamily two = gauge("pgha_x_shared_two", "Two.", "shared_scope", "shared_member");
    GaugeFamily reversed = gauge("pgha_x_shared_reversed", "Reversed.", "shared_member", "shared_scope");
    String[] values = {"main", "pg-1"};
    Labels first = one.point(1, values).getLabels();
    values[1] = "pg-2";
    assertThat((Object) one.point(1, "main", "pg-1").getLabels()).as("kept, and not changed with the caller's array")
        .isSameAs(first);
    assertThat((Object) two.point(1, "main", "pg-1").getLabels()).isSameAs(first);
    assertThat((Object) reversed.point(1, "pg-1", "main").getLabels()).isEqualTo(first).isNotSameAs(first);
    assertThat(MetricFamily.labelSetsKept("shared_scope", "shared_member")).isEqualTo(1);
  }
}
