package io.pgha.traffic;

import static io.pgha.traffic.Outcomes.readFailed;
import static io.pgha.traffic.Outcomes.readOk;
import static io.pgha.traffic.Outcomes.writeFailed;
import static io.pgha.traffic.Outcomes.writeOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficWindowsTest {

  @Test
  void bucketsHoldTheOperationsThatEndedInThem() {
    List<OperationOutcome> outcomes = List.of(writeOk(1000), writeOk(1099, "pg-1"), readOk(1050, "pg-2"),
        writeFailed(1100, "refused"), readOk(1150, "pg-3"), readFailed(1199, "timeout"), writeOk(1250, "pg-2"));

    List<TrafficWindow> buckets = TrafficWindows.buckets(outcomes, 1000, 1300, 100);

    assertThat(buckets).containsExactly(
        new TrafficWindow(1000, 1100, 2, 0, 1, 0, Map.of("pg-1", 2), Map.of("pg-2", 1), 0, null),
        new TrafficWindow(1100, 1200, 0, 1, 1, 1, Map.of(), Map.of("pg-3", 1), 0, "timeout"),
        new TrafficWindow(1200, 1300, 1, 0, 0, 0, Map.of("pg-2", 1), Map.of(), 0, null));
  }

  @Test
  void operationsOutsideTheRangeAreLeftOutAndTheLastBucketMayBeShort() {
    List<OperationOutcome> outcomes = List.of(writeOk(999), writeOk(1000), writeOk(1249), writeOk(1250));

    List<TrafficWindow> buckets = TrafficWindows.buckets(outcomes, 1000, 1250, 100);

    assertThat(buckets).extracting(TrafficWindow::startMillis, TrafficWindow::endMillis, TrafficWindow::writesOk)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1000L, 1100L, 1),
            org.assertj.core.groups.Tuple.tuple(1100L, 1200L, 0),
            org.assertj.core.groups.Tuple.tuple(1200L, 1250L, 1));
  }

  @Test
  void emptyRangeHasNoBuckets() {
    assertThat(TrafficWindows.buckets(List.of(writeOk(1000)), 1000, 1000, 100)).isEmpty();
  }

  @Test
  void tallyCountsAWholeWindowWithTheLatestError() {
    List<OperationOutcome> outcomes = List.of(writeFailed(1300, "second"), writeFailed(1100, "first"),
        readOk(1500, "pg-3"), readOk(1600, "pg-2"), readOk(1700, "pg-3"));

    TrafficWindow tally = TrafficWindows.tally(outcomes, 1000, 2000);

    assertThat(tally).isEqualTo(new TrafficWindow(1000, 2000, 0, 2, 3, 0, Map.of(),
        Map.of("pg-2", 1, "pg-3", 2), 0, "second"));
    assertThat(tally.readsByMember().keySet()).containsExactly("pg-2", "pg-3");
  }

  @Test
  void readsThatAPrimaryServedAreCounted() {
    List<OperationOutcome> outcomes = List.of(readOk(1100, "pg-2"),
        OperationOutcome.ok(OperationOutcome.Kind.READ, 1150, 1152, "pg-1", true), writeOk(1160, "pg-1"));

    TrafficWindow tally = TrafficWindows.tally(outcomes, 1000, 2000);

    assertThat(tally.readsFromPrimary()).isEqualTo(1);
    assertThat(tally.readsByMember()).isEqualTo(Map.of("pg-1", 1, "pg-2", 1));
  }

  @Test
  void emptyTallyOfAnEmptyRange() {
    assertThat(TrafficWindows.tally(List.of(writeOk(1000)), 1000, 1000))
        .isEqualTo(new TrafficWindow(1000, 1000, 0, 0, 0, 0, Map.of(), Map.of(), 0, null));
  }

  @Test
  void bucketWidthMustBePositive() {
    assertThatThrownBy(() -> TrafficWindows.buckets(List.of(), 0, 100, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
