/**
 * What the commands share: {@code --workdir} and {@code --offset}, durations, and where the
 * repository, the JVM and the command line's jar are. Imports lab only.
 */
package io.pgha.cli.options;
