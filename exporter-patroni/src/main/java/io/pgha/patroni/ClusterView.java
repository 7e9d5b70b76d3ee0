package io.pgha.patroni;

import io.pgha.patroni.api.PatroniCluster;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of member discovery in one scrape: the first valid {@code /cluster} answer and the
 * member that gave it, or nothing, with the reason of every member that was asked.
 */
record ClusterView(Optional<PatroniCluster> cluster, Optional<URI> answeredBy, List<String> failures) {

  static ClusterView found(PatroniCluster cluster, URI answeredBy) {
    return new ClusterView(Optional.of(cluster), Optional.of(answeredBy), List.of());
  }

  static ClusterView notFound(List<String> failures) {
    return new ClusterView(Optional.empty(), Optional.empty(), List.copyOf(failures));
  }
}
