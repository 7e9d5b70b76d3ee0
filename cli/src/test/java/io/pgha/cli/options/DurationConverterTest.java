package io.pgha.cli.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {

  @Test
  void readsUnitsAndCombinations() {
    assertThat(DurationConverter.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationConverter.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationConverter.parse("15")).isEqualTo(Duration.ofSeconds(15));
    assertThat(DurationConverter.parse("0")).isEqualTo(Duration.ZERO);
  }

  @Test
  void rejectsWhatIsNotADuration() {
    for (String bad : new String[] {"", "ten", "10 s", "10x", "-5s", "1.5s", "s", "99999999999s"}) {
      assertThatThrownBy(() -> DurationConverter.parse(bad))
          .as(bad)
          .isInstanceOf(CommandLine.TypeConversionException.class)
          .hasMessage("'" + bad + "' is not a duration (use e.g. 10s, 2m, 1m30s, 500ms)");
    }
  }
}
