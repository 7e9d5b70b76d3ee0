package io.pgha.patroni;

import io.pgha.common.ScrapeCollector;
import io.pgha.common.ScrapeCollectorGroup;
import io.pgha.common.ScrapeContext;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@link PatroniMemberCollector} per member known in this scrape (discovered through
 * {@code /cluster} or remembered), so one member answering garbage fails only its own collector.
 */
record PatroniMemberCollectors(PatroniScope scope) implements ScrapeCollectorGroup {

  @Override
  public String name() {
    return "member:" + scope.name();
  }

  @Override
  public Future<List<ScrapeCollector>> parts(ScrapeContext context) {
    return scope.scrape(context).members().map(members -> {
      List<ScrapeCollector> parts = new ArrayList<>(members.size());
      members.forEach((member, probe) -> parts.add(new PatroniMemberCollector(name() + "/" + member, scope.name(), probe, scope.clock())));
      return parts;
    });
  }
}
