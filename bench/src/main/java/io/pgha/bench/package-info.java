/**
 * {@code pgha bench}: the exporters measured beside their peers on the running cluster (scrape,
 * scale, failover detection) and written to docs/benchmarks.md. Imports lab, promkit and testkit (its
 * simulated Patroni members run inside the bench).
 */
package io.pgha.bench;
