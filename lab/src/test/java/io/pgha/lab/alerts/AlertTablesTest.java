package io.pgha.lab.alerts;

import io.pgha.testkit.Recorded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertTablesTest {

  @Test
  void prometheusAlertsFiringFirstThenCriticalFirst() throws IOException {
    String table = AlertTables.prometheus(AlertJson.prometheusAlerts(Recorded.text("alerts/prometheus-alerts.json")));
    assertThat(table).isEqualTo("""
        STATE    SEVERITY  ALERT                          ACTIVE SINCE          VALUE  LABELS                                           SUMMARY
        firing   warning   PghaPatroniFailover            2026-11-26T03:48:35Z  1.203  scope=pgha                                       Patroni scope pgha changed leader
        pending  critical  PghaExporterDown               2026-11-26T03:48:27Z  0      instance=127.0.5.2:9812 job=pgha-postgres        pgha exporter pgha-postgres at 127.0.5.2:9812 is down
        pending  critical  PghaHaproxyNoReadBackend       2026-11-26T03:48:28Z  0      instance=127.0.5.1:7001 job=haproxy proxy=read   HAProxy read backend read has no UP server
        pending  critical  PghaHaproxyWriteBackendNotOne  2026-11-26T03:48:28Z  0      instance=127.0.5.1:7001 job=haproxy proxy=write  HAProxy write backend write has 0 UP servers
        pending  warning   PghaPatroniMemberDown          2026-11-26T03:48:27Z  0      member=pg-3 scope=pgha                           Patroni member pg-3 of scope pgha is down
        """);
  }

  @Test
  void notificationsOneRowPerAlert() throws IOException {
    NotificationLog log = NotificationLog.parse(Path.of("notifications.jsonl"),
        Recorded.text("alerts/notifications.jsonl").lines().toList());
    String table = AlertTables.notifications(log.notifications());
    assertThat(table).isEqualTo("""
        #  STATUS    SEVERITY  ALERT                          STARTS                ENDS                  LABELS                                           SUMMARY
        1  firing    warning   PghaPatroniFailover            2026-11-26T03:48:35Z  -                     scope=pgha                                       Patroni scope pgha changed leader
        2  firing    critical  PghaExporterDown               2026-11-26T03:49:27Z  -                     instance=127.0.5.2:9812 job=pgha-postgres        pgha exporter pgha-postgres at 127.0.5.2:9812 is down
        3  firing    warning   PghaPatroniMemberDown          2026-11-26T03:49:27Z  -                     member=pg-3 scope=pgha                           Patroni member pg-3 of scope pgha is down
        4  firing    critical  PghaHaproxyWriteBackendNotOne  2026-11-26T03:49:28Z  -                     instance=127.0.5.1:7001 job=haproxy proxy=write  HAProxy write backend write has 0 UP servers
        5  firing    critical  PghaHaproxyNoReadBackend       2026-11-26T03:49:28Z  -                     instance=127.0.5.1:7001 job=haproxy proxy=read   HAProxy read backend read has no UP server
        6  resolved  critical  PghaExporterDown               2026-11-26T03:49:27Z  2026-11-26T03:50:01Z  instance=127.0.5.2:9812 job=pgha-postgres        pgha exporter pgha-postgres at 127.0.5.2:9812 is down
        7  resolved  warning   PghaPatroniMemberDown          2026-11-26T03:49:27Z  2026-11-26T03:49:59Z  member=pg-3 scope=pgha                           Patroni member pg-3 of scope pgha is down
        8  firing    warning   PghaPatroniMemberDown          2026-11-26T03:51:21Z  -                     member=pg-1 scope=pgha                           Patroni member pg-1 of scope pgha is down
        8  firing    warning   PghaPatroniMemberDown          2026-11-26T03:51:21Z  -                     member=pg-2 scope=pgha                           Patroni member pg-2 of scope pgha is down
        9  resolved  warning   PghaPatroniMemberDown          2026-11-26T03:51:21Z  2026-11-26T03:51:37Z  member=pg-1 scope=pgha                           Patroni member pg-1 of scope pgha is down
        9  firing    warning   PghaPatroniMemberDown          2026-11-26T03:51:21Z  -                     member=pg-2 scope=pgha                           Patroni member pg-2 of scope pgha is down
        """);
  }

  @Test
  void emptyLists() {
    assertThat(AlertTables.prometheus(List.of())).isEqualTo("nothing pending or firing\n");
    assertThat(AlertTables.notifications(List.of())).isEqualTo("no notifications\n");
  }

  @Test
  void numbersAsPeopleWriteThem() {
    assertThat(AlertTables.number("0e+00")).isEqualTo("0");
    assertThat(AlertTables.number("2e+00")).isEqualTo("2");
    assertThat(AlertTables.number("1.2033689893032091e+00")).isEqualTo("1.203");
    assertThat(AlertTables.number("6.7108864e+07")).isEqualTo("67108864");
    assertThat(AlertTables.number("1.5e-04")).isEqualTo("0");
    assertThat(AlertTables.number("NaN")).isEqualTo("NaN");
    assertThat(AlertTables.number("")).isEqualTo("-");
  }
}
