#!/usr/bin/env python3
"""Scrape latency of an exporter: scrape_latency.py URL N CONCURRENCY.

N scrapes split over CONCURRENCY threads, each with its own keep-alive connection (as Prometheus
keeps one); prints p50/p90/p99/max in ms and scrapes per second. Used for the figures in the
exporter-postgres report, beside Debian's postgres_exporter on the same primary."""
import http.client, sys, threading, time, urllib.parse
url, n, conc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
u = urllib.parse.urlparse(url)
lat = []; lock = threading.Lock(); errors = [0]
def worker(count):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    mine = []
    for _ in range(count):
        t0 = time.perf_counter()
        c.request("GET", u.path, headers={"Accept": "text/plain"})
        r = c.getresponse(); body = r.read()
        mine.append((time.perf_counter() - t0) * 1000)
        if r.status != 200: errors[0] += 1
    with lock: lat.extend(mine)
# warm-up
worker(20); lat.clear()
per = n // conc
ths = [threading.Thread(target=worker, args=(per,)) for _ in range(conc)]
t0 = time.perf_counter()
for t in ths: t.start()
for t in ths: t.join()
el = time.perf_counter() - t0
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
print(f"{url} n={len(lat)} conc={conc} p50={q(0.5):.2f}ms p90={q(0.9):.2f}ms p99={q(0.99):.2f}ms max={lat[-1]:.2f}ms rate={len(lat)/el:.0f}/s errors={errors[0]}")
