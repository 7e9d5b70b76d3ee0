package io.pgha.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.drills.Check;
import io.pgha.drills.ClusterControl;
import io.pgha.drills.DrillPlan;
import io.pgha.drills.DrillReport;
import io.pgha.drills.DrillResult;
import io.pgha.drills.DrillRunner;
import io.pgha.drills.DrillText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;

/**
 * Every fault drill of {@code pgha drill all} on the shared cluster, one dynamic test per drill run, each
 * failing with the figures that missed. First of all classes (@Order(1)): leader-kill then is the first
 * leader change of the run, so PghaPatroniFailover (which stays firing for 10 minutes after any change)
 * can be delivered for it. The report goes to target/pgha-it/drills. About 6 to 10 minutes.
 */
@PghaCluster.Test
@Order(1)
class DrillsIT {

  private static final List<DrillResult> RESULTS = new ArrayList<>();
  private static long started;

  @TestFactory
  Stream<DynamicTest> everyDrillPasses(TestCluster cluster) throws Exception {
    cluster.awaitHealthy(Duration.ofSeconds(120));
    ClusterControl control = new ClusterControl(cluster.topology(), cluster.installation());
    DrillRunner runner = new DrillRunner(control, System.out);
    started = System.currentTimeMillis();
    return DrillPlan.all(false).stream().map(plan -> DynamicTest.dynamicTest(plan.title(), () -> {
      DrillResult r = runner.run(plan);
      RESULTS.add(r);
      assertThat(r.passed()).as("%s missed: %s", plan.title(), DrillText.missed(r)).isTrue();
      if (plan.id().equals("leader-kill")) {
        // The one drill whose alert could otherwise be swallowed by an earlier leader change.
        assertThat(r.checks()).filteredOn(c -> c.name().equals("alert PghaPatroniFailover delivered"))
            .extracting(Check::status).containsExactly(Check.Status.PASS);
      }
    }));
  }

  @AfterAll
  static void writeReport() throws Exception {
    if (RESULTS.isEmpty()) {
      return;
    }
    long took = System.currentTimeMillis() - started;
    System.out.println(DrillText.table(RESULTS) + "drills took " + Duration.ofMillis(took).toSeconds() + " s");
    Path dir = Path.of(System.getProperty("pgha.it.logs", "target/pgha-it"), "drills");
    System.out.println("drill report: " + DrillReport.write(dir, RESULTS, new DrillReport.Context(
        "Integration test cluster `" + TestCluster.WORKDIR + "` (offset " + TestCluster.OFFSET + ").", started, took)));
  }
}
