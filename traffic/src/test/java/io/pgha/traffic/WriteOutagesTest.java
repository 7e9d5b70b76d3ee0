package io.pgha.traffic;

import static io.pgha.traffic.Outcomes.readFailed;
import static io.pgha.traffic.Outcomes.readOk;
import static io.pgha.traffic.Outcomes.writeFailed;
import static io.pgha.traffic.Outcomes.writeOk;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WriteOutagesTest {

  @Test
  void noFailedWriteMeansNoOutage() {
    List<OperationOutcome> outcomes = List.of(writeOk(1040), writeOk(1080), readFailed(1090, "x"), writeOk(1120));

    assertThat(WriteOutages.all(outcomes, 1000, 2000)).isEmpty();
    assertThat(WriteOutages.longest(outcomes, 1000, 2000)).isEmpty();
  }

  @Test
  void outageRunsFromLastAcknowledgedWriteBeforeFailuresToFirstAfter() {
    List<OperationOutcome> outcomes = List.of(writeOk(1040), writeOk(1080), writeFailed(1120), writeFailed(1160),
        writeFailed(2300), writeOk(4350), writeOk(4390));

    assertThat(WriteOutages.all(outcomes, 1000, 5000))
        .containsExactly(new WriteOutage(1080, 4350, 3, true));
    assertThat(WriteOutages.longest(outcomes, 1000, 5000).orElseThrow().millis()).isEqualTo(3270);
  }

  /** What is shown, the outcomes, and the one outage they make over [1000, 2000). */
  static Stream<Arguments> oneOutage() {
    return Stream.of(
        Arguments.of("reads do not count towards write outages", List.of(writeOk(1040), readFailed(1050, "x"),
            readOk(1060, "pg-2"), writeFailed(1070), readOk(1075, "pg-2"), writeOk(1200)),
            new WriteOutage(1040, 1200, 1, true)),
        Arguments.of("failures at the start count from the start of the range",
            List.of(writeFailed(1010), writeFailed(1050), writeOk(1500)), new WriteOutage(1000, 1500, 2, true)),
        Arguments.of("failures until the end are an open outage up to the end of the range",
            List.of(writeOk(1040), writeFailed(1080), writeFailed(1120)), new WriteOutage(1040, 2000, 2, false)),
        Arguments.of("outcomes out of order are sorted by their end",
            List.of(writeOk(1500), writeFailed(1200), writeOk(1100)), new WriteOutage(1100, 1500, 1, true)),
        Arguments.of("only writes ending inside the range count", List.of(writeOk(900), writeFailed(950),
            writeOk(1100), writeFailed(1200), writeOk(1300), writeFailed(2100)), new WriteOutage(1100, 1300, 1, true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneOutage")
  void oneOutage(String what, List<OperationOutcome> outcomes, WriteOutage outage) {
    assertThat(WriteOutages.all(outcomes, 1000, 2000)).containsExactly(outage);
  }

  @Test
  void longestOfSeveralOutagesWinsAndTheEarliestOfEqualOnes() {
    List<OperationOutcome> outcomes = List.of(writeOk(1000), writeFailed(1100), writeOk(1300),
        writeFailed(1400), writeFailed(1500), writeOk(2300), writeFailed(2400), writeOk(2500),
        writeFailed(2600), writeOk(3300));

    assertThat(WriteOutages.all(outcomes, 1000, 4000)).hasSize(4);
    assertThat(WriteOutages.longest(outcomes, 1000, 4000)).contains(new WriteOutage(1300, 2300, 2, true));
  }

  @Test
  void longestGapIsBetweenSuccessiveAcknowledgedWritesEvenWithoutFailures() {
    List<OperationOutcome> outcomes = List.of(writeOk(1040), writeOk(1080), writeOk(2580), writeOk(2620),
        writeFailed(2660), writeOk(2900));

    assertThat(WriteOutages.longestGapMillis(outcomes, 1000, 4000)).isEqualTo(1500);
    assertThat(WriteOutages.all(outcomes, 1000, 4000)).containsExactly(new WriteOutage(2620, 2900, 1, true));
  }

  @Test
  void gapNeedsTwoAcknowledgedWrites() {
    assertThat(WriteOutages.longestGapMillis(List.of(writeOk(1500), writeFailed(1600)), 1000, 4000)).isZero();
    assertThat(WriteOutages.longestGapMillis(List.of(), 1000, 4000)).isZero();
  }

  @Test
  void firstAcknowledgedWriteAfterAMoment() {
    List<OperationOutcome> outcomes = List.of(writeOk(1000), writeFailed(1100), readOk(1150, "pg-2"),
        writeOk(1400), writeOk(1300));

    assertThat(WriteOutages.firstAcknowledgedWriteAfter(outcomes, 1050)).hasValue(1300);
    assertThat(WriteOutages.firstAcknowledgedWriteAfter(outcomes, 1000)).hasValue(1300);
    assertThat(WriteOutages.firstAcknowledgedWriteAfter(outcomes, 1400)).isEmpty();
  }
}
