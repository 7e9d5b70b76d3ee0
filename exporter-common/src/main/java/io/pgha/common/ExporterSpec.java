package io.pgha.common;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;

/**
 * What makes an exporter: its name (the YAML section and the metric prefix), its default port, how
 * its section is validated and how its clients and collectors are built. The launchers (one
 * exporter, or all three in one JVM) need nothing else.
 *
 * @param quietLoggers loggers of libraries that log only errors, because the exporter logs what
 *     failed itself, once per change
 */
public record ExporterSpec<C>(String name, int defaultPort, ConfigReader<C> reader, Factory<C> factory,
    List<String> quietLoggers) {

  /** Validates the exporter's section; every error is a {@link ConfigException} naming the key. */
  @FunctionalInterface
  public interface ConfigReader<C> {
    C read(ConfigNode section, Map<String, String> env);
  }

  /**
   * Builds the exporter's clients and collectors on its verticle's context. Clients go into the
   * set's {@link CollectorSet#client}, so the exporter closes them when it stops.
   */
  @FunctionalInterface
  public interface Factory<C> {
    CollectorSet create(Vertx vertx, C config);
  }

  public ExporterSpec {
    quietLoggers = List.copyOf(quietLoggers);
  }

  public ExporterSpec(String name, int defaultPort, ConfigReader<C> reader, Factory<C> factory) {
    this(name, defaultPort, reader, factory, List.of());
  }

  /** {@code pgha-exporter-<name>}, as the jar and the log call it. */
  public String program() {
    return "pgha-exporter-" + name;
  }
}
