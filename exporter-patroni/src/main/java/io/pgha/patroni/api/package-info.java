/**
 * Patroni's REST API as records: {@code GET /cluster} ({@link io.pgha.patroni.api.PatroniCluster}),
 * {@code GET /patroni} ({@link io.pgha.patroni.api.PatroniStatus}), {@code GET /history}
 * ({@link io.pgha.patroni.api.HistoryEntry}) and {@code GET /config}
 * ({@link io.pgha.patroni.api.PatroniDynamicConfig}), read by {@link io.pgha.patroni.api.PatroniJson}, and
 * Patroni's words for roles and states ({@link io.pgha.patroni.api.PatroniVocabulary}).
 *
 * <p>The one reading of Patroni's JSON in pgha: the exporter's collectors and the lab (status,
 * readiness, drills) both use it. JDK and Jackson only; nothing here fetches.
 */
package io.pgha.patroni.api;
