package io.pgha.drills;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Puts Patroni's dynamic configuration in the state a drill needs (synchronous_mode, failsafe_mode,
 * maximum_lag_on_failover) through {@code PATCH /config}, waits until the cluster acts on it, and puts it
 * back afterwards.
 */
final class DynamicConfig {

  private static final long APPLY_TIMEOUT_MILLIS = 60_000;
  /** Patroni's default maximum_lag_on_failover, and the cluster's: 1 MiB. */
  static final long DEFAULT_LAG_LIMIT = 1L << 20;
  /** Far above any lag a drill builds: a lagging replica stays a failover candidate. */
  static final long RAISED_LAG_LIMIT = 1L << 30;

  private final ClusterControl control;
  private final PrintStream out;
  private Boolean syncBefore;
  private Boolean failsafeBefore;
  private Long lagLimitBefore;

  DynamicConfig(ClusterControl control, PrintStream out) {
    this.control = control;
    this.out = out;
  }

  /** Applies what the plan asks for; remembers what to put back. */
  void apply(DrillPlan plan) throws InterruptedException {
    JsonNode config = control.config();
    boolean sync = config.path("synchronous_mode").asBoolean(false);
    if (plan.sync() && !sync) {
      syncBefore = false;
      setSync(true);
    }
    boolean failsafe = config.path("failsafe_mode").asBoolean(false);
    if (plan.failsafe() != null && plan.failsafe() != failsafe) {
      failsafeBefore = failsafe;
      setFailsafe(plan.failsafe());
    }
    long lagLimit = config.path("maximum_lag_on_failover").asLong(DEFAULT_LAG_LIMIT);
    if (plan.lagLimitRaised() != null) {
      long wanted = plan.lagLimitRaised() ? RAISED_LAG_LIMIT : DEFAULT_LAG_LIMIT;
      if (wanted != lagLimit) {
        lagLimitBefore = lagLimit;
        setLagLimit(wanted);
      }
    }
  }

  /** Puts back what {@link #apply} changed. */
  void revert() throws InterruptedException {
    if (lagLimitBefore != null) {
      setLagLimit(lagLimitBefore);
      lagLimitBefore = null;
    }
    if (failsafeBefore != null) {
      setFailsafe(failsafeBefore);
      failsafeBefore = null;
    }
    if (syncBefore != null) {
      setSync(syncBefore);
      syncBefore = null;
    }
  }

  private void setSync(boolean on) throws InterruptedException {
    out.println("  synchronous_mode: " + on + " (PATCH /config)");
    control.patchConfig("{\"synchronous_mode\": " + on + "}");
    if (on) {
      await("a synchronous standby streaming", () -> {
        List<String> sync = control.syncStandbys();
        return sync.size() == 1 && control.leader().map(l -> control.streamingReplicas(l).contains(sync.get(0) + " (sync)"))
            .orElse(false);
      });
    } else {
      await("no synchronous standby", () -> control.syncStandbys().isEmpty());
    }
  }

  private void setFailsafe(boolean on) throws InterruptedException {
    out.println("  failsafe_mode: " + on + " (PATCH /config)");
    control.patchConfig("{\"failsafe_mode\": " + on + "}");
    // The leader writes the failsafe key (the members it must reach) on its next loop; turned off, it
    // leaves the key as it is and just stops using it.
    int members = control.topology().members().size();
    await(on ? "the failsafe key listing every member" : "failsafe_mode off in /config",
        () -> control.config().path("failsafe_mode").asBoolean(false) == on
            && (!on || control.failsafeMembers() == members));
    // Every member reads the configuration on its own loop: give them two.
    Thread.sleep(2L * control.config().path("loop_wait").asLong(2) * 1000);
  }

  private void setLagLimit(long bytes) throws InterruptedException {
    out.println("  maximum_lag_on_failover: " + bytes + " (PATCH /config)");
    control.patchConfig("{\"maximum_lag_on_failover\": " + bytes + "}");
    await("maximum_lag_on_failover " + bytes + " in /config",
        () -> control.config().path("maximum_lag_on_failover").asLong(-1) == bytes);
    // Every member reads the configuration on its own loop: give them two.
    Thread.sleep(2L * control.config().path("loop_wait").asLong(2) * 1000);
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + APPLY_TIMEOUT_MILLIS * 1_000_000;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + APPLY_TIMEOUT_MILLIS / 1000 + " s waiting for " + what);
      }
      Thread.sleep(250);
    }
  }
}
