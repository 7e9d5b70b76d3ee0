package io.pgha.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GridPosTest {

  @Test
  void overlapNeedsBothAxesToIntersect() {
    GridPos a = new GridPos(0, 0, 12, 8);
    assertThat(a.overlaps(new GridPos(12, 0, 12, 8))).isFalse(); // side by side
    assertThat(a.overlaps(new GridPos(0, 8, 12, 8))).isFalse(); // below
    assertThat(a.overlaps(new GridPos(11, 7, 2, 2))).isTrue(); // corner
    assertThat(new GridPos(11, 7, 2, 2).overlaps(a)).isTrue();
    assertThat(a.overlaps(new GridPos(2, 2, 2, 2))).isTrue(); // inside
  }

  @Test
  void aPanelCannotLeaveTheGrid() {
    assertThatThrownBy(() -> new GridPos(20, 0, 8, 4)).hasMessageContaining("outside the grid");
    assertThatThrownBy(() -> new GridPos(0, 0, 0, 4)).hasMessageContaining("outside the grid");
  }

  @Test
  void layoutWrapsPanelsThatDoNotFit() {
    Dashboard d = Dashboard.create("t", "t", "t.json").variable(Variable.datasource());
    Panel p = Panel.stat("s").description("d").unit("none").query(Query.instant("up", ""));
    d.row("r").add(p, 16, 4).add(p, 16, 3).add(p, 8, 2);
    var panels = d.toJson().path("panels");
    assertThat(GridPos.fromJson(panels.get(1).path("gridPos"))).isEqualTo(new GridPos(0, 1, 16, 4));
    assertThat(GridPos.fromJson(panels.get(2).path("gridPos"))).isEqualTo(new GridPos(0, 5, 16, 3));
    assertThat(GridPos.fromJson(panels.get(3).path("gridPos"))).isEqualTo(new GridPos(16, 5, 8, 2));
  }

  @Test
  void aPanelWithoutUnitOrDescriptionIsRefused() {
    Dashboard d = Dashboard.create("t", "t", "t.json");
    assertThatThrownBy(() -> d.add(Panel.stat("s").description("d").query(Query.instant("up", "")), 4, 4))
        .hasMessageContaining("no unit");
    assertThatThrownBy(() -> d.add(Panel.stat("s").unit("none").query(Query.instant("up", "")), 4, 4))
        .hasMessageContaining("no description");
  }
}
