package io.pgha.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessFootprintTest {

  /** Recorded from exporter-etcd on the dev machine (kernel 6.18). */
  private static final String SMAPS_ROLLUP = """
      fc000000-7fff05797000 ---p 00000000 00:00 0                              [rollup]
      Rss:              103896 kB
      Pss:               84618 kB
      Pss_Dirty:         83852 kB
      Pss_Anon:          83840 kB
      Pss_File:            778 kB
      Pss_Shmem:             0 kB
      Shared_Clean:      20024 kB
      Shared_Dirty:          0 kB
      Private_Clean:        20 kB
      Private_Dirty:     83852 kB
      Referenced:       103896 kB
      Anonymous:         83840 kB
      Swap:                  0 kB
      SwapPss:               0 kB
      """;

  @Test
  void rssAndPssFromSmapsRollup() {
    ProcessFootprint f = ProcessFootprint.parseSmapsRollup(SMAPS_ROLLUP);
    assertThat(f).isEqualTo(new ProcessFootprint(103896, 84618));
    assertThat(f.rssMb()).isEqualTo(103896 / 1024.0);
    assertThat(f.plus(new ProcessFootprint(1, 2))).isEqualTo(new ProcessFootprint(103897, 84620));
  }

  @Test
  void pssDirtyIsNotPss() {
    assertThatThrownBy(() -> ProcessFootprint.parseSmapsRollup("Rss: 10 kB\nPss_Dirty: 5 kB\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsThisProcessAndNothingForAProcessThatIsGone() {
    long me = ProcessHandle.current().pid();
    assertThat(ProcessFootprint.of(me)).hasValueSatisfying(f -> {
      assertThat(f.rssKb()).isPositive();
      assertThat(f.pssKb()).isPositive().isLessThanOrEqualTo(f.rssKb());
    });
    assertThat(ProcessFootprint.cpu(me)).isPresent();
    assertThat(ProcessFootprint.of(Long.MAX_VALUE)).isEmpty();
  }
}
