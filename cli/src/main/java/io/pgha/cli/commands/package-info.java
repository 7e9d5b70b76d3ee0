/**
 * The picocli commands, one class each and nothing else: each parses its options, calls lab,
 * traffic, drills or bench, and prints. Imports options and the modules below.
 */
package io.pgha.cli.commands;
