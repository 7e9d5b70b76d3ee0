package io.pgha.lab.deploy;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.lab.topology.Topology;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WorkspaceTest {

  @Test
  void aWorkDirTooLongForTheSocketPathIsRefusedWithTheLimit() {
    Path longDir = Path.of("/tmp/" + "x".repeat(80));
    assertThatThrownBy(() -> Workspace.validate(Topology.of(longDir, 0)))
        .hasMessageContaining("--workdir " + longDir + " is too long")
        .hasMessageContaining("the limit is 107");
  }

  @Test
  void theTestWorkDirFits() {
    assertThatCode(() -> Workspace.validate(Topology.of(Path.of("/tmp/pgha-it"), 10000)))
        .doesNotThrowAnyException();
  }
}
