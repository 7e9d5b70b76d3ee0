package io.pgha.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcd.jetcd.maintenance.AlarmMember;
import io.etcd.jetcd.maintenance.AlarmResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.pgha.common.ProblemLog;
import io.pgha.common.ScrapeContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the etcd cluster at scrape time: the membership through the first endpoint that answers, then
 * per endpoint its status and a quorum read, and the alarm list. Never fails: what could not be
 * read is absent from the returned {@link ClusterProbe}, with the reason logged.
 */
final class EtcdClusterClient {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdClusterClient.class);
  /** The key {@code etcdctl endpoint health} reads; it need not exist. */
  private static final ByteSequence HEALTH_KEY = ByteSequence.from("health", StandardCharsets.UTF_8);

  private final EtcdSettings settings;
  private final EtcdClients clients;
  private final ProblemLog reasons = new ProblemLog(LOG, EtcdErrors.LOG_QUIET);

  EtcdClusterClient(EtcdSettings settings, EtcdClients clients) {
    this.settings = settings;
    this.clients = clients;
  }

  Future<ClusterProbe> probe(ScrapeContext scrape) {
    Context context = scrape.vertx().getOrCreateContext();
    // The configured endpoints are probed at once, alongside the member list, not after it.
    Future<Map<URI, EndpointProbe>> configured = probeAll(scrape, context, new LinkedHashSet<>(settings.endpoints()));
    Future<EtcdClients.Answer<MemberListResponse>> list =
        clients.first(context, timeout(scrape), c -> c.getClusterClient().listMember());
    return list.transform(ar -> {
      if (ar.failed()) {
        reasons.failed("etcd member list", "no endpoint answered: " + EtcdErrors.describe(ar.cause()));
        return configured.map(ClusterProbe::unreachable);
      }
      reasons.recovered("etcd member list", "answers again");
      List<EtcdMember> members = members(ar.result().value());
      Map<Long, URI> memberEndpoints = memberEndpoints(members, settings.endpoints());
      Set<URI> advertisedOnly = new LinkedHashSet<>(memberEndpoints.values());
      advertisedOnly.removeAll(settings.endpoints());
      clients.retainMembers(advertisedOnly);
      Future<Map<URI, EndpointProbe>> advertised = probeAll(scrape, context, advertisedOnly);
      Future<Optional<List<EtcdAlarm>>> alarms = alarms(scrape, context, ar.result().client());
      return Future.all(configured, advertised, alarms).map(v -> {
        Map<URI, EndpointProbe> probes = new LinkedHashMap<>(configured.result());
        probes.putAll(advertised.result());
        return new ClusterProbe(true, members, probes, memberEndpoints, alarms.result());
      });
    });
  }

  static List<EtcdMember> members(MemberListResponse response) {
    List<EtcdMember> members = new ArrayList<>();
    for (Member m : response.getMembers()) {
      members.add(new EtcdMember(m.getId(), m.getName(), m.getClientURIs().stream().map(EtcdClusterClient::origin).toList(),
          m.isLearner()));
    }
    return members;
  }

  /**
   * The endpoint that speaks for each member: a configured endpoint among its client URLs if there
   * is one (the address the operator chose), else the first URL it advertises.
   */
  static Map<Long, URI> memberEndpoints(List<EtcdMember> members, List<URI> configured) {
    Map<Long, URI> endpoints = new LinkedHashMap<>();
    for (EtcdMember m : members) {
      Optional<URI> chosen = m.clientUrls().stream().filter(configured::contains).findFirst()
          .or(() -> m.clientUrls().stream().findFirst());
      chosen.ifPresent(uri -> endpoints.put(m.id(), uri));
    }
    return endpoints;
  }

  private Future<Map<URI, EndpointProbe>> probeAll(ScrapeContext scrape, Context context, Set<URI> targets) {
    List<Future<EndpointProbe>> probes = new ArrayList<>();
    for (URI target : targets) {
      probes.add(probe(scrape, context, target));
    }
    return Future.join(probes).transform(ignored -> {
      Map<URI, EndpointProbe> byEndpoint = new LinkedHashMap<>();
      for (Future<EndpointProbe> p : probes) {
        byEndpoint.put(p.result().endpoint(), p.result());
      }
      return Future.succeededFuture(byEndpoint);
    });
  }

  /** Status and a quorum read through one endpoint; always succeeds with what was learned. */
  private Future<EndpointProbe> probe(ScrapeContext scrape, Context context, URI endpoint) {
    return clients.member(endpoint).timeout(timeout(scrape), TimeUnit.MILLISECONDS).transform(c -> c.succeeded()
        ? probe(scrape, context, endpoint, c.result())
        : Future.succeededFuture(new EndpointProbe(endpoint, Optional.empty(), false,
            Optional.of("client: " + EtcdErrors.describe(c.cause())))));
  }

  private Future<EndpointProbe> probe(ScrapeContext scrape, Context context, URI endpoint, Client client) {
    long timeout = timeout(scrape);
    Future<MemberStatus> status = Calls.call(context, timeout,
        () -> client.getMaintenanceClient().statusMember(endpoint.toString())).map(EtcdClusterClient::status);
    Future<Boolean> health = Calls.call(context, timeout, () -> client.getKVClient().get(HEALTH_KEY))
        .map(true)
        .recover(e -> EtcdErrors.permissionDenied(e) ? Future.succeededFuture(true) : Future.failedFuture(e));
    return Future.join(status, health).transform(ignored -> {
      String what = "etcd endpoint " + endpoint;
      Optional<String> error = Optional.empty();
      if (status.failed()) {
        error = Optional.of("status: " + EtcdErrors.describe(status.cause()));
      } else if (health.failed()) {
        error = Optional.of("quorum read: " + EtcdErrors.describe(health.cause()));
      }
      if (health.failed() && EtcdErrors.needsNewClient(health.cause())) {
        clients.resetMember(endpoint, client);
      }
      error.ifPresentOrElse(reason -> reasons.failed(what, reason), () -> reasons.recovered(what, "answers again"));
      return Future.succeededFuture(new EndpointProbe(endpoint,
          status.succeeded() ? Optional.of(status.result()) : Optional.empty(), health.succeeded(), error));
    });
  }

  /** Through the member that answered the member list; the alarm list itself goes through raft. */
  private Future<Optional<List<EtcdAlarm>>> alarms(ScrapeContext scrape, Context context, Client member) {
    return Calls.call(context, timeout(scrape), () -> member.getMaintenanceClient().listAlarms())
        .map(r -> Optional.of(alarms(r)))
        .otherwise(e -> {
          // The alarm list goes through raft: without quorum it cannot be read, which is no news.
          LOG.debug("etcd alarm list: {}", EtcdErrors.describe(e));
          return Optional.empty();
        });
  }

  static List<EtcdAlarm> alarms(AlarmResponse response) {
    List<EtcdAlarm> alarms = new ArrayList<>();
    for (AlarmMember a : response.getAlarms()) {
      switch (a.getAlarmType()) {
        case NOSPACE -> alarms.add(new EtcdAlarm(a.getMemberId(), "nospace"));
        // jetcd 0.8.6 has no constant for CORRUPT, etcd's only other alarm type (3.4 to 3.6).
        case UNRECOGNIZED -> alarms.add(new EtcdAlarm(a.getMemberId(), "corrupt"));
        default -> { } // NONE: no alarm
      }
    }
    return alarms;
  }

  static MemberStatus status(StatusResponse r) {
    return new MemberStatus(r.getHeader().getMemberId(), r.getLeader(), r.getRaftTerm(), r.getDbSize(), r.getVersion());
  }

  private long timeout(ScrapeContext scrape) {
    return Math.min(scrape.remainingMillis(), settings.requestTimeout().toMillis());
  }

  /** {@code scheme://host:port}, the form endpoints are compared in. */
  static URI origin(URI uri) {
    int port = uri.getPort() >= 0 ? uri.getPort() : 2379;
    return URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + port);
  }
}
