package io.pgha.lab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every rule names one of the cluster's listeners, by address and port, as iptables takes it. */
class FaultRuleTest {

  private static final Endpoint ETCD_1 = new Endpoint("127.0.0.11", 24879);
  private static final Endpoint PG_1 = new Endpoint("127.0.0.21", 27932);

  @Test
  void aHostsPacketsToAListener() {
    assertThat(FaultRule.dropFrom("pgha-22500/pg-1", ETCD_1).args()).containsExactly("-m", "cgroup", "--path",
        "pgha-22500/pg-1", "-d", "127.0.0.11/32", "-p", "tcp", "--dport", "24879", "-j", "DROP");
  }

  @Test
  void theAnswersOnOneConnection() {
    assertThat(FaultRule.dropAnswers(PG_1, new Endpoint("127.0.0.1", 43690)).args()).containsExactly("-s",
        "127.0.0.21/32", "-d", "127.0.0.1/32", "-p", "tcp", "--sport", "27932", "--dport", "43690", "-j", "DROP");
  }

  @Test
  void newConnectionsOnly() {
    assertThat(FaultRule.dropNewConnections(PG_1).args()).containsExactly("-d", "127.0.0.21/32", "-p", "tcp",
        "--dport", "27932", "--syn", "-j", "DROP");
  }

  @Test
  void aRedirectToADelayRelay() {
    FaultRule r = FaultRule.redirect("pgha-22500/pg-2", ETCD_1, new Endpoint("127.0.0.1", 41000));
    assertThat(r.table()).isEqualTo("nat");
    assertThat(r.args()).containsExactly("-m", "cgroup", "--path", "pgha-22500/pg-2", "-d", "127.0.0.11/32", "-p",
        "tcp", "--dport", "24879", "-j", "DNAT", "--to-destination", "127.0.0.1:41000");
  }

  @Test
  void aRuleAboutAnotherClustersListenerIsRefused() {
    List<Endpoint> ours = List.of(ETCD_1, PG_1);
    FaultRule.dropFrom("pgha-22500/pg-1", ETCD_1).requireWithin(ours);
    // Same address, the port of the cluster at offset 0.
    assertThatThrownBy(() -> FaultRule.dropNewConnections(new Endpoint("127.0.0.21", 5432)).requireWithin(ours))
        .hasMessage("127.0.0.21:5432 is not a listener of this cluster: not touching it");
  }

  @Test
  void endpointsReadAsSsPrintsThem() {
    assertThat(Endpoint.parse("127.0.0.1:43690")).isEqualTo(new Endpoint("127.0.0.1", 43690));
    assertThatThrownBy(() -> Endpoint.parse("43690")).hasMessage("not host:port: 43690");
    assertThatThrownBy(() -> new Endpoint("127.0.0.1", 0)).hasMessage("not a port: 0");
  }
}
