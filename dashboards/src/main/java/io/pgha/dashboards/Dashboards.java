package io.pgha.dashboards;

import java.util.List;

/** Every dashboard pgha ships, in the order the README lists them. */
public final class Dashboards {

  private Dashboards() {}

  public static List<Dashboard> all() {
    return List.of(
        ClusterOverviewDashboard.build(),
        PostgresInstancesDashboard.build(),
        EtcdDashboard.build(),
        PghaSelfDashboard.build());
  }
}
