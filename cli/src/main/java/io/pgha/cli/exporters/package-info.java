/** The three exporters in one JVM, as {@code ./pgha up --exporter-jvms one} starts them from this jar. */
package io.pgha.cli.exporters;
