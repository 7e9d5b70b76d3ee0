package io.pgha.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EtcdQuorumTest {

  @ParameterizedTest(name = "{1} healthy of {0}: quorum {2}, available {3}, tolerable {4}")
  @CsvSource({
      // members, healthy, quorum size, available, failures tolerable
      "1, 0, 1, false, 0",
      "1, 1, 1, true, 0",
      "3, 0, 2, false, 0",
      "3, 1, 2, false, 0",
      "3, 2, 2, true, 0",
      "3, 3, 2, true, 1",
      "5, 0, 3, false, 0",
      "5, 1, 3, false, 0",
      "5, 2, 3, false, 0",
      "5, 3, 3, true, 0",
      "5, 4, 3, true, 1",
      "5, 5, 3, true, 2",
      // even sizes: a fourth member adds no tolerance
      "4, 4, 3, true, 1",
      "4, 2, 3, false, 0",
  })
  void quorumArithmetic(int members, int healthy, int quorumSize, boolean available, int tolerable) {
    EtcdQuorum q = new EtcdQuorum(members, healthy);
    assertThat(q.quorumSize()).isEqualTo(quorumSize);
    assertThat(q.available()).isEqualTo(available);
    assertThat(q.failuresTolerable()).isEqualTo(tolerable);
  }

  @ParameterizedTest
  @CsvSource({"3, 4", "3, -1", "-1, 0"})
  void rejectsImpossibleCounts(int members, int healthy) {
    assertThatThrownBy(() -> new EtcdQuorum(members, healthy)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"0"})
  void anEmptyClusterHasNoQuorum(int members) {
    EtcdQuorum q = new EtcdQuorum(members, 0);
    assertThat(q.available()).isFalse();
    assertThat(q.failuresTolerable()).isZero();
  }
}
