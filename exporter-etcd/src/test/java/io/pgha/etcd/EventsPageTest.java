package io.pgha.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventsPageTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theRecordedChangesAreListedNewestFirstWithWhatTheWatchAndHistoryTold() throws Exception {
    // An idle cluster: the killed pg-3 had written nothing beyond what pg-2 received, so nothing is at risk.
    ScopeState s = RecordedWatch.load("patroni-3.0.2-watch.tsv", "pgha").replay();
    DcsView view = new DcsView(Map.of("pgha", s), true, 0, 1_796_534_050_000L, 1_796_534_050_000L);
    String json = EventsPage.json(view, List.of("pgha"), Optional.empty(), 2);

    assertThat(json).isEqualTo("""
        {
          "scopes" : [ {
            "scope" : "pgha",
            "read" : true,
            "leader" : "pg-2"
          } ],
          "watch_healthy" : true,
          "confirmed_at" : "2026-12-06T05:14:10Z",
          "events" : [ {
            "scope" : "pgha",
            "from" : "pg-3",
            "to" : "pg-2",
            "kind" : "expired",
            "rebuilt" : false,
            "recovered" : false,
            "detected_at" : "2026-12-06T05:14:06.385Z",
            "lost_at" : "2026-12-06T05:13:56.288Z",
            "vacancy_seconds" : 10.097,
            "key_vacant_seconds" : 0.121,
            "request" : null,
            "timeline" : 5,
            "switch_lsn" : "0/5058940",
            "switch_lsn_bytes" : 84248896,
            "old_leader_position_bytes" : 84248896,
            "old_leader_position" : "0/5058940",
            "wal_at_risk_bytes" : 0,
            "history_at" : "2026-12-06T05:14:07.586Z",
            "promoted_at" : "2026-12-06T05:14:06.485Z"
          }, {
            "scope" : "pgha",
            "from" : "pg-2",
            "to" : "pg-3",
            "kind" : "released",
            "rebuilt" : false,
            "recovered" : false,
            "detected_at" : "2026-12-06T05:13:29.113Z",
            "lost_at" : "2026-12-06T05:13:28.090Z",
            "vacancy_seconds" : 1.023,
            "key_vacant_seconds" : 1.023,
            "request" : null,
            "timeline" : 4,
            "switch_lsn" : "0/504CF08",
            "switch_lsn_bytes" : 84201224,
            "old_leader_position_bytes" : 84201104,
            "old_leader_position" : "0/504CE90",
            "wal_at_risk_bytes" : 0,
            "history_at" : "2026-12-06T05:13:30.319Z",
            "promoted_at" : "2026-12-06T05:13:29.245Z"
          } ]
        }
        """);
  }

  @Test
  void eventsRebuiltFromHistoryAreMarkedAndCarryOnlyWhatHistoryTells() throws Exception {
    ScopeState s = RecordedWatch.load("patroni-3.0.2-watch.tsv", "pgha").replay();
    // An exporter started now reads the same keys: no change seen, four rebuilt from history.
    ScopeState restarted = ScopeState.initial("pgha", s.keys(), s.revision());
    JsonNode page = JSON.readTree(EventsPage.json(new DcsView(Map.of("pgha", restarted), true, 0, -1, -1),
        List.of("pgha"), Optional.of("pgha"), 100));

    JsonNode events = page.get("events");
    assertThat(events).hasSize(4);
    JsonNode newest = events.get(0);
    assertThat(newest.get("rebuilt").asBoolean()).isTrue();
    assertThat(newest.get("from").asText()).isEqualTo("pg-3");
    assertThat(newest.get("to").asText()).isEqualTo("pg-2");
    assertThat(newest.get("timeline").asLong()).isEqualTo(5);
    assertThat(newest.get("kind").isNull()).isTrue();
    assertThat(newest.get("vacancy_seconds").isNull()).isTrue();
    assertThat(newest.get("detected_at").isNull()).isTrue();
    assertThat(events.get(3).get("from").isNull()).as("the first entry's old leader is not in history").isTrue();
    assertThat(page.get("confirmed_at").isNull()).isTrue();
  }

  @Test
  void lsnsAreWrittenAsPostgresWritesThem() {
    assertThat(EventsPage.lsn(84194952)).isEqualTo("0/504B688");
    assertThat(EventsPage.lsn(0x1_0000_0010L)).isEqualTo("1/10");
  }
}
