/**
 * What the tests of the other modules share: fakes (Patroni, PostgreSQL), the tests' Prometheus
 * client, recorded responses. Imports nothing of pgha's; see the module's README.md.
 */
package io.pgha.testkit;
