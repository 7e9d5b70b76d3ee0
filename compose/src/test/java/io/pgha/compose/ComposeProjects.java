package io.pgha.compose;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What compose made for a project, found by compose's own project label, through the engine's API.
 * Only projects whose name the test chose are ever removed.
 */
final class ComposeProjects {
  static final String PROJECT_LABEL = "com.docker.compose.project";
  static final String SERVICE_LABEL = "com.docker.compose.service";

  private final DockerClient docker;

  ComposeProjects(DockerClient docker) {
    this.docker = docker;
  }

  List<Container> containers(Predicate<String> project) {
    return docker.listContainersCmd().withShowAll(true).exec().stream()
        .filter(c -> c.getLabels() != null && matches(project, c.getLabels()))
        .toList();
  }

  List<Network> networks(Predicate<String> project) {
    return docker.listNetworksCmd().exec().stream()
        .filter(n -> n.getLabels() != null && matches(project, n.getLabels()))
        .toList();
  }

  List<InspectVolumeResponse> volumes(Predicate<String> project) {
    List<InspectVolumeResponse> volumes = docker.listVolumesCmd().exec().getVolumes();
    return volumes == null ? List.of() : volumes.stream()
        .filter(v -> v.getLabels() != null && matches(project, v.getLabels()))
        .toList();
  }

  /** The id of the one container of {@code service} in {@code project}. */
  String containerOf(String project, String service) {
    List<Container> found = containers(project::equals).stream()
        .filter(c -> service.equals(c.getLabels().get(SERVICE_LABEL)))
        .toList();
    if (found.size() != 1) {
      throw new IllegalStateException("want one container of " + service + " in " + project + ", found " + found.size());
    }
    return found.get(0).getId();
  }

  void stop(String containerId, int timeoutSeconds) {
    docker.stopContainerCmd(containerId).withTimeout(timeoutSeconds).exec();
  }

  /** Force-removes containers, then networks, then volumes of the matching projects. */
  void remove(Predicate<String> project) {
    for (Container c : containers(project)) {
      docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
    }
    for (Network n : networks(project)) {
      docker.removeNetworkCmd(n.getId()).exec();
    }
    for (InspectVolumeResponse v : volumes(project)) {
      docker.removeVolumeCmd(v.getName()).exec();
    }
  }

  private static boolean matches(Predicate<String> project, Map<String, String> labels) {
    String name = labels.get(PROJECT_LABEL);
    return Objects.nonNull(name) && project.test(name);
  }
}
