package io.pgha.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one cluster of an integration test run. Annotate a test class with {@code @PghaCluster.Test}
 * (or {@code @ExtendWith(PghaCluster.class)}) and take a {@link TestCluster} as a parameter of a
 * test, constructor or {@code @BeforeAll} method.
 *
 * <p>The first class that needs it runs {@code pgha up} (work dir {@link TestCluster#WORKDIR},
 * default /tmp/pgha-it, ports + {@link TestCluster#OFFSET}, default 10000); every later class of the run reuses it. The cluster lives
 * in JUnit's root store, which closes it ({@code pgha down --wipe}) when the run ends, passed or
 * failed; a JVM shutdown hook does the same if the run is cut short.
 */
public final class PghaCluster implements BeforeAllCallback, ParameterResolver {

  /** Shorthand for {@code @ExtendWith(PghaCluster.class)}. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @ExtendWith(PghaCluster.class)
  public @interface Test {}

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PghaCluster.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return cluster(context);
  }

  private static TestCluster cluster(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(TestCluster.class, k -> TestCluster.start(), TestCluster.class);
  }
}
