/** The entry point of {@code ./pgha} ({@link io.pgha.cli.Pgha}); the commands are in {@code commands}. */
package io.pgha.cli;
