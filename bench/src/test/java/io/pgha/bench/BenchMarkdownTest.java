package io.pgha.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchMarkdownTest {

  @Test
  void figures() {
    BenchReport r = BenchReportTest.report(BenchReportTest.threeExportersAndThePeer(40 * 1024, 4.0, 8.0),
        List.of(BenchReportTest.push(60, 0)));
    assertThat(BenchMarkdown.figures(r)).isEqualTo("""
        ## Machine

        | what |  |
        | --- | --- |
        | date | 2026-11-26T05:00:00Z |
        | machine | 2 cores (AMD EPYC), 23.5 GiB memory |
        | system | Debian GNU/Linux 12 (bookworm), kernel 6.1.0 |
        | load average (1 min) | 1.0 at the start, 3.0 at the end; other work shared the machine |
        | versions | pgha abc1234; PostgreSQL 15.18; postgres_exporter 0.11.1 |
        | exporter JVM options | `-Xmx64m -XX:+UseSerialGC` (as `pgha up` runs them) |
        | plan | full: 1000 scrapes per endpoint with 1 scraper (in 10 interleaved rounds) and with 16; 10 leader changes quiet and 6 with 2 busy threads; sites of 1, 10, 100 scopes of 3 simulated members with 1, 10, 50 PostgreSQL targets, 200 scrapes each; 8 extra standbys |
        | took | 7 min 12 s |

        ## Goals

        | goal | figure | verdict |
        | --- | --- | --- |
        | pgha's PostgreSQL scrape median no slower than postgres_exporter's on the same primary (1 scraper) | 4.00 ms vs 8.00 ms: ratio 0.50 | met |
        | the three pgha exporters together under 150 MB resident, as `pgha up` runs them | 1 JVM: RSS 100 MB (PSS 75 MB) after the scrapes | met |
        | leader-change detection p95 under 100 ms, leader key to pgha's /metrics | p95 60 ms over 10 changes (quiet) | met |
        | leader-change detection p95 under 100 ms, leader key to pgha's /metrics, with the bench's CPU load | - | not measured |
        | PostgreSQL's execution time per scrape of pgha's exporter-postgres on one primary under 0.5 ms (pg_stat_statements) | 0.46 ms in 12.0 statements | met |
        | exporter-etcd scrape median and CPU per 1,000 scrapes no more than etcd's own /metrics | - | not measured |
        | exporter-patroni scrape median (3 members) no more than 1.5x Patroni's own /metrics (one member) | - | not measured |
        | every pgha exporter (as deployed): 16 concurrent scrapers p99 under 20 ms | patroni 35.0 ms, postgres 42.0 ms, etcd 49.0 ms | NOT met |
        | 100 scopes of 3 members on one etcd: exporter-etcd median under 50 ms | 30.25 ms | met |
        | exporter-patroni watching 100 clusters (300 members): median under 50 ms | 80.50 ms | NOT met |
        | 100 scopes: the three pgha exporters in one JVM under 150 MB resident | RSS 200 MB after the scrapes | NOT met |

        Why goals were not met:

        - every pgha exporter (as deployed): 16 concurrent scrapers p99 under 20 ms: the tail is one collection's slowest source plus the wait for a core: concurrent scrapes share the collection in flight and its page (rendered once per format), but on a shared 2-core machine the 16 scrapers, the exporters and the cluster compete for the cores.
        - exporter-patroni watching 100 clusters (300 members): median under 50 ms: as `pgha up` runs it, exporter-patroni reads every scope in the background every 1 s (refresh_interval), each on an event loop of its own, and a scrape makes the metrics of the 100 scopes' last rounds: 15,700 samples written on one thread (1.3 MB; pgha's own writer takes about 5 ms where client_java's merging and writing took 11), with serial collections of its 64 MB heap. Its rounds, 500 HTTP requests a second on new connections (Patroni closes each), made on bare Netty (Vert.x's HTTP client took 87-93 ms of CPU per 500 requests against 52-58 ms) and parsed, share the machine's 2 cores with the scrapes and with the simulated members in the bench's JVM.
        - 100 scopes: the three pgha exporters in one JVM under 150 MB resident: the JVM's RSS was 200 MB after exporter-patroni's scrapes (100 scopes), 140 MB after exporter-etcd's scrapes (100 scopes). Native memory tracking at 100 scopes after the three exporters' scrapes (by hand, as deployed, exporter-patroni reading in the background): 118 MB committed of 147 MB resident: heap 37 MB (cap 64; 21 MB live after a full collection, 7 MB of it exporter-postgres's 50 connections: pgjdbc's type and statement caches and stream buffers), class metadata 44 MB (metaspace 27, shared archive 12, class space 5; 7,216 classes), code 15 MB, 48 threads 5 MB, symbols 7 MB, NIO buffers 5 MB; the rest is the JVM's binaries and malloc. Two changes took it under the goal: exporter-postgres runs its targets' JDBC calls on a few threads per core, a thread added only beside a call past 100 ms, instead of one thread per target (6-7 MB at 50 targets), and the heap's old generation is kept close to what is live (-XX:MaxHeapFreeRatio=40 -XX:MinHeapFreeRatio=15: 144-146 MB instead of 155-156 in three `pgha bench scale` runs each, the scrapes' medians within the runs' spread). Tried without gain (by hand or in `bench scale`, two runs each): -Xmx48m, Netty's 1 MB chunks (-Dio.netty.allocator.maxOrder=7), -Xshare:off, -XX:CompileThresholdScaling=2, MALLOC_ARENA_MAX=2, -XX:SurvivorRatio=4, -Xmn20m (within 5 MB, as much as runs vary); -XX:NewRatio=3 4 MB less but 15-25 % more CPU in exporter-postgres's scrapes; Netty's unpooled allocator 10 MB less but exporter-patroni's 16-scraper p99 on the cluster 21-25 ms instead of 8-10 ms; C2 as well as C1 228 MB.

        ## Scrape latency, footprint and PostgreSQL load

        | endpoint | watching | median ms (1 scraper) | p99 ms | median ms (16 scrapers) | p99 ms | errors | RSS MB | PSS MB | CPU s per 1,000 scrapes | statements per scrape | PostgreSQL ms per scrape | samples | load |
        | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
        | pgha exporter-patroni | 3 members | 5.00 | 15.00 | 25.00 | 35.00 | 1 | 40 | 30 | 1.25 | 12.0 | 0.46 | 120 | 1.5->2.3 |
        | pgha exporter-postgres | 3 members | 6.00 | 18.00 | 30.00 | 42.00 | 1 | 40 | 30 | 1.25 | 12.0 | 0.46 | 120 | 1.5->2.3 |
        | pgha exporter-postgres | 3 members | 4.00 | 12.00 | 20.00 | 28.00 | 1 | 40 | 30 | 1.25 | 12.0 | 0.46 | 120 | 1.5->2.3 |
        | postgres_exporter | 3 members | 8.00 | 24.00 | 40.00 | 56.00 | 1 | 20 | 15 | 1.25 | 12.0 | 0.46 | 120 | 1.5->2.3 |
        | pgha exporter-etcd | 3 members | 7.00 | 21.00 | 35.00 | 49.00 | 1 | 40 | 30 | 1.25 | n/a | n/a | 120 | 1.5->2.3 |

        ## Memory of the three pgha exporters

        The same configuration and the same scrapes (the series above): first as `pgha up` runs them, then the other way, run by the bench.

        | how | JVMs | RSS MB | PSS MB | median ms exporter-patroni | median ms exporter-postgres | median ms exporter-etcd |
        | --- | --- | --- | --- | --- | --- | --- |
        | all three in one JVM | 1 | 100 | 75 | 5.00 | 6.00 | 7.00 |
        | one JVM each | 3 | 120 | 90 | 5.00 | 6.00 | 7.00 |

        ## Failover detection

        From the leader key's change in etcd to the first answer showing the new leader: 10 leader changes on the quiet machine, then 6 with the bench's own CPU load (2 threads spinning at normal priority, one per core) beside them.

        | metric | source | polled | machine | changes seen | p50 ms | p95 ms | max ms | missed |
        | --- | --- | --- | --- | --- | --- | --- | --- | --- |
        | `pgha_dcs_leader` | exporter-etcd | from the change, every 2 ms | quiet | 10 | 20 | 60 | 65 | 0 |

        The leader changes, and how long each fault took to move the leader key:

        | # | fault | from | to | fault to key change ms |
        | --- | --- | --- | --- | --- |
        | 1 | switchover | pg-1 | pg-2 | 812 |
        | 2 | hard kill | pg-2 | pg-3 | 10230 |

        ## Scale

        At each simulated site the three exporters run in one JVM: its RSS and PSS are the whole JVM's after that exporter's scrapes. "Patroni REST, no exporter" is no exporter: the requests of one exporter-patroni scrape sent at once by the bench, its bytes the answers' bodies, its CPU the bench's JVM's, which also serves the simulated members.

        | exporter | against | median ms (1 scraper) | p99 ms | p99 ms (16 scrapers) | errors | RSS MB | PSS MB | CPU s per 1,000 scrapes | samples | bytes | load |
        | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
        | pgha exporter-patroni | 100 scopes | 80.50 | 120.75 | 322.00 | 0 | 200 | 150 | 30.00 | 9000 | 800000 | 2.0->2.0 |
        | pgha exporter-etcd | 100 scopes | 30.25 | 45.38 | 121.00 | 0 | 140 | 105 | 30.00 | 9000 | 800000 | 2.0->2.0 |

        ## What TLS costs per scrape

        The cluster's exporters and the same exporters on a twin set up with `pgha up --tls`, both clusters running at once: 1000 scrapes of each exporter on each cluster with 1 scraper, in 10 rounds in which the two take turns.

        | exporter | watching | median ms plain | median ms TLS | TLS adds ms | p99 ms plain | p99 ms TLS | CPU s per 1,000 scrapes plain | CPU s per 1,000 scrapes TLS | errors | load |
        | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
        | pgha exporter-patroni | 3 Patroni members | 6.50 | 9.75 | +3.25 | 12.25 | 18.50 | 4.25 | 6.50 | 1 | 1.5->2.0 |

        ## Notes from this run

        - a note
        """);
  }

  @Test
  void theRowOfExporterPatronisRequestsAloneShowsNeitherManyScrapersNorSamples() {
    List<ScrapeRow> rows = new java.util.ArrayList<>(BenchReportTest.threeExportersAndThePeer(40 * 1024, 4.0, 8.0));
    rows.add(BenchReportTest.requestsAlone(4));
    String figures = BenchMarkdown.figures(BenchReportTest.report(rows, List.of(BenchReportTest.push(60, 0))));
    assertThat(figures).contains("\n| Patroni REST, no exporter | the 5 requests of one exporter-patroni scrape at once "
        + "| 4.00 | 12.00 | - | - | 0 | - | - | 6.50 | 3.0 | 0.25 | - | 1.5->2.3 |\n");
  }

  @Test
  void theSiteRowOfExporterPatronisRequestsAloneShowsNeitherManyScrapersNorMemoryNorSamples() {
    BenchReport r = BenchReportTest.report(List.of(), List.of(BenchReportTest.push(60, 0)));
    List<ScaleRow> scale = new java.util.ArrayList<>(r.scale());
    scale.add(1, BenchReportTest.siteRequestsAlone(60, 3));
    String figures = BenchMarkdown.figures(BenchReportTest.withScale(r, scale));
    assertThat(figures).contains("""
        | pgha exporter-patroni | 100 scopes | 80.50 | 120.75 | 322.00 | 0 | 200 | 150 | 30.00 | 9000 | 800000 | 2.0->2.0 |
        | Patroni REST, no exporter | the 500 requests of one exporter-patroni scrape at once | 60.00 | 90.00 | - | 3 | - | - | 12.50 | - | 7000 | 2.0->2.0 |
        | pgha exporter-etcd | 100 scopes |""");
  }

  @Test
  void theDocumentSaysHowItWasMadeAndHow() {
    BenchReport r = BenchReportTest.report(List.of(), List.of());
    String doc = BenchMarkdown.document(r);
    assertThat(doc).startsWith("# Benchmarks\n\nWritten by `./pgha bench` (scrape, scale, detection);")
        .contains("## Method").contains(BenchMarkdown.figures(r));
  }

  @Test
  void aRunKeepsTheFiguresMeasuredOutsideTheBench() {
    String elsewhere = "\n## Measured outside pgha bench\n\n| package | 20.8 MB |\n";
    assertThat(BenchMarkdown.measuredElsewhere("# Benchmarks\n\n## Method\n\n- old\n" + elsewhere)).isEqualTo(elsewhere);
    assertThat(BenchMarkdown.measuredElsewhere("# Benchmarks\n\n## Method\n")).isEmpty();
  }
}
